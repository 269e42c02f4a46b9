"""Events that failed: dead ones waiting for an operator, and pending ones being retried.

An event is *dead* when the national system refused it for good or it stayed undelivered past
its age limit; it is *retrying* while it is pending but has been tried (``attempts > 0``) or
failed (``last_error``). Operators find them by dossier code, procedure code, national system,
the text of the reason, when they last failed, and the applicant's ID number: given whole, it
is matched on its keyed hash (as the personal-data audit keeps it); given masked
(``068******234``), on its masked form. Each event opens on its attempts, every error it met,
its payload with personal data masked, and its history (accepted, tried, replayed, discarded).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Select, and_, func, literal, or_, select, text

from gateway.operations.audit import Page
from gateway.operations.payloads import masked_payload
from gateway.outbox import State
from gateway.registries.audit import mask
from gateway.store.schema import (
    OUTBOX_FAILING,
    delivery_attempts,
    dossiers,
    operator_action_items,
    operator_actions,
    outbox,
)

SubjectKey = Callable[[str], str]


class Status(StrEnum):
    """Where an event stands, as an operator reads it."""

    dead = "dead"
    retrying = "retrying"
    pending = "pending"
    delivered = "delivered"
    discarded = "discarded"

    @classmethod
    def of(cls, state: str, attempts: int, last_error: str | None) -> Status:
        """An outbox row's status: a pending event already tried is retrying (the rule of
        ``OUTBOX_FAILING``, which ``failed_condition`` queries by)."""
        if state == State.pending:
            return cls.retrying if attempts > 0 or last_error else cls.pending
        return cls(state)


FAILED = (Status.dead, Status.retrying)


@dataclass(frozen=True, slots=True)
class FailureQuery:
    """Which failed events to find; every filter given must match.

    - ``status``: ``dead`` or ``retrying`` (both when None).
    - ``system``: the national system's name; ``dossier``: the dossier code (exactly);
      ``procedure``: the snapshot's procedure code (exactly).
    - ``reason``: text found in the last error, case-insensitively.
    - ``since`` and ``until`` (epoch seconds): when it last failed (when it was accepted, for
      an event whose first attempt is under way), ``since`` included, ``until`` not.
    - ``citizen``: the applicant's ID number, whole or masked (with ``*``).
    """

    status: Status | None = None
    system: str | None = None
    dossier: str | None = None
    procedure: str | None = None
    reason: str | None = None
    since: float | None = None
    until: float | None = None
    citizen: str | None = None

    def described(self) -> dict[str, Any]:
        """The filters given, for the audit trail; an ID number appears only masked."""
        given = {name: value for name, value in asdict(self).items() if value is not None}
        if self.citizen is not None and "*" not in self.citizen:
            given["citizen"] = mask(self.citizen.strip())
        return given


@dataclass(frozen=True, slots=True)
class FailedEvent:
    """One event as a list shows it."""

    id: int
    system: str
    kind: str
    dossier: str
    """The dossier code (a document id, for the document axis): what orders its line."""
    status: Status
    attempts: int
    last_error: str | None
    created_at: float
    failed_at: float | None
    due_at: float
    """When a retrying event is tried next."""
    request_id: str | None
    procedure_code: str | None
    applicant_masked: str | None
    in_delivery: bool
    """A worker holds it now: it cannot be replayed or discarded until that attempt ends."""


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    at: float
    outcome: str
    """delivered, retry or dead."""
    error: str | None
    replica: str
    request_id: str | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    at: float
    what: str
    """accepted, delivered, retry, dead, or an operator's action and its result for the event
    (``replay: replayed``, ``discard: requested``, ``replay: skipped`` ...)."""
    detail: str | None = None
    actor: str | None = None
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class EventDetail:
    event: FailedEvent
    payload: str
    """The payload with personal data masked (``gateway.operations.payloads``)."""
    attempts: list[AttemptRecord]
    history: list[HistoryEntry]
    delivered_at: float | None = None
    discarded_at: float | None = None
    discard_reason: str | None = None
    replayed_at: float | None = None
    errors: list[str] = field(default_factory=list)
    """Every distinct error it met, oldest first."""


def failed_condition(status: Status | None = None) -> Any:
    """Failed events of ``status`` (either when None), in the words of the index of failing
    events (``OUTBOX_FAILING``), so that a query reads that index, not the whole outbox."""
    failing = text(f"({OUTBOX_FAILING})")
    if status is Status.dead:
        return and_(failing, outbox.c.state == literal(State.dead.value, literal_execute=True))
    if status is Status.retrying:
        return and_(failing, outbox.c.state != literal(State.dead.value, literal_execute=True))
    return failing


def _citizen_condition(citizen: str, subject_key: SubjectKey) -> Any:
    given = citizen.strip().replace(" ", "")
    if "*" in given:
        return dossiers.c.applicant_masked == given
    return or_(
        dossiers.c.applicant_key == subject_key(given),
        and_(dossiers.c.applicant_key.is_(None), dossiers.c.applicant_masked == mask(given)),
    )


def _matching(query: FailureQuery, subject_key: SubjectKey) -> list[Any]:
    if query.status is not None and query.status not in FAILED:
        raise ValueError(f"status: a failed event is dead or retrying, not {query.status}")
    conditions = [failed_condition(query.status)]
    if query.system:
        conditions.append(outbox.c.target == query.system)
    if query.dossier:
        conditions.append(outbox.c.ordering_key == query.dossier.strip())
    if query.procedure:
        conditions.append(dossiers.c.procedure_code == query.procedure.strip())
    if query.reason:
        conditions.append(func.lower(outbox.c.last_error).like(f"%{query.reason.lower()}%"))
    when = func.coalesce(outbox.c.failed_at, outbox.c.created_at)
    if query.since is not None:
        conditions.append(when >= query.since)
    if query.until is not None:
        conditions.append(when < query.until)
    if query.citizen:
        conditions.append(_citizen_condition(query.citizen, subject_key))
    return conditions


_COLUMNS = (
    outbox.c.id,
    outbox.c.target,
    outbox.c.kind,
    outbox.c.ordering_key,
    outbox.c.state,
    outbox.c.attempts,
    outbox.c.last_error,
    outbox.c.created_at,
    outbox.c.failed_at,
    outbox.c.due_at,
    outbox.c.request_id,
    outbox.c.lease_until,
    dossiers.c.procedure_code,
    dossiers.c.applicant_masked,
)

_JOINED = outbox.outerjoin(dossiers, dossiers.c.code == outbox.c.ordering_key)


def _select(*columns: Any) -> Select[Any]:
    return select(*columns).select_from(_JOINED)


def _event(row: Any, now: float) -> FailedEvent:
    return FailedEvent(
        id=row.id,
        system=row.target,
        kind=row.kind,
        dossier=row.ordering_key,
        status=Status.of(row.state, row.attempts, row.last_error),
        attempts=row.attempts,
        last_error=row.last_error,
        created_at=row.created_at,
        failed_at=row.failed_at,
        due_at=row.due_at,
        request_id=row.request_id,
        procedure_code=row.procedure_code,
        applicant_masked=row.applicant_masked,
        in_delivery=row.state == State.pending and (row.lease_until or 0.0) > now,
    )


def find_failures(
    connection: Connection,
    query: FailureQuery,
    *,
    subject_key: SubjectKey,
    offset: int = 0,
    limit: int = 50,
    now: float,
) -> Page[FailedEvent]:
    """Failed events matching ``query``, newest first, one page."""
    conditions = _matching(query, subject_key)
    total = connection.execute(_select(func.count()).where(*conditions)).scalar_one()
    rows = connection.execute(
        _select(*_COLUMNS)
        .where(*conditions)
        .order_by(outbox.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return Page([_event(row, now) for row in rows], int(total), offset, limit)


def failure_ids(
    connection: Connection, query: FailureQuery, *, subject_key: SubjectKey
) -> list[int]:
    """The ids of every failed event matching ``query``, oldest first."""
    rows = connection.execute(
        _select(outbox.c.id).where(*_matching(query, subject_key)).order_by(outbox.c.id)
    )
    return list(rows.scalars())


def events(connection: Connection, ids: list[int], *, now: float) -> dict[int, FailedEvent]:
    """The events ``ids`` that exist, failed or not, by id."""
    found: dict[int, FailedEvent] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = connection.execute(_select(*_COLUMNS).where(outbox.c.id.in_(chunk)))
        found.update((row.id, _event(row, now)) for row in rows)
    return found


def event_detail(connection: Connection, event_id: int, *, now: float) -> EventDetail | None:
    """Everything an operator may see of one event, or None when there is no such event."""
    row = connection.execute(
        _select(
            *_COLUMNS,
            outbox.c.payload,
            outbox.c.delivered_at,
            outbox.c.discarded_at,
            outbox.c.discard_reason,
            outbox.c.replayed_at,
        ).where(outbox.c.id == event_id)
    ).first()
    if row is None:
        return None
    event = _event(row, now)
    attempts = [
        AttemptRecord(a.at, a.outcome, a.error, a.replica, a.request_id)
        for a in connection.execute(
            select(delivery_attempts)
            .where(delivery_attempts.c.event == event_id)
            .order_by(delivery_attempts.c.id)
        )
    ]
    history = [HistoryEntry(row.created_at, "accepted", request_id=row.request_id)]
    history += [HistoryEntry(a.at, a.outcome, a.error, a.replica, a.request_id) for a in attempts]
    decisions = connection.execute(
        select(
            operator_actions.c.at,
            operator_actions.c.action,
            operator_actions.c.actor_name,
            operator_actions.c.reason,
            operator_actions.c.decided_at,
            operator_actions.c.decided_by,
            operator_action_items.c.result,
            operator_action_items.c.detail,
        )
        .select_from(
            operator_action_items.join(
                operator_actions, operator_actions.c.id == operator_action_items.c.action
            )
        )
        .where(operator_action_items.c.event == event_id)
        .order_by(operator_actions.c.id)
    )
    for d in decisions:
        if d.decided_at is None:
            history.append(
                HistoryEntry(d.at, f"{d.action}: {d.result}", d.detail or d.reason, d.actor_name)
            )
        else:
            history.append(HistoryEntry(d.at, f"{d.action}: requested", d.reason, d.actor_name))
            history.append(
                HistoryEntry(
                    d.decided_at, f"{d.action}: {d.result}", d.detail or d.reason, d.decided_by
                )
            )
    history.sort(key=lambda entry: entry.at)
    errors = list(dict.fromkeys(a.error for a in attempts if a.error))
    if row.last_error and row.last_error not in errors:
        errors.append(row.last_error)
    return EventDetail(
        event=event,
        payload=masked_payload(row.payload),
        attempts=attempts,
        history=history,
        delivered_at=row.delivered_at,
        discarded_at=row.discarded_at,
        discard_reason=row.discard_reason,
        replayed_at=row.replayed_at,
        errors=errors,
    )
