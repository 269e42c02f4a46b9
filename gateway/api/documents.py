"""``/v1/documents`` and ``/v1/inbox/documents``: official documents through the national axis.

Sending answers 202 once the signed package is stored and queued, like dossiers. A received
document waits in the inbox until the one-stop system acknowledges it; answering it sends a
status package back to its sender, and every status either side reports shows in the document's
timeline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError

from gateway.api.backpressure import ADMIT, BACKLOGGED
from gateway.api.caller import requires
from gateway.api.deps import GatewayDep, StoreDep
from gateway.api.dossiers import IdempotencyKey
from gateway.api.idempotent import run_write
from gateway.api.problems import Conflict, problems
from gateway.bootstrap import Gateway
from gateway.documents import records
from gateway.documents.outgoing import (
    AlreadySent,
    DocumentToSend,
    RecallToSend,
    StaffIn,
    StatusToSend,
    compose,
    queue_answer,
    queue_document,
)
from gateway.documents.reading import display_status
from gateway.store import Connection
from mappings.edxml.codes import DocumentStatus
from mappings.errors import MappingError

router = APIRouter(tags=["documents"])

SEND_PATH = "/v1/documents"
"""Where documents are sent; its bodies have a limit of their own (LIENTHONG_DOCUMENT_MAX_BYTES)."""

DocumentIdInPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="The gateway's id.")]
NOT_FOUND = problems(404, not_found="The gateway holds no such document.")


class DocumentQueued(BaseModel):
    id: str
    document_id: str
    queued: int


class StatusQueued(BaseModel):
    id: str
    queued: int


class TimelineEntry(BaseModel):
    status: str
    at: datetime
    code: str | None = None
    organ_id: str | None = None
    description: str | None = None


class DocumentState(BaseModel):
    id: str
    direction: str
    document_id: str
    from_organ: str
    to_organs: list[str]
    code: str
    subject: str
    business: str
    state: str
    reason: str | None
    received_at: datetime
    acknowledged_at: datetime | None
    timeline: list[TimelineEntry]


class InboxPage(BaseModel):
    documents: list[DocumentState]
    next_after: str | None
    """Pass as ``after`` for the next page; None when this page is the last."""


def _time(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def _state(record: records.DocumentRecord, events: list[records.Event]) -> DocumentState:
    sent = any(e.status == "sent" for e in events)
    return DocumentState(
        id=record.id,
        direction=record.direction,
        document_id=record.national_id,
        from_organ=record.from_organ,
        to_organs=record.to_organs,
        code=record.code,
        subject=record.subject,
        business=record.business,
        state="sent" if record.state == "queued" and sent else record.state,
        reason=record.reason,
        received_at=datetime.fromtimestamp(record.created_at, UTC),
        acknowledged_at=_time(record.acknowledged_at),
        timeline=[
            TimelineEntry(
                status=display_status(e.status),
                at=datetime.fromtimestamp(e.at, UTC),
                code=e.code,
                organ_id=e.organ_id,
                description=e.description,
            )
            for e in events
        ],
    )


def _refused(error: MappingError, where: tuple[str | int, ...]) -> RequestValidationError:
    return RequestValidationError(
        [{"type": "national_format", "loc": where, "msg": f"{error.field}: {error.rule}"}]
    )


def _unwritable(error: ValueError) -> RequestValidationError:
    """What the edXML package's own model refused of a request that passed the API's checks."""
    if isinstance(error, ValidationError):
        messages = [
            f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}"
            for e in error.errors(include_input=False)[:3]
        ]
        said = "; ".join(messages)
    else:
        said = str(error)
    return RequestValidationError(
        [
            {
                "type": "national_format",
                "loc": ("body",),
                "msg": f"the document cannot be written as an edXML package: {said}",
            }
        ]
    )


def _already_sent(error: AlreadySent) -> Conflict:
    return Conflict(str(error), existing=f"{SEND_PATH}/{error.existing}")


@router.post(
    SEND_PATH,
    status_code=202,
    response_model=DocumentQueued,
    dependencies=[requires("documents:send"), ADMIT],
    responses={
        **BACKLOGGED,
        **problems(409, conflict="A document with the same DocumentId was sent before."),
    },
)
async def send_document(
    document: DocumentToSend,
    request: Request,
    gateway: GatewayDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Write, sign and queue an official document for its receivers on the axis; 503 with
    Retry-After while the backlog is at its limit."""
    documents = gateway.documents

    def work(connection: Connection) -> DocumentQueued:
        try:
            ident, national, row = queue_document(
                connection, document, documents.sender, documents.signing
            )
        except AlreadySent as error:
            raise _already_sent(error) from None
        except MappingError as error:
            raise _refused(error, ("body",)) from None
        except ValueError as error:
            raise _unwritable(error) from None
        return DocumentQueued(id=ident, document_id=national, queued=row)

    try:
        return await run_write(request, gateway, idempotency_key, work)
    except IntegrityError:
        raise await _sent_meanwhile(gateway, document) from None


async def _sent_meanwhile(gateway: Gateway, document: DocumentToSend) -> Exception:
    """The conflict when another replica stored the same DocumentId between our check and our
    insert (its unique key refused ours)."""
    _, identifier = compose(document, gateway.documents.sender)
    sent = await gateway.store.read(
        lambda c: records.find_by_national_id(c, "outgoing", identifier)
    )
    if sent is None:
        return RuntimeError(f"storing document {identifier!r} failed on a unique key")
    return _already_sent(AlreadySent(identifier, sent.id))


def _answer(
    gateway: Gateway,
    document: str,
    status: DocumentStatus,
    direction: str,
    description: str | None,
    staff: StaffIn | None,
) -> Callable[[Connection], StatusQueued]:
    documents = gateway.documents

    def work(connection: Connection) -> StatusQueued:
        record = records.find(connection, document)
        if record is None or record.direction != direction:
            raise HTTPException(
                404, detail=f"no {direction} document {document!r} is known to the gateway"
            )
        if record.state == "rejected":
            raise Conflict(
                f"document {document!r} was rejected: {record.reason}",
                existing=f"{SEND_PATH}/{document}",
            )
        row = queue_answer(
            connection,
            record,
            documents.sender,
            documents.signing,
            status,
            description=description,
            staff=staff,
        )
        return StatusQueued(id=document, queued=row)

    return work


@router.post(
    "/v1/documents/{document}/status",
    status_code=202,
    response_model=StatusQueued,
    dependencies=[requires("documents:send")],
    responses={**NOT_FOUND, **problems(409, conflict="The document was rejected on receipt.")},
)
async def answer_document(
    document: DocumentIdInPath,
    answer: StatusToSend,
    request: Request,
    gateway: GatewayDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Answer a received document (accepted, assigned, processing, done, refused, or agree or
    refuse its sender's request to recall or update it) with a status package."""
    work = _answer(
        gateway,
        document,
        DocumentStatus(answer.status),
        "incoming",
        answer.description,
        answer.staff,
    )
    return await run_write(request, gateway, idempotency_key, work)


@router.post(
    "/v1/documents/{document}/recall",
    status_code=202,
    response_model=StatusQueued,
    dependencies=[requires("documents:send")],
    responses={**NOT_FOUND, **problems(409, conflict="The document was rejected on receipt.")},
)
async def recall_document(
    document: DocumentIdInPath,
    recall: RecallToSend,
    request: Request,
    gateway: GatewayDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Ask the receivers of a document we sent to give it back (status 13); their answer (15
    agreed, 16 refused) shows in its timeline."""
    work = _answer(
        gateway,
        document,
        DocumentStatus.recall_requested,
        "outgoing",
        recall.reason,
        recall.staff,
    )
    return await run_write(request, gateway, idempotency_key, work)


@router.get(
    "/v1/documents/{document}",
    response_model=DocumentState,
    dependencies=[requires("documents:read")],
    responses=NOT_FOUND,
)
async def get_document(document: DocumentIdInPath, store: StoreDep) -> DocumentState:
    """A document sent or received, with its status timeline."""

    def read(connection: Connection) -> DocumentState | None:
        record = records.find(connection, document)
        return _state(record, records.timeline(connection, document)) if record else None

    state = await store.read(read)
    if state is None:
        raise HTTPException(404, detail=f"document {document!r} is not known to the gateway")
    return state


@router.get(
    "/v1/documents/{document}/package",
    response_class=Response,
    dependencies=[requires("documents:read")],
    responses={
        200: {"content": {"application/xml": {"schema": {"type": "string"}}}},
        **NOT_FOUND,
    },
)
async def get_package(document: DocumentIdInPath, store: StoreDep) -> Response:
    """The edXML package exactly as sent or received (signature included)."""
    package = await store.read(lambda c: records.package_of(c, document))
    if package is None:
        raise HTTPException(404, detail=f"document {document!r} is not known to the gateway")
    return Response(package, media_type="application/xml")


@router.get(
    "/v1/inbox/documents", response_model=InboxPage, dependencies=[requires("documents:read")]
)
async def inbox(
    store: StoreDep,
    after: Annotated[str | None, Query(pattern=r"^[0-9a-f]{32}$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    include_acknowledged: bool = False,
) -> InboxPage:
    """Documents received from other organisations, oldest first, a page at a time."""

    def read(connection: Connection) -> list[DocumentState]:
        found = records.inbox(
            connection, after=after, limit=limit, include_acknowledged=include_acknowledged
        )
        return [_state(r, records.timeline(connection, r.id)) for r in found]

    page = await store.read(read)
    return InboxPage(documents=page, next_after=page[-1].id if len(page) == limit else None)


@router.post(
    "/v1/inbox/documents/{document}/ack",
    status_code=204,
    dependencies=[requires("documents:read")],
    responses=problems(404, not_found="No received document has this id."),
)
async def acknowledge(document: DocumentIdInPath, gateway: GatewayDep) -> Response:
    """The one-stop system has taken the document: it leaves the inbox (it stays readable)."""
    if not await gateway.store.write(lambda c: records.acknowledge(c, document)):
        raise HTTPException(404, detail=f"no received document {document!r}")
    return Response(status_code=204)
