"""Back-pressure at intake: past ``LIENTHONG_MAX_BACKLOG`` waiting events, accept no more.

The outbox never loses what it accepted, so during a long national outage it only grows: every
accepted dossier is another row to store, claim and send once the system is back, and the
delivery of what came first is delayed by all that came after. Past a backlog the operator
chose, intake answers 503 with ``Retry-After`` instead: the one-stop system keeps its work and
sends it again later, and the gateway stays within the load it was sized for.

The backlog is every pending outbox row, all national systems together, read from the counts
the store keeps as rows change (``outbox_counts`` on SQLite, the sum of ``outbox_count_changes``
on PostgreSQL): a read of the store all the same, so ``Backlog`` keeps the figure and counts
again at most once per ``refresh_seconds``; concurrent requests share one count. The figure may
thus be up to that old: a burst can overshoot the limit by what arrives in one interval, which
is the price of not counting per request.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable

from sqlalchemy import Connection, func, select

from gateway.metrics import BACKLOG, INTAKE_REFUSED
from gateway.store import Store
from gateway.store.schema import outbox_count_changes, outbox_counts

PENDING = "pending"


class Backlogged(Exception):
    """Intake refused: ``backlog`` events wait for delivery, over ``limit``; try again after
    ``retry_after`` seconds."""

    def __init__(self, backlog: int, limit: int, retry_after: int) -> None:
        super().__init__(
            f"{backlog:,} events wait for delivery to the national systems, over the limit of "
            f"{limit:,} (LIENTHONG_MAX_BACKLOG); nothing was accepted: send it again after "
            f"{retry_after} s"
        )
        self.backlog = backlog
        self.limit = limit
        self.retry_after = retry_after


def count_pending(connection: Connection) -> int:
    """Outbox rows still to deliver, all national systems together, from the kept counts: as
    quick with a million pending as with none."""
    if connection.dialect.name == "postgresql":
        pending = func.coalesce(func.sum(outbox_count_changes.c.events), 0)
        query = select(pending).where(outbox_count_changes.c.state == PENDING)
    else:
        pending = func.coalesce(func.sum(outbox_counts.c.events), 0)
        query = select(pending).where(outbox_counts.c.state == PENDING)
    return int(connection.execute(query).scalar_one())


class Backlog:
    """The gateway's backlog of undelivered events, counted at most once per
    ``refresh_seconds``, and the limit intake holds it to (``limit`` 0: no limit).

    ``retry_after`` is what a refused caller is told to wait: long enough for a few counts and
    for the worker to make headway, short enough not to hold work back once it has.
    """

    def __init__(
        self,
        store: Store,
        *,
        limit: int,
        refresh_seconds: float = 1.0,
        retry_after: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if limit < 0:
            raise ValueError(f"limit must not be negative (0 is no limit), not {limit}")
        self._store = store
        self.limit = limit
        self.refresh_seconds = refresh_seconds
        self.retry_after = max(1, math.ceil(retry_after))
        self._clock = clock
        self._count = 0
        self._counted_at: float | None = None
        self._counting = asyncio.Lock()

    async def pending(self) -> int:
        """The backlog as last counted, counted again first when the figure is too old."""
        if self._stale():
            async with self._counting:
                if self._stale():
                    self._count = await self._store.read(count_pending)
                    self._counted_at = self._clock()
                    BACKLOG.set(self._count)
        return self._count

    async def admit(self) -> None:
        """Return if intake may accept more work; raise ``Backlogged`` if it may not."""
        if self.limit == 0:
            return
        backlog = await self.pending()
        if backlog >= self.limit:
            INTAKE_REFUSED.labels("backlog").inc()
            raise Backlogged(backlog, self.limit, self.retry_after)

    def _stale(self) -> bool:
        return self._counted_at is None or self._clock() - self._counted_at >= self.refresh_seconds
