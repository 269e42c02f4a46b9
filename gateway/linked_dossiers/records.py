"""The store's record of inter-connected submissions: each once, by its DVCLT code.

A submission is stored with its form as received, its attachments (bytes) and, when the gateway
can take it, the canonical ``Submission`` (``record``); one it cannot take is kept with its
``reason`` in state ``set_aside``. Its ``state`` is ``new`` while it waits in the inbox,
``taken`` once the one-stop system acknowledged it. Everything that happens to it is an event of
its timeline. Functions here run inside a store transaction and touch nothing but the
connection; they may be run twice (a group commit retried), so each is safe to repeat.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from gateway.outbox import State
from gateway.store.schema import linked_attachments, linked_dossier_events, linked_dossiers
from gateway.store.schema import outbox as outbox_table
from mappings.linked_services import (
    AttachmentInfo,
    Submission,
    SubmissionDetail,
    WireAttachment,
)


class LinkedState(StrEnum):
    new = "new"
    """In the inbox: the one-stop system has not taken it yet."""
    taken = "taken"
    """The one-stop system acknowledged it."""
    set_aside = "set_aside"
    """The gateway cannot take it (``reason``); the national system was not told it is held."""


@dataclass(frozen=True, slots=True)
class LinkedRecord:
    code: str
    submission_id: str
    module: str
    procedure_code: str
    unit_code: str
    national_received: str
    account: str
    state: LinkedState
    reason: str | None
    status: str | None
    province_code: str | None
    supplement_requested_at: float | None
    version: int
    form: str
    record: str | None
    created_at: float
    listed_at: float
    updated_at: float
    acknowledged_at: float | None
    national_acknowledged_at: float | None

    @property
    def submission(self) -> Submission | None:
        return None if self.record is None else Submission.model_validate_json(self.record)

    @property
    def awaiting_supplement(self) -> bool:
        return self.supplement_requested_at is not None


@dataclass(frozen=True, slots=True)
class Event:
    event: str
    at: float
    status: str | None = None
    description: str | None = None
    outbox_event: int | None = None
    delivery: str | None = None
    """For a status sent back: pending, delivered, dead or discarded."""
    delivery_error: str | None = None


@dataclass(frozen=True, slots=True)
class StoredAttachment:
    info: AttachmentInfo
    content: bytes


def _record(row: Row[Any]) -> LinkedRecord:
    values = dict(row._mapping)
    values["state"] = LinkedState(values["state"])
    return LinkedRecord(**values)


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
        linked_dossier_events.insert().values(
            dossier=code,
            event=name,
            status=status,
            description=description,
            outbox_event=outbox_event,
            at=time.time() if at is None else at,
        )
    )


def find(connection: Connection, code: str) -> LinkedRecord | None:
    row = connection.execute(select(linked_dossiers).where(linked_dossiers.c.code == code)).first()
    return _record(row) if row else None


def _attachment_rows(
    code: str, infos: Sequence[AttachmentInfo], contents: Sequence[bytes]
) -> list[dict[str, Any]]:
    return [
        {
            "dossier": code,
            "id": info.id,
            "position": position,
            "document_type": info.document_type,
            "name": info.name,
            "file_name": info.file_name,
            "withdrawn": info.withdrawn,
            "size": len(content),
            "content": content,
        }
        for position, (info, content) in enumerate(zip(infos, contents, strict=True))
    ]


@dataclass(frozen=True, slots=True)
class Taken:
    """What arrived: the detail, and either the canonical submission with each attachment's
    bytes, or why the gateway cannot take it (then ``attachments`` are the raw files, as far
    as they could be read)."""

    detail: SubmissionDetail
    submission: Submission | None
    contents: Sequence[bytes]
    reason: str | None = None

    @property
    def infos(self) -> list[AttachmentInfo]:
        if self.submission is not None:
            return list(self.submission.attachments)
        return [
            AttachmentInfo(
                id=f.id,
                document_type=f.loaiGiayTo,
                name=f.tenGiayTo,
                file_name=f.tenTepDinhKem,
                withdrawn=f.huyGiayTo == 1,
                size=len(content),
            )
            for f, content in zip(self.detail.fileDinhKem, self.contents, strict=False)
        ]


def store_new(connection: Connection, submission_id: str, taken: Taken) -> LinkedRecord | None:
    """Store a submission the gateway did not hold; None if it was stored meanwhile."""
    now = time.time()
    detail = taken.detail
    state = LinkedState.set_aside if taken.reason else LinkedState.new
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    inserted = connection.execute(
        dialect.insert(linked_dossiers)
        .values(
            code=detail.maHoSo,
            submission_id=submission_id,
            module=detail.module,
            procedure_code=detail.maTTHC,
            unit_code=detail.maDonVi,
            national_received=detail.ngayTiepNhan,
            account=detail.techId,
            state=state,
            reason=taken.reason,
            version=1,
            form=detail.data,
            record=None if taken.submission is None else taken.submission.model_dump_json(),
            created_at=now,
            listed_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["code"])
        .returning(linked_dossiers.c.code)
    )
    if inserted.first() is None:  # held already (RETURNING: psycopg gives no row count here)
        return None
    _put_attachments(connection, detail.maHoSo, taken)
    if taken.reason:
        event(connection, detail.maHoSo, "set_aside", description=taken.reason, at=now)
    else:
        event(connection, detail.maHoSo, "received", at=now)
    return find(connection, detail.maHoSo)


def _put_attachments(connection: Connection, code: str, taken: Taken) -> None:
    connection.execute(delete(linked_attachments).where(linked_attachments.c.dossier == code))
    rows = _attachment_rows(code, taken.infos, list(taken.contents)[: len(taken.infos)])
    if rows:
        connection.execute(linked_attachments.insert(), rows)


def replace(connection: Connection, held: LinkedRecord, taken: Taken) -> LinkedRecord | None:
    """The citizen's new content (a resubmission after a supplement request, or a submission set
    aside that can be taken now) in place of what is held; the province's code stays. None when
    ``held`` changed meanwhile (another run did it)."""
    now = time.time()
    detail = taken.detail
    resubmitted = held.state is not LinkedState.set_aside
    state = LinkedState.set_aside if taken.reason else LinkedState.new
    changed = connection.execute(
        update(linked_dossiers)
        .where(linked_dossiers.c.code == held.code, linked_dossiers.c.updated_at == held.updated_at)
        .values(
            module=detail.module,
            procedure_code=detail.maTTHC,
            unit_code=detail.maDonVi,
            national_received=detail.ngayTiepNhan,
            account=detail.techId,
            state=state,
            reason=taken.reason,
            version=held.version + 1 if resubmitted else held.version,
            supplement_requested_at=None,
            form=detail.data,
            record=None if taken.submission is None else taken.submission.model_dump_json(),
            listed_at=now if state is LinkedState.new else held.listed_at,
            updated_at=now,
            acknowledged_at=None,
        )
    )
    if changed.rowcount == 0:
        return None
    _put_attachments(connection, held.code, taken)
    if taken.reason:
        event(connection, held.code, "set_aside", description=taken.reason, at=now)
    elif resubmitted:
        event(connection, held.code, "resubmitted", description=f"version {held.version + 1}")
    else:
        event(connection, held.code, "received", description="taken after being set aside")
    return find(connection, held.code)


def stored_detail(connection: Connection, held: LinkedRecord) -> SubmissionDetail:
    """The national detail as it was stored: to judge a submission set aside again."""
    files = [
        WireAttachment(
            id=a.info.id,
            loaiGiayTo=a.info.document_type or "",
            tenGiayTo=a.info.name or "",
            tenTepDinhKem=a.info.file_name or "",
            huyGiayTo=1 if a.info.withdrawn else 0,
            duLieuTepDinhKem=base64.b64encode(a.content).decode("ascii"),
        )
        for a in attachments(connection, held.code, with_content=True)
    ]
    return SubmissionDetail(
        maDonVi=held.unit_code,
        maTTHC=held.procedure_code,
        module=held.module,
        maHoSo=held.code,
        ngayTiepNhan=held.national_received,
        techId=held.account,
        data=held.form,
        fileDinhKem=files,
    )


def national_acknowledged(connection: Connection, code: str, said: str, final: bool) -> None:
    """The national system answered our acknowledgement of ``code`` (``final``: with a
    verdict such as "does not exist" rather than a success)."""
    now = time.time()
    connection.execute(
        update(linked_dossiers)
        .where(linked_dossiers.c.code == code)
        .values(national_acknowledged_at=now)
    )
    event(
        connection,
        code,
        "acknowledged",
        description=f"{'the system said, finally' if final else 'the system said'}: {said}",
        at=now,
    )


def attachments(
    connection: Connection, code: str, *, with_content: bool = False
) -> list[StoredAttachment]:
    columns = [c for c in linked_attachments.c if with_content or c.name != "content"]
    rows = connection.execute(
        select(*columns)
        .where(linked_attachments.c.dossier == code)
        .order_by(linked_attachments.c.position)
    )
    return [
        StoredAttachment(
            AttachmentInfo(
                id=row.id,
                document_type=row.document_type,
                name=row.name,
                file_name=row.file_name,
                withdrawn=row.withdrawn,
                size=row.size,
            ),
            row.content if with_content else b"",
        )
        for row in rows
    ]


def attachment(connection: Connection, code: str, ident: str) -> StoredAttachment | None:
    row = connection.execute(
        select(linked_attachments).where(
            linked_attachments.c.dossier == code, linked_attachments.c.id == ident
        )
    ).first()
    if row is None:
        return None
    info = AttachmentInfo(
        id=row.id,
        document_type=row.document_type,
        name=row.name,
        file_name=row.file_name,
        withdrawn=row.withdrawn,
        size=row.size,
    )
    return StoredAttachment(info, row.content)


def timeline(connection: Connection, code: str) -> list[Event]:
    """Everything that happened to ``code``, in the order the gateway learned it; a status sent
    back says how its delivery stands."""
    rows = connection.execute(
        select(
            linked_dossier_events,
            outbox_table.c.state.label("delivery"),
            outbox_table.c.last_error.label("delivery_error"),
        )
        .select_from(
            linked_dossier_events.outerjoin(
                outbox_table, outbox_table.c.id == linked_dossier_events.c.outbox_event
            )
        )
        .where(linked_dossier_events.c.dossier == code)
        .order_by(linked_dossier_events.c.id)
    )
    return [
        Event(
            event=row.event,
            at=row.at,
            status=row.status,
            description=row.description,
            outbox_event=row.outbox_event,
            delivery=row.delivery,
            delivery_error=row.delivery_error if row.delivery != State.delivered else None,
        )
        for row in rows
    ]


def inbox(
    connection: Connection,
    *,
    after: str | None,
    limit: int,
    module: str | None,
    state: LinkedState | None,
) -> list[LinkedRecord]:
    """Submissions in the order they entered the inbox (a resubmission enters again), ``limit``
    at a time after the cursor ``after`` (a code), of ``module`` and ``state`` when given."""
    query = select(linked_dossiers)
    if state is not None:
        query = query.where(linked_dossiers.c.state == state.value)
    if module is not None:
        query = query.where(linked_dossiers.c.module == module)
    if after is not None:
        cursor = (
            select(linked_dossiers.c.listed_at)
            .where(linked_dossiers.c.code == after)
            .scalar_subquery()
        )
        query = query.where(
            (linked_dossiers.c.listed_at > cursor)
            | ((linked_dossiers.c.listed_at == cursor) & (linked_dossiers.c.code > after))
        )
    query = query.order_by(linked_dossiers.c.listed_at, linked_dossiers.c.code).limit(limit)
    return [_record(row) for row in connection.execute(query)]


def take(connection: Connection, code: str) -> LinkedRecord | None:
    """The one-stop system has taken ``code``: it leaves the inbox. None if unknown; a
    submission set aside is left as it is (the caller refuses it)."""
    held = find(connection, code)
    if held is None or held.state is not LinkedState.new:
        return held
    now = time.time()
    connection.execute(
        update(linked_dossiers)
        .where(linked_dossiers.c.code == code, linked_dossiers.c.state == LinkedState.new.value)
        .values(state=LinkedState.taken.value, acknowledged_at=now, updated_at=now)
    )
    event(connection, code, "taken", at=now)
    return find(connection, code)


def reported(
    connection: Connection,
    held: LinkedRecord,
    *,
    status: str,
    province_code: str,
    supplement: bool,
    outbox_event: int,
    at: float,
    note: str | None,
) -> None:
    """Record a status the one-stop system reported (queued as ``outbox_event``)."""
    now = time.time()
    values: dict[str, Any] = {"status": status, "province_code": province_code, "updated_at": now}
    if supplement:
        values["supplement_requested_at"] = now
    connection.execute(
        update(linked_dossiers).where(linked_dossiers.c.code == held.code).values(**values)
    )
    event(
        connection,
        held.code,
        "status",
        status=status,
        description=note,
        outbox_event=outbox_event,
        at=at,
    )
