"""A replica's claiming loop, run in processes of its own by the test of several replicas.

Kept apart from the test module so a spawned process imports only the store and the outbox,
not the whole gateway. Each process claims small batches until the outbox is drained, "delivers"
each batch (a short random wait, as a national call), and in the transaction that marks it
delivered logs what it delivered, so the log's order is the order deliveries committed.
"""

from __future__ import annotations

import asyncio
import random
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, insert, select

from gateway import outbox
from gateway.store import Store
from gateway.store.schema import outbox as outbox_table

claim_log = Table(
    "claim_log",
    MetaData(),
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(32), nullable=False),
    Column("row_id", Integer, nullable=False),
    Column("ordering_key", String(64), nullable=False),
)
"""What each claiming process delivered, in the order the deliveries committed."""

BATCH = 5


async def claim_until_drained(url: str, owner: str, start: Barrier) -> list[int]:
    """Claim, deliver and log until no pending row is left; the ids this process claimed."""
    store = Store(url, sqlite_synchronous="NORMAL")
    taken: list[int] = []
    try:
        await store.read(lambda c: c.execute(select(1)).scalar_one())
        await asyncio.to_thread(start.wait)
        while True:
            rows = await store.write(
                lambda c: outbox.claim(c, owner=owner, limit=BATCH, lease_seconds=60)
            )
            if not rows:
                if await store.read(_drained):
                    return taken
                await asyncio.sleep(0.005)
                continue
            taken += [row.id for row in rows]
            await asyncio.sleep(random.uniform(0, 0.01))

            def record(c: Connection, rows: list[outbox.Claimed] = rows) -> None:
                entries = [
                    {"owner": owner, "row_id": r.id, "ordering_key": r.ordering_key} for r in rows
                ]
                c.execute(insert(claim_log), entries)
                outbox.mark_delivered(c, owner, [r.id for r in rows])

            await store.write(record)
    finally:
        await store.dispose()


def _drained(connection: Connection) -> bool:
    pending = select(outbox_table.c.id).where(outbox_table.c.state == outbox.State.pending)
    return connection.execute(pending.limit(1)).first() is None


def claimer(url: str, owner: str, start: Barrier, results: Queue[tuple[str, list[int]]]) -> None:
    """A process's entry point: put ``(owner, ids claimed)`` on ``results`` when drained."""
    results.put((owner, asyncio.run(claim_until_drained(url, owner, start))))
