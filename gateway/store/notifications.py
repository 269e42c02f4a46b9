"""Waking idle workers in other replicas at once: ``NOTIFY`` on queueing, ``LISTEN`` in workers.

On PostgreSQL, a transaction that queues outbox rows also issues ``NOTIFY`` on ``CHANNEL``
(``announce``); PostgreSQL delivers it when, and only if, the transaction commits, and folds the
notices of one transaction into one. Each worker keeps a session listening on the channel
(``listen``) and wakes when a notice arrives, so an event accepted by one replica is picked up by
an idle worker of any replica without waiting for its next poll. The poll stays, as the fallback
for notices missed while a listening session was being re-established.

On a SQLite file, a transaction that queued work marks its connection instead, and the store
rings the file's bell once it commits (``gateway.store.bell``), waking the workers of every
process on the file. In memory, the API wakes the worker of its own process directly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import psycopg
from psycopg import sql
from sqlalchemy import Connection

from gateway.store import Store
from gateway.store.bell import mark_queued

log = logging.getLogger(__name__)

CHANNEL = "lienthong_outbox"

RECONNECT_SECONDS = (0.5, 30.0)
"""The first and the longest wait before a lost listening session is opened again."""


def announce(connection: Connection) -> None:
    """Tell listening workers, when this transaction commits, that there is new work."""
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"NOTIFY {CHANNEL}")
    else:
        mark_queued(connection)


def can_listen(store: Store) -> bool:
    """Whether workers of other processes can be told of work this store queues."""
    return store.dialect == "postgresql" or store.bell is not None


async def listen(
    store: Store, on_notice: Callable[[], None], *, listening: asyncio.Event | None = None
) -> None:
    """Call ``on_notice`` for every notice of queued work until cancelled: ``NOTIFY`` on
    PostgreSQL, the file's bell on SQLite (``can_listen`` says whether there is either).
    ``listening`` is set once it listens."""
    if store.bell is not None:
        await store.bell.listen(on_notice, listening=listening)
    else:
        await _listen_postgres(store, on_notice, listening=listening)


async def _listen_postgres(
    store: Store, on_notice: Callable[[], None], *, listening: asyncio.Event | None = None
) -> None:
    """Call ``on_notice`` for every notice on ``CHANNEL`` until cancelled.

    ``listening`` is set once the first session listens. A session that is lost is opened again
    with growing waits; ``on_notice`` is called each time one starts listening, since work may
    have been queued while none was.
    """
    wait = RECONNECT_SECONDS[0]
    failing = False
    while True:
        try:
            async with await store.connect_direct() as session:
                await session.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
                if failing:
                    log.info("listening for queued work again")
                failing, wait = False, RECONNECT_SECONDS[0]
                on_notice()
                if listening is not None:
                    listening.set()
                async for _notice in session.notifies():
                    on_notice()
        except psycopg.Error as error:
            if not failing:
                log.warning(
                    "cannot listen for queued work (%s); polling meanwhile, trying again", error
                )
            failing = True
        await asyncio.sleep(wait)
        wait = min(wait * 2, RECONNECT_SECONDS[1])
