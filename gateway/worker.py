"""The delivery worker: claims due outbox rows, hands them to their national system, records why.

Several loops run side by side (``concurrency``), and on PostgreSQL several replicas too; the
claim query keeps one dossier's events in order even so. Every outcome is written back in one
transaction per claim: delivered, retry later (the wait stored in the row, so it survives
restarts), or dead, with one row per attempt in the attempt history
(``outbox.record_attempts``). Each batch goes to its national system under one ``X-Request-ID``:
the id of the request that queued its events when they share one, else a new one; the attempt
history says which. On ``stop()`` a loop finishes the delivery it is in, within ``grace``
seconds; a delivery cut short gives its rows back at once.

While a batch is being delivered its leases are extended every third of ``lease_seconds``
(a heartbeat, fenced by owner), so a slow national system never lets another worker take rows
still in hand. A worker killed outright stops beating; its leases run out after
``lease_seconds`` and any worker takes the rows again, where national upserts keyed by dossier
code make the redelivery harmless.

A loop that delivered a part batch lingers (``linger_seconds``) before it claims again, so
that under a stream of single pushes it sends fewer, larger national calls, each costing a claim,
a call and a record. An idle loop sleeps until the poll interval passes or it is woken: by
``notify()`` from the API of its own process, or by a notice from any process that queued work
(``gateway.store.notifications``: ``NOTIFY`` on PostgreSQL, the file's bell on SQLite). The wake
flag is cleared before each claim, not after, so work queued while a claim is under way is never
slept through.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from adapters.client import bound_request_id
from gateway import outbox
from gateway.delivery import DeliveryTarget, Outcome
from gateway.indicators.facts import record_delivered
from gateway.logging import mask_personal_data
from gateway.metrics import DELIVERY_SECONDS, EVENTS
from gateway.outbox import Attempt, AttemptOutcome, Backoff, Claimed, Failure
from gateway.store import Connection, Store, notifications

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WorkerConfig:
    batch_size: int = 500
    poll_interval: float = 0.5
    lease_seconds: float = 60.0
    backoff: Backoff = field(default_factory=lambda: Backoff(base=1.0, cap=600.0))
    dead_after_seconds: float = 72 * 3600
    concurrency: int = 2
    grace_seconds: float = 10.0
    linger_seconds: float = 0.0
    """After a part batch, how long a loop waits before it claims again (stopping cuts it)."""


@dataclass(frozen=True, slots=True)
class _Tried:
    """One claimed row, what came of it, and the ``X-Request-ID`` it was sent under."""

    row: Claimed
    outcome: Outcome
    request_id: str | None


@dataclass(slots=True)
class TargetHealth:
    """What the worker last saw of a national system, for ``/readyz`` and the status page."""

    last_success_at: float | None = None
    failing_since: float | None = None
    last_error: str | None = None


class Worker:
    def __init__(
        self,
        store: Store,
        targets: Mapping[str, DeliveryTarget],
        config: WorkerConfig | None = None,
        *,
        resting: Callable[[], Collection[str]] = frozenset,
    ) -> None:
        """``resting`` names the national systems not to claim rows for now (those whose
        circuit is open): their rows stay due and untouched instead of being claimed, refused at
        once by the breaker and rescheduled, batch after batch, for the whole outage."""
        self._store = store
        self._targets = dict(targets)
        self._config = config or WorkerConfig()
        self.resting = resting
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.health: dict[str, TargetHealth] = {name: TargetHealth() for name in targets}
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self.listening = asyncio.Event()
        """Set once this worker listens for work queued by other processes (PostgreSQL, a SQLite
        file)."""

    def notify(self) -> None:
        """New work was queued: look now rather than at the next poll."""
        self._wake.set()

    async def run(self) -> None:
        """Deliver until ``stop()``: the loops of this worker, side by side."""
        tasks = [asyncio.create_task(self._loop()) for _ in range(self._config.concurrency)]
        if notifications.can_listen(self._store):
            listener = notifications.listen(self._store, self.notify, listening=self.listening)
            tasks.append(asyncio.create_task(listener))
        try:
            await asyncio.gather(*tasks[: self._config.concurrency])
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.wait(tasks)

    async def stop(self, task: asyncio.Task[None] | None = None) -> None:
        """Stop after the deliveries under way, or cut them short after ``grace_seconds``."""
        self._stopping.set()
        self._wake.set()
        if task is not None:
            try:
                await asyncio.wait_for(task, self._config.grace_seconds)
            except TimeoutError:
                log.warning("deliveries still under way after the grace period were released")

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("delivery round failed; trying again after the poll interval")
                handled = 0
            if handled == 0 and not self._stopping.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._config.poll_interval)
            elif handled < self._config.batch_size and self._config.linger_seconds:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self._config.linger_seconds)

    async def run_once(self) -> int:
        """Claim one batch and deliver it; returns how many rows were handled."""
        resting = frozenset(self.resting())
        rows = await self._store.write(
            lambda connection: outbox.claim(
                connection,
                owner=self.owner,
                limit=self._config.batch_size,
                lease_seconds=self._config.lease_seconds,
                skip_targets=resting,
            )
        )
        if not rows:
            return 0
        by_target: dict[str, list[Claimed]] = defaultdict(list)
        for row in rows:
            by_target[row.target].append(row)
        ids = [row.id for row in rows]
        heartbeat = asyncio.create_task(self._keep_leases(ids))
        try:
            results = await asyncio.gather(
                *(self._deliver(target, batch) for target, batch in by_target.items())
            )
        except asyncio.CancelledError:
            await self._store.write(lambda connection: outbox.release(connection, self.owner, ids))
            raise
        finally:
            heartbeat.cancel()
            await asyncio.wait([heartbeat])
        await self._record([tried for result in results for tried in result])
        return len(rows)

    async def _keep_leases(self, ids: Sequence[int]) -> None:
        """Extend the leases on ``ids`` every third of ``lease_seconds`` until cancelled."""
        lease = self._config.lease_seconds
        lost_reported = False
        while True:
            await asyncio.sleep(lease / 3)
            try:
                held = await self._store.write(
                    lambda connection: outbox.extend_lease(
                        connection, self.owner, ids, lease_seconds=lease
                    )
                )
            except Exception:
                log.warning("could not extend the leases of events in delivery", exc_info=True)
                continue
            if held < len(ids) and not lost_reported:
                lost_reported = True
                log.warning(
                    "%d of %d events in delivery here were taken by another worker after their "
                    "lease ran out; they may reach the national system twice",
                    len(ids) - held,
                    len(ids),
                )

    async def _deliver(self, name: str, rows: Sequence[Claimed]) -> list[_Tried]:
        """Hand ``rows`` to their national system under one ``X-Request-ID``: the request id
        they were queued with when they share one, else a new one for this delivery."""
        queued_with = {row.request_id for row in rows}
        shared = queued_with.pop() if len(queued_with) == 1 else None
        sent_as = shared or uuid.uuid4().hex
        target = self._targets.get(name)
        if target is None:
            outcomes = [Outcome(row.id, f"no delivery target {name!r}", True) for row in rows]
            return [_Tried(row, o, None) for row, o in zip(rows, outcomes, strict=True)]
        started = time.perf_counter()
        with bound_request_id(sent_as):
            try:
                outcomes = await target.deliver(rows)
            except Exception as error:  # a bug or an unforeseen failure: retry, never lose
                log.exception("delivery to %s failed unexpectedly", name)
                # the text is kept on the rows and shown to operators: never personal data
                said = f"{type(error).__name__}: {mask_personal_data(str(error))}"
                outcomes = [Outcome(row.id, said) for row in rows]
        DELIVERY_SECONDS.labels(name).observe(time.perf_counter() - started)
        self._observe(name, outcomes)
        return [_Tried(row, o, sent_as) for row, o in zip(rows, outcomes, strict=True)]

    def _observe(self, name: str, outcomes: Sequence[Outcome]) -> None:
        health = self.health.setdefault(name, TargetHealth())
        now = time.time()
        transient = [o for o in outcomes if not o.delivered and not o.permanent]
        if transient and len(transient) == len(outcomes):
            health.failing_since = health.failing_since or now
            health.last_error = transient[0].error
        else:
            health.last_success_at, health.failing_since = now, None

    async def _record(self, tried: Sequence[_Tried]) -> None:
        results = [(t.row, t.outcome) for t in tried]
        delivered = [row.id for row, o in results if o.delivered]
        dead = [Failure(row.id, o.error or "") for row, o in results if o.permanent]
        retry = [
            (row, Failure(row.id, o.error or "", o.retry_after))
            for row, o in results
            if not o.delivered and not o.permanent
        ]

        def record(connection: Connection) -> int:
            outbox.mark_delivered(connection, self.owner, delivered)
            record_delivered(connection, [t.row for t in tried if t.outcome.delivered], time.time())
            outbox.mark_dead(connection, self.owner, dead)
            too_old = set(
                outbox.schedule_retry(
                    connection,
                    self.owner,
                    retry,
                    backoff=self._config.backoff,
                    dead_after_seconds=self._config.dead_after_seconds,
                )
            )
            outbox.record_attempts(
                connection,
                self.owner,
                [
                    Attempt(
                        t.row.id,
                        t.row.target,
                        _outcome(t.outcome, t.row.id in too_old),
                        t.outcome.error,
                        t.request_id,
                    )
                    for t in tried
                ],
            )
            return len(too_old)

        too_old = await self._store.write(record)
        for row, o in results:
            state = "delivered" if o.delivered else "dead" if o.permanent else "retry"
            EVENTS.labels(row.target, state).inc()
        for row, o in results:
            if o.permanent:
                log.warning("event %s to %s is dead: %s", row.id, row.target, o.error)
        if retry:
            log.info("%d events will be retried (%d too old, now dead)", len(retry), too_old)


def _outcome(outcome: Outcome, too_old: bool) -> AttemptOutcome:
    if outcome.delivered:
        return AttemptOutcome.delivered
    if outcome.permanent or too_old:
        return AttemptOutcome.dead
    return AttemptOutcome.retry
