"""The store's record of documents: what was sent and received, and what happened to each.

An outgoing document is stored with its signed package and one outbox row in the same
transaction. An incoming one is stored once, keyed by the axis's id, before the axis is told it
was received. Every status exchanged about a document (ours or the other party's) is an event in
its timeline. Functions here run inside a store transaction and touch nothing but the
connection.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, select, update
from sqlalchemy.dialects import postgresql, sqlite

from gateway import outbox
from gateway.store.schema import document_events, documents
from gateway.store.schema import outbox as outbox_table

AXIS = "document_axis"
DOCUMENT = "document"
STATUS = "status"


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    id: str
    direction: str
    kind: str
    national_id: str
    from_organ: str
    to_organs: list[str]
    code: str
    subject: str
    business: str
    state: str
    reason: str | None
    created_at: float
    acknowledged_at: float | None


@dataclass(frozen=True, slots=True)
class Event:
    status: str
    at: float
    code: str | None = None
    organ_id: str | None = None
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """What the gateway itself noticed about a received package, for its timeline: a
    ``status`` (``signature_verified``, ``signature_legacy``, ``read_warning``, ...) and what
    it found."""

    status: str
    description: str | None = None


def _record(row: Row[Any]) -> DocumentRecord:
    values = dict(row._mapping)
    values.pop("package", None)
    values["to_organs"] = json.loads(values["to_organs"])
    return DocumentRecord(**values)


def _event(connection: Connection, document: str, event: Event) -> None:
    connection.execute(
        document_events.insert().values(
            document=document,
            status=event.status,
            code=event.code,
            organ_id=event.organ_id,
            description=event.description,
            at=event.at,
        )
    )


def queue_outgoing(
    connection: Connection,
    *,
    national_id: str,
    from_organ: str,
    to_organs: Sequence[str],
    code: str,
    subject: str,
    business: str,
    package: bytes,
    payload: str,
) -> tuple[str, int]:
    """Store a signed package about to be sent and queue it; returns its id and outbox row."""
    document = uuid.uuid4().hex
    now = time.time()
    connection.execute(
        documents.insert().values(
            id=document,
            direction="outgoing",
            kind=DOCUMENT,
            national_id=national_id,
            from_organ=from_organ,
            to_organs=json.dumps(list(to_organs)),
            code=code,
            subject=subject,
            business=business,
            state="queued",
            package=package,
            created_at=now,
        )
    )
    _event(connection, document, Event("queued", now, organ_id=from_organ))
    (row,) = outbox.enqueue(
        connection,
        [outbox.NewEvent(AXIS, DOCUMENT, document, payload, f"{AXIS}:{document}:{DOCUMENT}")],
    )
    return document, row


def queue_status(connection: Connection, document: str, event: Event, payload: str) -> int:
    """Record our answer about ``document`` in its timeline and queue the status package."""
    _event(connection, document, event)
    key = f"{AXIS}:{document}:{STATUS}:{uuid.uuid4().hex}"
    (row,) = outbox.enqueue(connection, [outbox.NewEvent(AXIS, STATUS, document, payload, key)])
    return row


def store_incoming(
    connection: Connection,
    *,
    kind: str,
    national_id: str,
    from_organ: str,
    to_organs: Sequence[str],
    code: str,
    subject: str,
    business: str,
    package: bytes,
    reason: str | None,
    notes: Sequence[Note] = (),
) -> str | None:
    """Store a received package once; returns its new id, or None if it was stored before.

    Its timeline starts with ``received`` (or ``rejected``, with the reason), then ``notes``.
    """
    document = uuid.uuid4().hex
    now = time.time()
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    inserted = connection.execute(
        dialect.insert(documents)
        .values(
            id=document,
            direction="incoming",
            kind=kind,
            national_id=national_id,
            from_organ=from_organ,
            to_organs=json.dumps(list(to_organs)),
            code=code,
            subject=subject,
            business=business,
            state="rejected" if reason else "received",
            reason=reason,
            package=package,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["direction", "national_id"])
        .returning(documents.c.id)
    )
    if inserted.first() is None:  # held already (RETURNING: psycopg gives no row count here)
        return None
    status = "rejected" if reason else "received"
    _event(connection, document, Event(status, now, organ_id=from_organ, description=reason))
    for note in notes:
        _event(connection, document, Event(note.status, now, description=note.description))
    return document


def record_event(connection: Connection, document: str, event: Event) -> None:
    _event(connection, document, event)


def find(connection: Connection, document: str) -> DocumentRecord | None:
    row = connection.execute(select(documents).where(documents.c.id == document)).first()
    return _record(row) if row else None


def find_by_national_id(
    connection: Connection, direction: str, national_id: str
) -> DocumentRecord | None:
    row = connection.execute(
        select(documents).where(
            documents.c.direction == direction, documents.c.national_id == national_id
        )
    ).first()
    return _record(row) if row else None


def package_of(connection: Connection, document: str) -> bytes | None:
    query = select(documents.c.package).where(documents.c.id == document)
    package: bytes | None = connection.execute(query).scalar_one_or_none()
    return package


def timeline(connection: Connection, document: str) -> list[Event]:
    """Everything that happened to ``document``, in the order the gateway learned it (each at
    the time its reporter gave, which for another party is its own clock); ``sent`` follows
    ``queued`` once the axis took the package."""
    events = [
        Event(row.status, row.at, row.code, row.organ_id, row.description)
        for row in connection.execute(
            select(document_events)
            .where(document_events.c.document == document)
            .order_by(document_events.c.id)
        )
    ]
    deliveries = connection.execute(
        select(outbox_table.c.kind, outbox_table.c.delivered_at, outbox_table.c.last_error)
        .where(outbox_table.c.target == AXIS, outbox_table.c.ordering_key == document)
        .where(outbox_table.c.kind == DOCUMENT)
    )
    sent = [Event("sent", row.delivered_at) for row in deliveries if row.delivered_at is not None]
    if sent and events and events[0].status == "queued":
        return [events[0], *sent, *events[1:]]
    return events + sent


def inbox(
    connection: Connection, *, after: str | None, limit: int, include_acknowledged: bool
) -> list[DocumentRecord]:
    """Received documents, oldest first, ``limit`` at a time after the cursor ``after``."""
    query = select(documents).where(
        documents.c.direction == "incoming", documents.c.kind == DOCUMENT
    )
    if not include_acknowledged:
        query = query.where(documents.c.acknowledged_at.is_(None))
    if after is not None:
        cursor = select(documents.c.created_at).where(documents.c.id == after).scalar_subquery()
        query = query.where(
            (documents.c.created_at > cursor)
            | ((documents.c.created_at == cursor) & (documents.c.id > after))
        )
    query = query.order_by(documents.c.created_at, documents.c.id).limit(limit)
    return [_record(row) for row in connection.execute(query)]


def acknowledge(connection: Connection, document: str) -> bool:
    """Mark a received document as taken by the one-stop system; False if unknown."""
    result = connection.execute(
        update(documents)
        .where(documents.c.id == document, documents.c.direction == "incoming")
        .values(acknowledged_at=time.time())
    )
    return result.rowcount > 0
