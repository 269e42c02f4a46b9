"""The outbox: one row per event and national system, delivered at least once, in order per key.

A row is ``pending`` until the worker records it ``delivered`` or ``dead``. The worker claims due
rows with a lease (``lease_owner``, ``lease_until``) and extends it while it delivers
(``extend_lease``); a row whose worker died becomes claimable again when its lease runs out. Every
change a worker makes to a claimed row is fenced by its owner, so a worker whose lease was taken
over changes nothing. Only the oldest pending row of each ``(target, ordering_key)`` is claimable,
so the events of one dossier reach one system in the order they were accepted, even with several
workers. A dead row no longer holds its line: later events go on, and the dead one waits for an
operator, who may replay it (``gateway.operations``): it becomes pending again under its own id,
so it is back at the head of its line and the later pending events of its dossier wait behind
it, or discard it (``discarded``: kept, never deleted, with the operator's reason).

Every attempt is written down with its outcome (``record_attempts``, in the transaction that
records the outcome): the event's history for operators, and the figures of the status page.

Several replicas on PostgreSQL claim at once: the claim locks its rows ``FOR UPDATE SKIP LOCKED``,
so a row another replica is claiming is passed over rather than waited for, and PostgreSQL checks
a row again once it is locked, so a row leased a moment ago is not taken twice. Leases compare
the replicas' clocks, which must agree to well within ``lease_seconds`` (NTP does).

Order rests on ids following commits. PostgreSQL hands out ids when a row is inserted, not when
it commits: a replica could insert a dossier's event, another insert its next one and commit
first, and a claim in between would see the later event at the head of its line. So
transactions that queue rows take one transaction-scoped advisory lock (``APPEND_LOCK``) before
inserting: they commit in the order they got their ids. Each replica commits in groups, so this
costs one short wait per group, not per event. A group that locked a row other replicas also
lock (a dossier's, or a sum of the indicators, which every replica's groups update) before it
asked for the lock could wait on a group holding the lock and wanting that row: PostgreSQL
breaks such a tie only after ``deadlock_timeout``, and the store runs the loser again, seconds
lost each time. So the intake (``gateway.dossiers``) and the indicators' facts
(``gateway.indicators.facts``) take the lock first (``hold_append_lock``), before any such row.
(SQLite has one writer: ids follow commits.)

The claim walks pending rows in id order through a partial index of pending rows
(``ix_outbox_pending``), so the delivered and dead history, however long, is never read, and a
backlog costs a claim only the rows it passes over: those leased, waiting for a retry, or behind
an earlier event of their dossier (found through ``ix_outbox_line``). The state is written into
the claim as a literal, not a parameter, so both engines can prove the index applies. PostgreSQL
is kept from sorting for the claim: without fresh statistics (a backlog just loaded) it would
take few rows to be pending and collect and sort them all, where walking the index in order
stops after ``limit``.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Executable,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    text,
    update,
)

from adapters.client import REQUEST_ID
from gateway.store.engine import lock_key
from gateway.store.notifications import announce
from gateway.store.schema import (
    delivery_attempts,
    delivery_tally,
    outbox,
    outbox_count_changes,
    outbox_counts,
)

APPEND_LOCK = lock_key("outbox-append")
"""Held from a transaction's first queued row until it ends (PostgreSQL)."""


class State(StrEnum):
    pending = "pending"
    delivered = "delivered"
    dead = "dead"
    discarded = "discarded"


class AttemptOutcome(StrEnum):
    delivered = "delivered"
    retry = "retry"
    dead = "dead"


@dataclass(frozen=True, slots=True)
class NewEvent:
    target: str
    kind: str
    ordering_key: str
    payload: str
    idempotency_key: str
    request_id: str | None = None
    """The ``X-Request-ID`` of the request that queued it, carried to the national call."""


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    target: str
    kind: str
    ordering_key: str
    payload: str
    idempotency_key: str
    attempts: int
    created_at: float
    """When the event was accepted, or last replayed by an operator: its age for the
    dead-letter limit counts from there."""
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """Why ``id`` was not delivered; ``after`` is the wait the national system asked for, if any."""

    id: int
    error: str
    after: float | None = None


@dataclass(frozen=True, slots=True)
class Backoff:
    base: float
    cap: float

    def delay(self, attempts: int, asked: float | None = None) -> float:
        """Exponential with jitter (half to full), or what the national system asked if longer."""
        exponential = min(self.cap, self.base * 2.0 ** min(max(attempts - 1, 0), 64))
        jittered = exponential * (0.5 + random.random() / 2)
        return max(jittered, asked or 0.0)


def hold_append_lock(connection: Connection) -> None:
    """Take ``APPEND_LOCK`` now, until the transaction ends (PostgreSQL): before any row that
    other replicas' transactions also lock, so that all take them in one order and none waits on
    another in a circle. A transaction that holds it already asks the server nothing: the intake,
    its outbox rows and its facts all call this in one transaction."""
    if connection.dialect.name != "postgresql":
        return
    transaction = connection.get_transaction()
    if transaction is not None and connection.info.get(_APPEND_LOCK_HELD) is transaction:
        return
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK})
    connection.info[_APPEND_LOCK_HELD] = transaction


_APPEND_LOCK_HELD = "lienthong.append_lock_held"
"""Where a connection keeps the transaction that holds ``APPEND_LOCK`` (its ``info``)."""


def enqueue(connection: Connection, events: Sequence[NewEvent]) -> list[int]:
    """Add pending rows, due now, and wake listening workers on commit; returns the ids in order.
    An event without a request id takes the one bound where the transaction was asked for
    (``adapters.client.REQUEST_ID``)."""
    if not events:
        return []
    hold_append_lock(connection)
    announce(connection)
    now = time.time()
    rows = [
        {
            "target": e.target,
            "kind": e.kind,
            "ordering_key": e.ordering_key,
            "payload": e.payload,
            "idempotency_key": e.idempotency_key,
            "request_id": e.request_id or REQUEST_ID.get(),
            "state": State.pending,
            "attempts": 0,
            "due_at": now,
            "created_at": now,
        }
        for e in events
    ]
    if connection.dialect.name == "sqlite":
        return _insert_matched_by_key(connection, rows)
    result = connection.execute(
        outbox.insert().returning(outbox.c.id, sort_by_parameter_order=True), rows
    )
    return [row.id for row in result]


def _insert_matched_by_key(connection: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """SQLite: the rows in as few statements as SQLAlchemy's "insertmanyvalues" makes, their ids
    matched to them by their unique keys. Asked for ids in the order given
    (``sort_by_parameter_order``), SQLAlchemy inserts one row per statement on SQLite, which
    cost a statement per event. SQLite numbers the rows of an INSERT in the order of its
    VALUES; since each dossier's line is delivered in the order of its ids, they are checked to
    rise in the order given."""
    result = connection.execute(
        outbox.insert().returning(outbox.c.id, outbox.c.idempotency_key), rows
    )
    ids = {key: id_ for id_, key in result}
    ordered = [ids[row["idempotency_key"]] for row in rows]
    if any(earlier >= later for earlier, later in itertools.pairwise(ordered)):
        raise RuntimeError("SQLite numbered new outbox rows out of the order they were given in")
    return ordered


def claim(
    connection: Connection,
    *,
    owner: str,
    limit: int,
    lease_seconds: float,
    skip_targets: Collection[str] = (),
) -> list[Claimed]:
    """Lease up to ``limit`` due rows, each the head of its line, oldest first; rows for
    ``skip_targets`` (national systems known to be down) are left where they are."""
    now = time.time()
    postgresql = connection.dialect.name == "postgresql"
    values: dict[str, Any] = {
        "now": now,
        "limit": limit,
        "owner": owner,
        "lease_until": now + lease_seconds,
    }
    if skip_targets:
        values["skipped"] = sorted(skip_targets)
    if postgresql:
        connection.execute(text("SET LOCAL enable_sort = off"))
    result = connection.execute(_claim_statement(postgresql, bool(skip_targets)), values)
    claimed = [Claimed(*row) for row in result]
    if postgresql:
        connection.execute(text("SET LOCAL enable_sort = on"))
    claimed.sort(key=lambda row: row.id)
    return claimed


@cache
def _claim_statement(postgresql: bool, skipping: bool) -> Executable:
    """The statement ``claim`` runs, built once (building it cost more than running it), its
    values bound: ``now``, ``limit``, ``owner``, ``lease_until`` and, when ``skipping``, the
    ``skipped`` targets."""
    now: BindParameter[float] = bindparam("now")
    pending = literal(State.pending.value, literal_execute=True)
    earlier = outbox.alias("earlier")
    head_of_line = ~exists().where(
        earlier.c.target == outbox.c.target,
        earlier.c.ordering_key == outbox.c.ordering_key,
        earlier.c.state == pending,
        earlier.c.id < outbox.c.id,
    )
    candidates = (
        select(outbox.c.id)
        .where(
            outbox.c.state == pending,
            outbox.c.due_at <= now,
            or_(outbox.c.lease_until.is_(None), outbox.c.lease_until < now),
            head_of_line,
        )
        .order_by(outbox.c.id)
        .limit(bindparam("limit"))
    )
    if skipping:
        candidates = candidates.where(outbox.c.target.not_in(bindparam("skipped", expanding=True)))
    if postgresql:
        # The locked candidates go in a MATERIALIZED CTE so they are chosen exactly once:
        # ``id IN (SELECT ... LIMIT ... FOR UPDATE SKIP LOCKED)`` may be re-run by the planner
        # (a generic plan did so per row), leasing many times ``limit`` rows at once.
        chosen = candidates.with_for_update(skip_locked=True).cte("chosen")
        chosen = chosen.prefix_with("MATERIALIZED")
        leased = update(outbox).where(outbox.c.id == chosen.c.id)
    else:
        leased = update(outbox).where(outbox.c.id.in_(candidates.scalar_subquery()))
    statement: Executable = leased.values(
        lease_owner=bindparam("owner"),
        lease_until=bindparam("lease_until"),
        attempts=outbox.c.attempts + 1,
    ).returning(
        outbox.c.id,
        outbox.c.target,
        outbox.c.kind,
        outbox.c.ordering_key,
        outbox.c.payload,
        outbox.c.idempotency_key,
        outbox.c.attempts,
        func.coalesce(outbox.c.replayed_at, outbox.c.created_at),
        outbox.c.request_id,
    )
    return statement


def extend_lease(
    connection: Connection, owner: str, ids: Iterable[int], *, lease_seconds: float
) -> int:
    """Lease ``owner``'s rows among ``ids`` for ``lease_seconds`` more; returns how many it
    still holds (fewer when a lease ran out and another worker took the row)."""
    ids = list(ids)
    if not ids:
        return 0
    result = connection.execute(
        update(outbox)
        .where(
            outbox.c.id.in_(ids),
            outbox.c.lease_owner == owner,
            outbox.c.state == State.pending,
        )
        .values(lease_until=time.time() + lease_seconds)
    )
    return result.rowcount


def mark_delivered(connection: Connection, owner: str, ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        connection.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids), outbox.c.lease_owner == owner)
            .values(
                state=State.delivered,
                delivered_at=time.time(),
                lease_owner=None,
                lease_until=None,
                last_error=None,
            )
        )


def mark_dead(connection: Connection, owner: str, failures: Sequence[Failure]) -> None:
    if failures:
        connection.execute(
            update(outbox)
            .where(outbox.c.id == bindparam("row_id"), outbox.c.lease_owner == owner)
            .values(
                state=State.dead,
                last_error=bindparam("error"),
                failed_at=time.time(),
                lease_owner=None,
                lease_until=None,
            ),
            [{"row_id": f.id, "error": f.error} for f in failures],
        )


def schedule_retry(
    connection: Connection,
    owner: str,
    failures: Sequence[tuple[Claimed, Failure]],
    *,
    backoff: Backoff,
    dead_after_seconds: float,
) -> list[int]:
    """Put rows back for later, or dead-letter those past their age limit; returns the ids of
    those that died."""
    now = time.time()
    later, too_old = [], []
    for row, failure in failures:
        if now - row.created_at >= dead_after_seconds:
            reason = f"undelivered after {row.attempts} attempts: {failure.error}"
            too_old.append(Failure(row.id, reason))
        else:
            due = now + backoff.delay(row.attempts, failure.after)
            later.append({"row_id": row.id, "error": failure.error, "due": due})
    if later:
        connection.execute(
            update(outbox)
            .where(outbox.c.id == bindparam("row_id"), outbox.c.lease_owner == owner)
            .values(
                due_at=bindparam("due"),
                last_error=bindparam("error"),
                failed_at=now,
                lease_owner=None,
                lease_until=None,
            ),
            later,
        )
    mark_dead(connection, owner, too_old)
    return [failure.id for failure in too_old]


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt to deliver an event, as the worker saw it end."""

    event: int
    target: str
    outcome: AttemptOutcome
    error: str | None = None
    request_id: str | None = None


def record_attempts(connection: Connection, replica: str, attempts: Sequence[Attempt]) -> None:
    """Write down ``attempts`` made by ``replica`` (its worker's owner name), now."""
    if attempts:
        now = time.time()
        connection.execute(
            delivery_attempts.insert(),
            [
                {
                    "event": a.event,
                    "target": a.target,
                    "at": now,
                    "outcome": a.outcome.value,
                    "error": a.error,
                    "replica": replica,
                    "request_id": a.request_id,
                }
                for a in attempts
            ],
        )


def release(connection: Connection, owner: str, ids: Iterable[int]) -> None:
    """Give back rows claimed but not attempted (shutdown): due at once, attempt not counted."""
    ids = list(ids)
    if ids:
        connection.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids), outbox.c.lease_owner == owner)
            .values(lease_owner=None, lease_until=None, attempts=outbox.c.attempts - 1)
        )


@dataclass(frozen=True, slots=True)
class TargetCounts:
    accepted: int = 0
    pending: int = 0
    delivered: int = 0
    dead: int = 0
    retried: int = 0
    discarded: int = 0


def counts(connection: Connection) -> dict[str, TargetCounts]:
    """Events per national system and state; ``retried`` counts events tried more than once.
    They cost the same with a million rows as with ten: on SQLite they are read from
    ``outbox_counts``, which triggers keep as rows change (migration 0012); on PostgreSQL they
    are the sum of ``outbox_count_changes``, to which triggers append what each statement changed
    and which ``gateway.outbox_count_compaction`` keeps short (migration 0014). Delivered events
    purged by retention (``gateway.retention``) still count: their tally is added."""
    if connection.dialect.name == "postgresql":
        changes = outbox_count_changes.c
        query = select(
            changes.target, changes.state, func.sum(changes.events), func.sum(changes.retried)
        ).group_by(changes.target, changes.state)
    else:
        query = select(
            outbox_counts.c.target,
            outbox_counts.c.state,
            outbox_counts.c.events,
            outbox_counts.c.retried,
        )
    tally: dict[str, dict[str, int]] = {}
    for target, state, count, retried_count in connection.execute(query):
        if not count and not retried_count:
            continue
        per = tally.setdefault(target, {"accepted": 0, "retried": 0})
        per[state] = int(count)
        per["accepted"] += int(count)
        per["retried"] += int(retried_count or 0)
    purged = connection.execute(
        select(
            delivery_tally.c.target,
            func.sum(delivery_tally.c.delivered),
            func.sum(delivery_tally.c.retried),
        ).group_by(delivery_tally.c.target)
    )
    for target, delivered, retried_count in purged:
        per = tally.setdefault(target, {"accepted": 0, "retried": 0})
        per["delivered"] = per.get("delivered", 0) + int(delivered or 0)
        per["accepted"] += int(delivered or 0)
        per["retried"] += int(retried_count or 0)
    return {target: TargetCounts(**values) for target, values in tally.items()}
