"""Folding the outbox's count changes on PostgreSQL, so reading the counts stays a few rows' work.

Every statement that changes the outbox appends its changes per national system and state to
``outbox_count_changes`` (migration 0014), and the counts are their sum: a few rows a second under
load, millions in a day if nothing took them away. Compaction deletes the rows it sees and inserts
their sums, one row per national system and state, in one statement: the sum over the table is
the same before and after, in every snapshot. Rows that writers append meanwhile are not visible
to the delete and stay for the next round; writers only insert, so they never wait on it.

It does not wait either: it takes only the rows it can lock at once (``SKIP LOCKED``), leaving
those another fold holds, so a fold sharing a transaction with deliveries (the store commits
waiting writes together) never holds them up. Of several replicas one folds at a time (the lead
of ``gateway.store.leader``); two at once would still count right, each folding rows the other
left. On SQLite the counts are rows kept by triggers (migration 0012) and there is nothing to
fold.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import Connection, text

from gateway.store import Store
from gateway.store.leader import Leadership

log = logging.getLogger(__name__)

FOLD = text(
    """
    WITH folded AS (
      DELETE FROM outbox_count_changes
      WHERE ctid = ANY (ARRAY(SELECT ctid FROM outbox_count_changes FOR UPDATE SKIP LOCKED))
      RETURNING target, state, events, retried
    )
    INSERT INTO outbox_count_changes (target, state, events, retried)
      SELECT target, state, sum(events), sum(retried) FROM folded GROUP BY target, state
      HAVING sum(events) <> 0 OR sum(retried) <> 0
    """
)


def fold(connection: Connection) -> int:
    """Replace the count changes this transaction sees by their sums per national system and
    state; returns how many rows that left."""
    return int(connection.execute(FOLD).rowcount)


class CountCompaction:
    """Folds the outbox's count changes every ``interval`` seconds while this replica leads."""

    def __init__(self, store: Store, *, interval: float = 1.0) -> None:
        self._store = store
        self.interval = interval
        self._stopping = asyncio.Event()
        self.leadership = Leadership(store, "outbox count compaction")

    async def run(self) -> None:
        """Fold every ``interval`` while this replica leads, until ``stop()``."""
        try:
            while not self._stopping.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.interval)
                if self._stopping.is_set():
                    return
                try:
                    if await self.leadership.lead():
                        await self._store.write(fold)
                except Exception:
                    log.exception("folding the outbox counts failed; trying again shortly")
        finally:
            await self.leadership.resign()

    def stop(self) -> None:
        self._stopping.set()
