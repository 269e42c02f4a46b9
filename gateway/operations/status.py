"""How each national system in use stands, from the store: what every replica did, durably.

Per system: its events by state (with those retention purged, ``outbox.counts``), how many are
being retried, the reasons of its failed events by count, the age of its oldest pending event,
what was delivered and what died today (the province's day, Asia/Ho_Chi_Minh), its last success
and its last error (from the attempt history), and its last "test now" (``probes``). Live state
of one process (its circuit breakers, ``gateway.guards.guard_report``) is not here: the console
adds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, literal, select

from gateway.operations.failures import Status, failed_condition
from gateway.operations.probes import ProbeResult, last_probes
from gateway.outbox import AttemptOutcome, State, TargetCounts, counts
from gateway.store.schema import delivery_attempts, delivery_tally, outbox
from mappings.dossier import VIETNAM

REASONS_SHOWN = 10

_TOO_OLD = re.compile(r"^undelivered after \d+ attempts: ")


def start_of_day(now: float) -> float:
    """Midnight of ``now``'s day in Vietnam, as epoch seconds."""
    moment = datetime.fromtimestamp(now, VIETNAM)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def day_of(epoch: float) -> str:
    """``YYYY-MM-DD``: the day in Vietnam ``epoch`` falls on."""
    return datetime.fromtimestamp(epoch, VIETNAM).date().isoformat()


def reason_of(error: str | None) -> str:
    """An error as failures are grouped by: the same reason whatever the attempt count."""
    return _TOO_OLD.sub("", error or "(no error recorded)")


@dataclass(frozen=True, slots=True)
class Reason:
    text: str
    count: int


@dataclass(frozen=True, slots=True)
class SystemStatus:
    system: str
    counts: TargetCounts
    retrying: int = 0
    """Pending events tried or failed at least once."""
    reasons: list[Reason] = field(default_factory=list)
    """Why its dead and retrying events failed, most frequent first (at most ten)."""
    oldest_pending_at: float | None = None
    oldest_pending_age: float | None = None
    """Seconds since the oldest pending event was accepted."""
    delivered_today: int = 0
    dead_today: int = 0
    last_success_at: float | None = None
    last_error: str | None = None
    last_error_at: float | None = None
    probe: ProbeResult | None = None
    """Its last "test now", if it had one."""


def system_status(
    connection: Connection, systems: Sequence[str], *, now: float
) -> list[SystemStatus]:
    """One status per system in ``systems``, in that order, and after them any other system
    the store holds events for (one no longer in use, say)."""
    today = start_of_day(now)
    all_counts = counts(connection)
    names = list(dict.fromkeys([*systems, *sorted(all_counts)]))
    retrying: dict[str, int] = dict(
        connection.execute(
            select(outbox.c.target, func.count())
            .where(failed_condition(Status.retrying))
            .group_by(outbox.c.target)
        ).all()
    )
    oldest = {
        name: _oldest_pending(connection, name)
        for name in names
        if all_counts.get(name, TargetCounts()).pending
    }
    delivered_today: dict[str, int] = dict(
        connection.execute(
            select(outbox.c.target, func.count())
            .where(outbox.c.delivered_at >= today, outbox.c.state == State.delivered.value)
            .group_by(outbox.c.target)
        ).all()
    )
    for target, purged in connection.execute(
        select(delivery_tally.c.target, delivery_tally.c.delivered).where(
            delivery_tally.c.day == day_of(now)
        )
    ):
        delivered_today[target] = delivered_today.get(target, 0) + purged
    dead_today: dict[str, int] = dict(
        connection.execute(
            select(outbox.c.target, func.count())
            .where(outbox.c.state == State.dead.value, outbox.c.failed_at >= today)
            .group_by(outbox.c.target)
        ).all()
    )
    reasons: dict[str, dict[str, int]] = {}
    for target, error, count in connection.execute(
        select(outbox.c.target, outbox.c.last_error, func.count())
        .where(failed_condition())
        .group_by(outbox.c.target, outbox.c.last_error)
    ):
        per = reasons.setdefault(target, {})
        text = reason_of(error)
        per[text] = per.get(text, 0) + count
    probes = last_probes(connection)
    found = []
    for name in names:
        success = _last_attempt(connection, name, [AttemptOutcome.delivered])
        error = _last_attempt(connection, name, [AttemptOutcome.retry, AttemptOutcome.dead])
        ranked = sorted(reasons.get(name, {}).items(), key=lambda item: (-item[1], item[0]))
        oldest_at = oldest.get(name)
        found.append(
            SystemStatus(
                system=name,
                counts=all_counts.get(name, TargetCounts()),
                retrying=retrying.get(name, 0),
                reasons=[Reason(text, count) for text, count in ranked[:REASONS_SHOWN]],
                oldest_pending_at=oldest_at,
                oldest_pending_age=None if oldest_at is None else max(now - oldest_at, 0.0),
                delivered_today=int(delivered_today.get(name, 0)),
                dead_today=int(dead_today.get(name, 0)),
                last_success_at=success[0] if success else None,
                last_error=error[1] if error else None,
                last_error_at=error[0] if error else None,
                probe=probes.get(name),
            )
        )
    return found


def _oldest_pending(connection: Connection, target: str) -> float | None:
    """When ``target``'s oldest pending event was accepted: the first of its pending events in
    the order they were queued, found by walking the index of pending events in that order. It
    stops at the first of ``target``'s, so it is quick when the systems' events interleave or
    one system holds the backlog, and reads the others' older pending events before it when
    they alone hold one (a million of them on SQLite: about 0.4 s)."""
    pending = outbox.c.state == literal(State.pending.value, literal_execute=True)
    created: float | None = connection.execute(
        select(outbox.c.created_at)
        .where(pending, outbox.c.target == target)
        .order_by(outbox.c.id)
        .limit(1)
    ).scalar_one_or_none()
    return created


def _last_attempt(
    connection: Connection, target: str, outcomes: Sequence[AttemptOutcome]
) -> tuple[float, str | None] | None:
    newest: tuple[float, str | None] | None = None
    for outcome in outcomes:
        row = connection.execute(
            select(delivery_attempts.c.at, delivery_attempts.c.error)
            .where(
                delivery_attempts.c.target == target,
                delivery_attempts.c.outcome == outcome.value,
            )
            .order_by(delivery_attempts.c.at.desc())
            .limit(1)
        ).first()
        if row is not None and (newest is None or row.at > newest[0]):
            newest = (row.at, row.error)
    return newest


@dataclass(frozen=True, slots=True)
class Day:
    day: str
    """``YYYY-MM-DD``, Vietnam time."""
    delivered: int
    dead: int


def daily(connection: Connection, system: str, *, days: int, now: float) -> list[Day]:
    """Delivered and dead events of ``system`` per day, the last ``days`` days (today
    included), oldest first; delivered events retention purged are counted from the tally.
    (Vietnam keeps no daylight saving time: each of its days is 86,400 seconds.)"""
    first = start_of_day(now) - (days - 1) * 86400.0
    start = datetime.fromtimestamp(first, VIETNAM).date()
    keys = [(start + timedelta(days=n)).isoformat() for n in range(days)]

    def per_day(moment: Any, *conditions: Any) -> dict[str, int]:
        days_counted = [
            func.sum(
                case(
                    (and_(moment >= first + n * 86400.0, moment < first + (n + 1) * 86400.0), 1),
                    else_=0,
                )
            )
            for n in range(days)
        ]
        row = connection.execute(
            select(*days_counted).where(outbox.c.target == system, moment >= first, *conditions)
        ).one()
        return {key: int(count or 0) for key, count in zip(keys, row, strict=True)}

    delivered = per_day(outbox.c.delivered_at, outbox.c.state == State.delivered.value)
    for day, count in connection.execute(
        select(delivery_tally.c.day, delivery_tally.c.delivered).where(
            delivery_tally.c.target == system, delivery_tally.c.day >= keys[0]
        )
    ):
        delivered[day] = delivered.get(day, 0) + count
    dead = per_day(outbox.c.failed_at, outbox.c.state == State.dead.value)
    return [Day(key, delivered.get(key, 0), dead.get(key, 0)) for key in keys]
