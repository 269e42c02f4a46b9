"""Accepting dossiers and their progress: the snapshot and its outbox rows in one transaction.

The one-stop system sends full snapshots; the gateway keeps the latest one per dossier code and
queues one event per national system that takes dossiers. A snapshot identical to the stored one
queues nothing. Progress steps are appended to the stored history and queued in the order given;
steps carried inside a snapshot that the gateway has not seen yet are queued after it, so a caller
may send a dossier and its history in one call.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Connection, Executable, select
from sqlalchemy.dialects import postgresql, sqlite

from gateway import outbox
from gateway.outbox import NewEvent, State
from gateway.store.schema import dossiers
from gateway.store.schema import outbox as outbox_table
from mappings.dossier import Dossier, ProgressStep

DOSSIER_TARGETS = ("national_portal",)
"""The national systems every dossier and progress step is delivered to."""

SNAPSHOT = "dossier"
PROGRESS = "progress"


class UnknownDossier(LookupError):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"dossier {code!r} is not known to the gateway: push it with POST /v1/dossiers first"
        )
        self.code = code


@dataclass(frozen=True, slots=True)
class Queued:
    id: int
    target: str
    kind: str


@dataclass(slots=True)
class Accepted:
    code: str
    version: int
    queued: list[Queued] = field(default_factory=list)


@dataclass(slots=True)
class SyncState:
    """How far one dossier's events got with one national system."""

    target: str
    pending: int = 0
    delivered: int = 0
    dead: int = 0
    attempts: int = 0
    last_error: str | None = None
    last_delivered_at: float | None = None


@dataclass(frozen=True, slots=True)
class DossierView:
    dossier: Dossier
    version: int
    sync: list[SyncState]


def _event(code: str, kind: str, target: str, payload: str) -> NewEvent:
    return NewEvent(
        target=target,
        kind=kind,
        ordering_key=code,
        payload=payload,
        idempotency_key=f"{target}:{code}:{kind}:{uuid.uuid4().hex}",
    )


def _upsert(connection: Connection) -> Executable:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(dossiers)
    return statement.on_conflict_do_update(
        index_elements=[dossiers.c.code],
        set_={
            "snapshot": statement.excluded.snapshot,
            "version": statement.excluded.version,
            "updated_at": statement.excluded.updated_at,
        },
    )


def _stored(connection: Connection, codes: Sequence[str]) -> dict[str, tuple[Dossier, int]]:
    rows = connection.execute(
        select(dossiers.c.code, dossiers.c.snapshot, dossiers.c.version).where(
            dossiers.c.code.in_(set(codes))
        )
    )
    return {row.code: (Dossier.model_validate_json(row.snapshot), row.version) for row in rows}


def accept_dossiers(connection: Connection, incoming: Sequence[Dossier]) -> list[Accepted]:
    """Store each snapshot and queue what changed; one answer per dossier, in order."""
    known = _stored(connection, [d.code for d in incoming])
    now = time.time()
    answers: list[Accepted] = []
    events: list[NewEvent] = []
    owners: list[Accepted] = []
    writes: dict[str, dict[str, object]] = {}
    for dossier in incoming:
        previous, version = known.get(dossier.code, (None, 0))
        history = list(previous.progress) if previous else []
        new_steps = [step for step in dossier.progress if step not in history]
        merged = dossier.model_copy(update={"progress": history + new_steps})
        answer = Accepted(dossier.code, version)
        snapshot_changed = previous is None or previous.model_copy(
            update={"progress": []}
        ) != merged.model_copy(update={"progress": []})
        if snapshot_changed or new_steps:
            answer.version = version + 1
            known[dossier.code] = (merged, answer.version)
            writes[dossier.code] = {
                "code": dossier.code,
                "snapshot": merged.model_dump_json(),
                "version": answer.version,
                "created_at": now,
                "updated_at": now,
            }
        for target in DOSSIER_TARGETS:
            if snapshot_changed:
                payload = merged.model_copy(update={"progress": []}).model_dump_json()
                events.append(_event(dossier.code, SNAPSHOT, target, payload))
                owners.append(answer)
            for step in new_steps:
                events.append(_event(dossier.code, PROGRESS, target, step.model_dump_json()))
                owners.append(answer)
        answers.append(answer)
    if writes:
        connection.execute(_upsert(connection), list(writes.values()))
    ids = outbox.enqueue(connection, events)
    for event_id, event, answer in zip(ids, events, owners, strict=True):
        answer.queued.append(Queued(event_id, event.target, event.kind))
    return answers


def accept_progress(connection: Connection, code: str, steps: Sequence[ProgressStep]) -> Accepted:
    """Append steps to a known dossier's history and queue them, in the order given."""
    known = _stored(connection, [code])
    if code not in known:
        raise UnknownDossier(code)
    dossier, _ = known[code]
    (answer,) = accept_dossiers(
        connection, [dossier.model_copy(update={"progress": [*dossier.progress, *steps]})]
    )
    return answer


def find_dossier(connection: Connection, code: str) -> DossierView | None:
    """The latest snapshot and how far its events got with each national system."""
    known = _stored(connection, [code])
    if code not in known:
        return None
    dossier, version = known[code]
    rows = connection.execute(
        select(
            outbox_table.c.target,
            outbox_table.c.state,
            outbox_table.c.attempts,
            outbox_table.c.last_error,
            outbox_table.c.delivered_at,
        )
        .where(outbox_table.c.ordering_key == code)
        .order_by(outbox_table.c.id)
    )
    per_target: dict[str, SyncState] = {}
    for row in rows:
        sync = per_target.setdefault(row.target, SyncState(row.target))
        setattr(sync, row.state, getattr(sync, row.state) + 1)
        sync.attempts += row.attempts
        if row.last_error and row.state != State.delivered:
            sync.last_error = row.last_error
        if row.delivered_at:
            sync.last_delivered_at = row.delivered_at
    states = list(per_target.values())
    return DossierView(dossier, version, states)
