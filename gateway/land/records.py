"""The store's record of land dossiers: each dossier of a land procedure once, by its code.

A dossier is ``queued`` once its ``TiepNhanHoSo`` is in the outbox, ``forwarded`` once the land
office took it, ``unforwardable`` (with the ``reason``) when the land system's format cannot carry
it. What the land office says back (its ``status``, what it asks for, its results) is pulled in
by the poller; each change bumps ``version``, and the one-stop system takes a version from its
inbox (``taken_version``). Everything that happens to a dossier is an event of its timeline.
Functions here run inside a store transaction and touch nothing but the connection; they may be
run twice (a group commit retried), so each is safe to repeat.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from gateway import outbox
from gateway.outbox import State
from gateway.store.schema import dossiers, land_dossier_events, land_dossiers, land_results
from gateway.store.schema import outbox as outbox_table
from mappings.land_registry import LandProgress, LandResult, LandStatus

TARGET = "land_registry"
"""The outbox target of what goes to the land office."""
INTAKE = "intake"
SUPPLEMENT = "supplement"
HANDOVER = "handover"


class LandState(StrEnum):
    queued = "queued"
    """``TiepNhanHoSo`` is in the outbox."""
    forwarded = "forwarded"
    """The land office took the dossier; its statuses are pulled back."""
    unforwardable = "unforwardable"
    """The land system's format cannot carry it (``reason``); nothing was sent."""


@dataclass(frozen=True, slots=True)
class LandRecord:
    code: str
    receipt: str
    procedure_code: str
    state: LandState
    status: LandStatus | None
    status_at: float | None
    supplement: str | None
    supplement_due: float | None
    reason: str | None
    version: int
    taken_version: int
    forwarded_at: float
    checked_at: float
    updated_at: float

    @property
    def news(self) -> bool:
        """Whether a change pulled back waits for the one-stop system to take it."""
        return self.version > self.taken_version


@dataclass(frozen=True, slots=True)
class Event:
    event: str
    at: float
    status: str | None = None
    description: str | None = None
    delivery: str | None = None
    """For what was sent: pending, delivered, dead or discarded."""
    delivery_error: str | None = None


@dataclass(frozen=True, slots=True)
class StoredResult:
    position: int
    result: LandResult
    content: bytes


def _record(row: Row[Any]) -> LandRecord:
    values = dict(row._mapping)
    values["state"] = LandState(values["state"])
    values["status"] = LandStatus(values["status"]) if values["status"] else None
    return LandRecord(**values)


def event(
    connection: Connection,
    code: str,
    name: str,
    *,
    status: str | None = None,
    description: str | None = None,
    outbox_event: int | None = None,
    at: float | None = None,
) -> None:
    connection.execute(
        land_dossier_events.insert().values(
            dossier=code,
            event=name,
            status=status,
            description=description,
            outbox_event=outbox_event,
            at=time.time() if at is None else at,
        )
    )


def find(connection: Connection, code: str) -> LandRecord | None:
    row = connection.execute(select(land_dossiers).where(land_dossiers.c.code == code)).first()
    return _record(row) if row else None


def unforwarded(
    connection: Connection, procedures: Collection[str], limit: int
) -> list[tuple[str, str]]:
    """Dossiers of the land procedures the gateway holds that are not land dossiers yet: their
    codes and snapshots, oldest first."""
    held = select(land_dossiers.c.code).where(land_dossiers.c.code == dossiers.c.code)
    query = (
        select(dossiers.c.code, dossiers.c.snapshot)
        .where(dossiers.c.procedure_code.in_(sorted(procedures)), ~held.exists())
        .order_by(dossiers.c.created_at, dossiers.c.code)
        .limit(limit)
    )
    return [(row.code, row.snapshot) for row in connection.execute(query)]


def _insert(
    connection: Connection,
    code: str,
    receipt: str,
    procedure_code: str,
    state: LandState,
    reason: str | None,
    now: float,
) -> bool:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    inserted = connection.execute(
        dialect.insert(land_dossiers)
        .values(
            code=code,
            receipt=receipt,
            procedure_code=procedure_code,
            state=state.value,
            reason=reason,
            version=0,
            taken_version=0,
            forwarded_at=now,
            checked_at=0.0,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["code"])
        .returning(land_dossiers.c.code)
    )
    return inserted.first() is not None


def queue_forward(
    connection: Connection, code: str, procedure_code: str, receipt: str, payload: str
) -> int | None:
    """Hold ``code`` as a land dossier and queue its ``TiepNhanHoSo``; the outbox row, or None
    when it is held already."""
    now = time.time()
    if not _insert(connection, code, receipt, procedure_code, LandState.queued, None, now):
        return None
    (row,) = outbox.enqueue(
        connection, [outbox.NewEvent(TARGET, INTAKE, code, payload, f"{TARGET}:{code}:{INTAKE}")]
    )
    event(connection, code, "forwarded", description=f"SoBienNhan {receipt}", outbox_event=row)
    return row


def set_unforwardable(
    connection: Connection, code: str, procedure_code: str, receipt: str, reason: str
) -> bool:
    """Hold ``code`` as a land dossier the land system's format cannot carry."""
    if not _insert(
        connection, code, receipt, procedure_code, LandState.unforwardable, reason, time.time()
    ):
        return False
    event(connection, code, "unforwardable", description=reason)
    return True


def mark_forwarded(connection: Connection, code: str) -> None:
    """The land office took ``code``: its statuses are pulled back from now on."""
    connection.execute(
        update(land_dossiers)
        .where(land_dossiers.c.code == code, land_dossiers.c.state == LandState.queued.value)
        .values(state=LandState.forwarded.value)
    )


def due_for_check(connection: Connection, limit: int) -> list[LandRecord]:
    """Forwarded dossiers the land office has not finished with, least recently asked first."""
    finished = [s.value for s in LandStatus if s.final]
    query = (
        select(land_dossiers)
        .where(
            land_dossiers.c.state == LandState.forwarded.value,
            land_dossiers.c.status.is_(None) | land_dossiers.c.status.not_in(finished),
        )
        .order_by(land_dossiers.c.checked_at, land_dossiers.c.code)
        .limit(limit)
    )
    return [_record(row) for row in connection.execute(query)]


def checked(connection: Connection, codes: Sequence[str], at: float) -> None:
    if codes:
        connection.execute(
            update(land_dossiers).where(land_dossiers.c.code.in_(codes)).values(checked_at=at)
        )


def last_event(connection: Connection, code: str) -> Event | None:
    row = connection.execute(
        select(land_dossier_events)
        .where(land_dossier_events.c.dossier == code)
        .order_by(land_dossier_events.c.id.desc())
        .limit(1)
    ).first()
    return None if row is None else Event(row.event, row.at, row.status, row.description)


def note_unreadable(connection: Connection, code: str, reason: str) -> None:
    """The land office's answer about ``code`` cannot be read; noted once while it stays so."""
    last = last_event(connection, code)
    if last is None or last.event != "unreadable" or last.description != reason:
        event(connection, code, "unreadable", description=reason)


def _results_of(progress: LandProgress) -> list[tuple[str, str | None, str | None]]:
    return [(r.name, r.number, r.file_name) for r in progress.results]


def _held_results(connection: Connection, code: str) -> list[tuple[str, str | None, str | None]]:
    return [(r.result.name, r.result.number, r.result.file_name) for r in results(connection, code)]


def pulled(connection: Connection, held: LandRecord, progress: LandProgress) -> LandRecord | None:
    """What the land office says of ``held`` now; the record when it changed (a new version),
    None when nothing changed or another run recorded it first."""
    due = progress.supplement_due.timestamp() if progress.supplement_due else None
    same_results = _results_of(progress) == _held_results(connection, held.code)
    if (
        held.status is progress.status
        and held.supplement == progress.supplement
        and held.supplement_due == due
        and same_results
    ):
        return None
    now = time.time()
    changed = connection.execute(
        update(land_dossiers)
        .where(land_dossiers.c.code == held.code, land_dossiers.c.version == held.version)
        .values(
            status=progress.status.value,
            status_at=progress.updated_at.astimezone(UTC).timestamp(),
            supplement=progress.supplement,
            supplement_due=due,
            reason=progress.reason if progress.status is LandStatus.refused else held.reason,
            version=held.version + 1,
            updated_at=now,
        )
    )
    if changed.rowcount == 0:
        return None
    if not same_results:
        connection.execute(delete(land_results).where(land_results.c.dossier == held.code))
        rows = [
            {
                "dossier": held.code,
                "position": position,
                "name": result.name,
                "number": result.number,
                "signed_on": result.signed_on.isoformat() if result.signed_on else None,
                "file_name": result.file_name,
                "size": len(content),
                "content": content,
            }
            for position, (result, content) in enumerate(
                zip(progress.results, progress.contents, strict=True)
            )
        ]
        if rows:
            connection.execute(land_results.insert(), rows)
    notes = [s.note for s in progress.history if s.status is progress.status and s.note]
    described = notes[-1] if notes else progress.status_name
    if progress.status is LandStatus.supplement_requested and progress.supplement:
        described = progress.supplement
    if progress.status is LandStatus.refused and progress.reason:
        described = progress.reason
    if progress.results and not same_results:
        described = f"{described or ''} ({len(progress.results)} results)".strip()
    event(
        connection,
        held.code,
        "status",
        status=progress.status.value,
        description=described,
        at=progress.updated_at.astimezone(UTC).timestamp(),
    )
    return find(connection, held.code)


def queue_command(
    connection: Connection, held: LandRecord, kind: str, payload: str, description: str
) -> int:
    """Queue ``kind`` (a supplement or a handover) of ``held`` behind what it was sent before."""
    (row,) = outbox.enqueue(
        connection,
        [
            outbox.NewEvent(
                TARGET, kind, held.code, payload, f"{TARGET}:{held.code}:{kind}:{uuid.uuid4().hex}"
            )
        ],
    )
    event(connection, held.code, f"{kind}_sent", description=description, outbox_event=row)
    return row


def results(connection: Connection, code: str) -> list[StoredResult]:
    rows = connection.execute(
        select(land_results).where(land_results.c.dossier == code).order_by(land_results.c.position)
    )
    return [_stored_result(row) for row in rows]


def _stored_result(row: Row[Any]) -> StoredResult:
    return StoredResult(
        row.position,
        LandResult(
            name=row.name,
            number=row.number,
            signed_on=row.signed_on,
            file_name=row.file_name,
            size=row.size,
        ),
        row.content,
    )


def result(connection: Connection, code: str, position: int) -> StoredResult | None:
    row = connection.execute(
        select(land_results).where(
            land_results.c.dossier == code, land_results.c.position == position
        )
    ).first()
    return None if row is None else _stored_result(row)


def timeline(connection: Connection, code: str) -> list[Event]:
    """Everything that happened to ``code``, in the order the gateway learned it; what was sent
    says how its delivery stands."""
    rows = connection.execute(
        select(
            land_dossier_events,
            outbox_table.c.state.label("delivery"),
            outbox_table.c.last_error.label("delivery_error"),
        )
        .select_from(
            land_dossier_events.outerjoin(
                outbox_table, outbox_table.c.id == land_dossier_events.c.outbox_event
            )
        )
        .where(land_dossier_events.c.dossier == code)
        .order_by(land_dossier_events.c.id)
    )
    return [
        Event(
            event=row.event,
            at=row.at,
            status=row.status,
            description=row.description,
            delivery=row.delivery,
            delivery_error=row.delivery_error if row.delivery != State.delivered else None,
        )
        for row in rows
    ]


def inbox(
    connection: Connection, *, after: str | None, limit: int, news_only: bool
) -> list[LandRecord]:
    """Land dossiers in the order they last changed, ``limit`` at a time after the cursor
    ``after`` (a code); only those with a change not taken yet when ``news_only``."""
    query = select(land_dossiers)
    if news_only:
        query = query.where(land_dossiers.c.version > land_dossiers.c.taken_version)
    if after is not None:
        cursor = (
            select(land_dossiers.c.updated_at)
            .where(land_dossiers.c.code == after)
            .scalar_subquery()
        )
        query = query.where(
            (land_dossiers.c.updated_at > cursor)
            | ((land_dossiers.c.updated_at == cursor) & (land_dossiers.c.code > after))
        )
    query = query.order_by(land_dossiers.c.updated_at, land_dossiers.c.code).limit(limit)
    return [_record(row) for row in connection.execute(query)]


def take(connection: Connection, code: str, version: int) -> LandRecord | None:
    """The one-stop system has taken ``code`` as of ``version`` (a later change comes back to
    the inbox). None if unknown."""
    connection.execute(
        update(land_dossiers)
        .where(
            land_dossiers.c.code == code,
            land_dossiers.c.taken_version < version,
            land_dossiers.c.version >= version,
        )
        .values(taken_version=version)
    )
    return find(connection, code)
