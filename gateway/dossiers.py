"""Accepting dossiers and their progress: the change and its outbox rows in one transaction.

The one-stop system sends full snapshots; the gateway keeps the latest one per dossier code and
queues one event per national system. A snapshot identical to the stored one queues nothing.
A system that follows only each dossier's state (``gateway.delivery.StateTarget``: the
monitoring centre) is queued one event when a dossier is first accepted and one when a snapshot
brings a status other than the stored one; progress steps queue nothing for it.
Progress steps are kept in the order accepted and queued after the snapshot; steps carried inside
a snapshot that the gateway has not seen yet are queued after it, so a caller may send a dossier
and its history in one call.

Each event is encoded in its national system's format here, at acceptance: what cannot be
expressed there is refused now (``Undeliverable``), with the field and the rule, rather than
dead-lettered later. So is a dossier whose procedure the national catalogue held does not list
(``UnknownProcedure``, when a ``ProcedureCheck`` is given: ``gateway.catalogue``). Each
snapshot also keeps, for operators' searches, its procedure code and its applicant's ID number
as a keyed hash and masked (``applicant_key``, ``applicant_masked``, as the personal-data audit
keeps it), never in the clear outside the snapshot itself.
Functions here run inside a store transaction and may be run again if the group it was
committed with failed; they touch nothing but the connection.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import Connection, Executable, select
from sqlalchemy.dialects import postgresql, sqlite

from gateway import outbox
from gateway.delivery.target import DossierTarget, StateTarget
from gateway.indicators.facts import record_dossiers
from gateway.outbox import NewEvent, State
from gateway.registries.audit import mask
from gateway.store.schema import dossiers, progress_steps
from gateway.store.schema import outbox as outbox_table
from mappings.dossier import Dossier, ProgressStep
from mappings.errors import MappingError

SNAPSHOT = "dossier"
PROGRESS = "progress"
STATE = "state"

Targets = Mapping[str, DossierTarget | StateTarget]
SubjectKey = Callable[[str], str]
"""The keyed hash of an ID number (``gateway.registries.audit.Auditor.subject_key``)."""
ProcedureCheck = Callable[[Connection, Sequence[Dossier]], list[tuple[int, str]]]
"""Which of the dossiers name a procedure the national catalogue held lacks: (index, why)."""


class UnknownDossier(LookupError):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"dossier {code!r} is not known to the gateway: push it with POST /v1/dossiers first"
        )
        self.code = code


class Undeliverable(ValueError):
    """Item ``index`` of the request cannot be put in ``target``'s format; ``where`` is the path
    inside the item (``("progress", 2)`` for a step), ``error`` names the field and the rule."""

    def __init__(
        self, index: int, target: str, error: MappingError, where: tuple[str | int, ...] = ()
    ) -> None:
        super().__init__(f"{target}: {error}")
        self.index, self.target, self.error, self.where = index, target, error, where


class UnknownProcedure(Undeliverable):
    """Item ``index`` names a procedure the national catalogue held does not list."""

    def __init__(self, index: int, why: str) -> None:
        super().__init__(index, "national_portal", MappingError("procedure.code", why))


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
    discarded: int = 0


@dataclass(frozen=True, slots=True)
class DossierView:
    dossier: Dossier
    version: int
    sync: list[SyncState]


@cache
def _upsert(dialect_name: str) -> Executable:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(dossiers)
    upsert: Executable = statement.on_conflict_do_update(
        index_elements=[dossiers.c.code],
        set_={
            "snapshot": statement.excluded.snapshot,
            "version": statement.excluded.version,
            "updated_at": statement.excluded.updated_at,
            "procedure_code": statement.excluded.procedure_code,
            "applicant_key": statement.excluded.applicant_key,
            "applicant_masked": statement.excluded.applicant_masked,
        },
    )
    return upsert


def _stored(connection: Connection, codes: Sequence[str]) -> dict[str, tuple[str, int]]:
    """The stored snapshot JSON and version of each known code."""
    columns = select(dossiers.c.code, dossiers.c.snapshot, dossiers.c.version)
    unique = list(dict.fromkeys(codes))
    query = (
        columns.where(dossiers.c.code == unique[0])
        if len(unique) == 1
        else columns.where(dossiers.c.code.in_(unique))
    )
    return {row.code: (row.snapshot, row.version) for row in connection.execute(query)}


def _steps_of(connection: Connection, code: str) -> list[str]:
    query = select(progress_steps.c.step).where(progress_steps.c.code == code)
    return list(connection.execute(query.order_by(progress_steps.c.id)).scalars())


class _Intake:
    """Collects the rows of one transaction and writes them together."""

    def __init__(self, connection: Connection, targets: Targets) -> None:
        self.connection = connection
        self.targets: dict[str, DossierTarget] = {}
        self.watchers: dict[str, StateTarget] = {}
        for name, target in targets.items():
            if isinstance(target, StateTarget):
                self.watchers[name] = target
            else:
                self.targets[name] = target
        self.now = time.time()
        self.nonce = uuid.uuid4().hex
        """Unique to this intake; with an event's place in it, unique to the event."""
        self.snapshots: dict[str, dict[str, object]] = {}
        self.steps: list[dict[str, str]] = []
        self.events: list[NewEvent] = []
        self.owners: list[Accepted] = []

    def queue(
        self,
        answer: Accepted,
        kind: str,
        payloads: Mapping[str, str],
        request_id: str | None = None,
    ) -> None:
        for target, payload in payloads.items():
            key = f"{target}:{answer.code}:{kind}:{self.nonce}.{len(self.events)}"
            self.events.append(NewEvent(target, kind, answer.code, payload, key, request_id))
            self.owners.append(answer)

    def encode_dossier(self, index: int, dossier: Dossier) -> dict[str, str]:
        payloads = {}
        for name, target in self.targets.items():
            try:
                payloads[name] = target.encode_dossier(dossier)
            except MappingError as error:
                raise Undeliverable(index, name, error) from None
        return payloads

    def encode_state(self, index: int, dossier: Dossier) -> dict[str, str]:
        payloads = {}
        for name, watcher in self.watchers.items():
            try:
                payloads[name] = watcher.encode_state(dossier)
            except MappingError as error:
                raise Undeliverable(index, name, error) from None
        return payloads

    def encode_step(
        self, index: int, code: str, step: ProgressStep, where: tuple[str | int, ...]
    ) -> dict[str, str]:
        payloads = {}
        for name, target in self.targets.items():
            try:
                payloads[name] = target.encode_step(code, step)
            except MappingError as error:
                raise Undeliverable(index, name, error, where) from None
        return payloads

    def add_steps(
        self,
        index: int,
        answer: Accepted,
        steps: Sequence[ProgressStep],
        where: str | None,
        request_id: str | None = None,
    ) -> None:
        for position, step in enumerate(steps):
            at: tuple[str | int, ...] = (where, position) if where else (position,)
            payloads = self.encode_step(index, answer.code, step, at)
            self.steps.append({"code": answer.code, "step": step.model_dump_json()})
            self.queue(answer, PROGRESS, payloads, request_id)

    def write(self) -> None:
        if self.snapshots:
            self.connection.execute(
                _upsert(self.connection.dialect.name), list(self.snapshots.values())
            )
        if self.steps:
            self.connection.execute(progress_steps.insert(), self.steps)
        ids = outbox.enqueue(self.connection, self.events)
        for event_id, event, answer in zip(ids, self.events, self.owners, strict=True):
            answer.queued.append(Queued(event_id, event.target, event.kind))


def _status_changed(stored: str | None, dossier: Dossier) -> bool:
    """Whether ``dossier`` is new or brings a status other than the stored snapshot's."""
    return stored is None or json.loads(stored)["status"] != dossier.status.value


def searchable(dossier: Dossier, subject_key: SubjectKey | None) -> dict[str, str | None]:
    """The columns operators search a dossier by: its procedure code, and its applicant's ID
    number keyed (when a key is given) and masked."""
    number = dossier.applicant.id_number
    return {
        "procedure_code": dossier.procedure.code,
        "applicant_key": subject_key(number) if number and subject_key else None,
        "applicant_masked": mask(number) if number else None,
    }


def accept_dossiers(
    connection: Connection,
    incoming: Sequence[Dossier],
    targets: Targets,
    *,
    subject_key: SubjectKey | None = None,
    procedures: ProcedureCheck | None = None,
    request_ids: Sequence[str | None] | None = None,
) -> list[Accepted]:
    """Store each snapshot and queue what changed; one answer per dossier, in order.
    ``subject_key`` keys the applicant's ID number for operators' searches; ``procedures``
    refuses a dossier of a procedure the catalogue held lacks (``UnknownProcedure``).
    ``request_ids`` gives each dossier's events the id of the request that brought it (dossiers
    of several requests accepted together); by default they take the one bound now."""
    if procedures is not None:
        unknown = procedures(connection, incoming)
        if unknown:
            raise UnknownProcedure(*unknown[0])
    outbox.hold_append_lock(connection)
    known = _stored(connection, [d.code for d in incoming])
    intake = _Intake(connection, targets)
    answers = []
    for index, dossier in enumerate(incoming):
        request_id = request_ids[index] if request_ids is not None else None
        stored, version = known.get(dossier.code, (None, 0))
        snapshot = dossier.model_copy(update={"progress": []})
        snapshot_json = snapshot.model_dump_json()
        answer = Accepted(dossier.code, version)
        if snapshot_json != stored:
            payloads = intake.encode_dossier(index, snapshot)
            answer.version = version + 1
            known[dossier.code] = (snapshot_json, answer.version)
            intake.snapshots[dossier.code] = {
                "code": dossier.code,
                "snapshot": snapshot_json,
                "version": answer.version,
                "created_at": intake.now,
                "updated_at": intake.now,
                **searchable(snapshot, subject_key),
            }
            intake.queue(answer, SNAPSHOT, payloads, request_id)
            if intake.watchers and _status_changed(stored, snapshot):
                state = intake.encode_state(index, snapshot)
                intake.queue(answer, STATE, state, request_id)
        if dossier.progress:
            seen = set(_steps_of(connection, dossier.code))
            seen.update(s["step"] for s in intake.steps if s["code"] == dossier.code)
            new = [step for step in dossier.progress if step.model_dump_json() not in seen]
            intake.add_steps(index, answer, new, "progress", request_id)
        answers.append(answer)
    intake.write()
    changed = [dossier for dossier in incoming if dossier.code in intake.snapshots]
    record_dossiers(connection, changed, intake.now)
    return answers


def accept_progress(
    connection: Connection, code: str, steps: Sequence[ProgressStep], targets: Targets
) -> Accepted:
    """Append steps to a known dossier's history and queue them, in the order given."""
    known = _stored(connection, [code])
    if code not in known:
        raise UnknownDossier(code)
    intake = _Intake(connection, targets)
    answer = Accepted(code, known[code][1])
    intake.add_steps(0, answer, steps, None)
    intake.write()
    return answer


def find_dossier(connection: Connection, code: str) -> DossierView | None:
    """The latest snapshot with its history, and how far its events got with each system."""
    known = _stored(connection, [code])
    if code not in known:
        return None
    snapshot, version = known[code]
    steps = [ProgressStep.model_validate_json(step) for step in _steps_of(connection, code)]
    dossier = Dossier.model_validate_json(snapshot).model_copy(update={"progress": steps})
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
    return DossierView(dossier, version, list(per_target.values()))
