"""Retention: what the store need not keep forever is purged in the background, in batches.

- Delivered outbox events older than ``delivered_seconds`` (by when they were delivered) go,
  with their attempt history. Before they go, they are counted into ``delivery_tally`` per
  national system and day of delivery (Vietnam time), in the same transaction, so the counts of
  ``/v1/status``, ``lienthong status`` and the console's figures and charts stay what they were.
  Dead, discarded and pending events are never purged: an operator decides about them.
- Idempotency keys older than ``delivered_seconds`` go: a client repeating a request that late
  is not retrying it.
- The personal-data access audit (``audit_records``) older than ``audit_seconds`` goes, on its
  own period, the one the province's data-protection rules set.

A period of 0 keeps that data forever. Each batch is one short transaction, so purging never
holds the store's writer for long. Of several replicas on PostgreSQL one purges at a time (the
lead of ``gateway.store.leader``); the others check at each round and take over if it stops.
The operator action audit is never purged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Connection, Executable, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from gateway.operations.status import day_of
from gateway.outbox import State
from gateway.store import Store
from gateway.store.leader import Leadership
from gateway.store.schema import (
    audit_records,
    delivery_attempts,
    delivery_tally,
    idempotency_keys,
    outbox,
)

log = logging.getLogger(__name__)

DAY = 86400.0


@dataclass(frozen=True, slots=True)
class RetentionConfig:
    delivered_seconds: float = 30 * DAY
    """Delivered events and idempotency keys are kept this long; 0 keeps them forever."""
    audit_seconds: float = 730 * DAY
    """Personal-data access audit records are kept this long; 0 keeps them forever."""
    interval: float = 3600.0
    """Seconds between purges."""
    first_delay: float = 60.0
    """Seconds after start before the first purge, so start-up has the store to itself."""
    batch: int = 5000
    """Rows deleted per transaction."""


@dataclass(frozen=True, slots=True)
class Purged:
    delivered: int = 0
    idempotency_keys: int = 0
    audit_records: int = 0

    def __add__(self, other: Purged) -> Purged:
        return Purged(
            self.delivered + other.delivered,
            self.idempotency_keys + other.idempotency_keys,
            self.audit_records + other.audit_records,
        )


@cache
def _tally_upsert(dialect_name: str) -> Executable:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(delivery_tally)
    upsert: Executable = statement.on_conflict_do_update(
        index_elements=[delivery_tally.c.target, delivery_tally.c.day],
        set_={
            "delivered": delivery_tally.c.delivered + statement.excluded.delivered,
            "retried": delivery_tally.c.retried + statement.excluded.retried,
        },
    )
    return upsert


def purge_delivered(connection: Connection, *, before: float, limit: int) -> int:
    """Count into the tally, then delete, up to ``limit`` events delivered before ``before``
    (with their attempts); returns how many went."""
    rows = connection.execute(
        select(outbox.c.id, outbox.c.target, outbox.c.delivered_at, outbox.c.attempts)
        .where(outbox.c.delivered_at < before, outbox.c.state == State.delivered.value)
        .order_by(outbox.c.delivered_at)
        .limit(limit)
    ).all()
    if not rows:
        return 0
    delivered: Counter[tuple[str, str]] = Counter()
    retried: Counter[tuple[str, str]] = Counter()
    for row in rows:
        key = (row.target, day_of(row.delivered_at))
        delivered[key] += 1
        retried[key] += int(row.attempts > 1)
    connection.execute(
        _tally_upsert(connection.dialect.name),
        [
            {"target": target, "day": day, "delivered": count, "retried": retried[(target, day)]}
            for (target, day), count in sorted(delivered.items())
        ],
    )
    ids = [row.id for row in rows]
    connection.execute(delete(delivery_attempts).where(delivery_attempts.c.event.in_(ids)))
    connection.execute(delete(outbox).where(outbox.c.id.in_(ids)))
    return len(ids)


def purge_idempotency_keys(connection: Connection, *, before: float, limit: int) -> int:
    keys = select(idempotency_keys.c.key).where(idempotency_keys.c.created_at < before)
    chosen = list(connection.execute(keys.limit(limit)).scalars())
    if chosen:
        connection.execute(delete(idempotency_keys).where(idempotency_keys.c.key.in_(chosen)))
    return len(chosen)


def purge_audit_records(connection: Connection, *, before: float, limit: int) -> int:
    ids = select(audit_records.c.id).where(audit_records.c.at < before)
    chosen = list(connection.execute(ids.order_by(audit_records.c.at).limit(limit)).scalars())
    if chosen:
        connection.execute(delete(audit_records).where(audit_records.c.id.in_(chosen)))
    return len(chosen)


Purge = Callable[[Connection], int]


class Retention:
    """Purges the store now (``purge``) or every ``interval`` while it leads (``run``)."""

    def __init__(
        self,
        store: Store,
        config: RetentionConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self.config = config or RetentionConfig()
        self._clock = clock
        self._stopping = asyncio.Event()
        self.leadership = Leadership(store, "retention")

    async def purge(self) -> Purged:
        """Purge everything past its period, a batch per transaction, until none is left."""
        now, config = self._clock(), self.config
        purged = Purged()
        if config.delivered_seconds > 0:
            before = now - config.delivered_seconds
            purged += Purged(
                delivered=await self._drain(
                    lambda c: purge_delivered(c, before=before, limit=config.batch)
                ),
                idempotency_keys=await self._drain(
                    lambda c: purge_idempotency_keys(c, before=before, limit=config.batch)
                ),
            )
        if config.audit_seconds > 0:
            before = now - config.audit_seconds
            purged += Purged(
                audit_records=await self._drain(
                    lambda c: purge_audit_records(c, before=before, limit=config.batch)
                )
            )
        if purged != Purged():
            log.info(
                "retention purged %d delivered events, %d idempotency keys, %d access audit "
                "records",
                purged.delivered,
                purged.idempotency_keys,
                purged.audit_records,
            )
        return purged

    async def _drain(self, purge: Purge) -> int:
        total = 0
        while not self._stopping.is_set():
            count = await self._store.write(purge)
            total += count
            if count < self.config.batch:
                break
        return total

    async def run(self) -> None:
        """Purge every ``interval`` while this replica leads, until ``stop()``."""
        wait = self.config.first_delay
        try:
            while not self._stopping.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), wait)
                if self._stopping.is_set():
                    return
                wait = self.config.interval
                try:
                    if await self.leadership.lead():
                        await self.purge()
                except Exception:
                    log.exception("retention failed; trying again after the interval")
        finally:
            await self.leadership.resign()

    def stop(self) -> None:
        self._stopping.set()
