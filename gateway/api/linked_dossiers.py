"""``/v1/inbox/dossiers``: inter-connected submissions (birth and death bundles) for the
one-stop system to take, and its handling reported back.

The poller stores each submission once (``gateway.linked_dossiers``); here the one-stop system
pages through them, reads one with its form in the province's canonical model and its
attachments by link, takes it (``ack``), and reports each step of its handling (``status``),
queued and delivered to the national system in order. A submission the gateway set aside (a
procedure or unit it does not take, a form it cannot read) is listed with ``state=set_aside``
and its reason, for operators; it cannot be taken or answered.
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, date, datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response
from pydantic import BaseModel, Field

from gateway.api.caller import requires
from gateway.api.deps import GatewayDep, StoreDep
from gateway.api.dossiers import IdempotencyKey
from gateway.api.idempotent import run_write
from gateway.api.problems import Conflict, problems
from gateway.bootstrap import linked_config
from gateway.linked_dossiers import (
    LinkedRecord,
    LinkedState,
    SetAside,
    StatusRefused,
    UnknownDossier,
    records,
    report_status,
)
from gateway.store import Connection
from mappings.errors import MappingError
from mappings.linked_services import (
    BirthRegistration,
    DeathRegistration,
    Handling,
    Module,
    StatusReport,
    national_date,
)

router = APIRouter(tags=["inter-connected submissions"])

INBOX = "/v1/inbox/dossiers"
CODE = r"^[A-Za-z0-9][A-Za-z0-9._\-]{0,63}$"
CodeInPath = Annotated[str, Path(pattern=CODE, description="The DVCLT dossier code.")]
AttachmentInPath = Annotated[
    str, Path(min_length=1, max_length=128, description="The attachment's id.")
]
NOT_FOUND = problems(404, not_found="The gateway holds no such inter-connected submission.")
SET_ASIDE = problems(409, conflict="The submission was set aside, or already has its final status.")


class AttachmentLink(BaseModel):
    id: str
    document_type: str | None = Field(description="loaiGiayTo")
    name: str | None = Field(description="What the paper is (tenGiayTo).")
    file_name: str | None
    withdrawn: bool = Field(description="The citizen withdrew it (huyGiayTo = 1).")
    size: int
    link: str = Field(description="Where its bytes are.")


class LinkedDossierSummary(BaseModel):
    code: str = Field(description="The DVCLT dossier code.")
    module: Module = Field(description="KS birth registration, KT death registration.")
    procedure_code: str
    unit_code: str = Field(description="The district (3 digits) or commune (5) it is for.")
    state: LinkedState = Field(
        description="new: waiting to be taken; taken: acknowledged by the one-stop system; "
        "set_aside: the gateway could not take it (see reason)."
    )
    reason: str | None = Field(description="Why it was set aside.")
    status: Handling | None = Field(description="The last handling reported.")
    province_code: str | None = Field(description="The one-stop system's own code of it.")
    version: int = Field(description="1, +1 each time the citizen resubmitted it.")
    submitted_on: date | None = Field(description="When the national system received it.")
    received_at: datetime = Field(description="When the gateway stored it.")
    listed_at: datetime = Field(description="When it last entered the inbox.")
    acknowledged_at: datetime | None = Field(description="When the one-stop system took it.")
    link: str


class LinkedTimelineEntry(BaseModel):
    event: str = Field(
        description="received, set_aside, resubmitted, acknowledged (told to the national "
        "system), taken, status"
    )
    at: datetime
    status: Handling | None = None
    description: str | None = None
    delivery: str | None = Field(
        default=None, description="For a status: pending, delivered, dead or discarded."
    )
    delivery_error: str | None = None


class LinkedDossier(LinkedDossierSummary):
    account: str | None = Field(description="The citizen's account at the national system.")
    form: BirthRegistration | DeathRegistration | None = Field(
        discriminator="kind", description="The form, in the province's model (none if set aside)."
    )
    attachments: list[AttachmentLink]
    timeline: list[LinkedTimelineEntry]


class LinkedDossierPage(BaseModel):
    dossiers: list[LinkedDossierSummary]
    next_after: str | None
    """Pass as ``after`` for the next page; None when this page is the last."""


class LinkedStatusQueued(BaseModel):
    code: str
    status: Handling
    province_code: str
    queued: int = Field(description="The outbox event that carries it.")


def _time(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def _submitted_on(record: LinkedRecord) -> date | None:
    try:
        return national_date(record.national_received, "ngayTiepNhan")
    except MappingError:
        return None


def _summary(record: LinkedRecord) -> dict[str, object]:
    return {
        "code": record.code,
        "module": record.module,
        "procedure_code": record.procedure_code,
        "unit_code": record.unit_code,
        "state": record.state,
        "reason": record.reason,
        "status": record.status,
        "province_code": record.province_code,
        "version": record.version,
        "submitted_on": _submitted_on(record),
        "received_at": datetime.fromtimestamp(record.created_at, UTC),
        "listed_at": datetime.fromtimestamp(record.listed_at, UTC),
        "acknowledged_at": _time(record.acknowledged_at),
        "link": f"{INBOX}/{record.code}",
    }


def _in_full(connection: Connection, record: LinkedRecord) -> LinkedDossier:
    submission = record.submission
    return LinkedDossier.model_validate(
        {
            **_summary(record),
            "account": record.account or None,
            "form": None if submission is None else submission.form,
            "attachments": [
                AttachmentLink(
                    **a.info.model_dump(),
                    link=f"{INBOX}/{record.code}/attachments/{quote(a.info.id, safe='')}",
                )
                for a in records.attachments(connection, record.code)
            ],
            "timeline": [
                LinkedTimelineEntry(
                    event=e.event,
                    at=datetime.fromtimestamp(e.at, UTC),
                    status=e.status,
                    description=e.description,
                    delivery=e.delivery,
                    delivery_error=e.delivery_error,
                )
                for e in records.timeline(connection, record.code)
            ],
        }
    )


def _not_found(code: str) -> HTTPException:
    return HTTPException(404, detail=f"the gateway holds no inter-connected submission {code!r}")


@router.get(INBOX, response_model=LinkedDossierPage, dependencies=[requires("inbox:read")])
async def list_dossiers(
    store: StoreDep,
    after: Annotated[str | None, Query(pattern=CODE, description="The last code seen.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    module: Annotated[Module | None, Query(description="KS or KT; both when left out.")] = None,
    state: Annotated[
        LinkedState | Literal["all"],
        Query(description="new (the default): waiting to be taken; taken; set_aside; all."),
    ] = LinkedState.new,
) -> LinkedDossierPage:
    """Inter-connected submissions in the order they entered the inbox (a resubmission enters
    again), a page at a time."""

    def read(connection: Connection) -> list[LinkedRecord]:
        return records.inbox(
            connection,
            after=after,
            limit=limit,
            module=module.value if module else None,
            state=None if state == "all" else LinkedState(state),
        )

    page = await store.read(read)
    return LinkedDossierPage(
        dossiers=[LinkedDossierSummary.model_validate(_summary(r)) for r in page],
        next_after=page[-1].code if len(page) == limit else None,
    )


@router.get(
    INBOX + "/{code}",
    response_model=LinkedDossier,
    dependencies=[requires("inbox:read")],
    responses=NOT_FOUND,
)
async def get_dossier(code: CodeInPath, store: StoreDep) -> LinkedDossier:
    """One submission: its form in the province's model, its attachments by link, and its
    timeline (statuses reported and how their delivery stands)."""

    def read(connection: Connection) -> LinkedDossier | None:
        record = records.find(connection, code)
        return None if record is None else _in_full(connection, record)

    found = await store.read(read)
    if found is None:
        raise _not_found(code)
    return found


@router.get(
    INBOX + "/{code}/attachments/{attachment}",
    response_class=Response,
    dependencies=[requires("inbox:read")],
    responses={
        200: {"content": {"application/octet-stream": {"schema": {"type": "string"}}}},
        **problems(404, not_found="No such submission, or no such attachment of it."),
    },
)
async def get_attachment(
    code: CodeInPath, attachment: AttachmentInPath, store: StoreDep
) -> Response:
    """An attachment's bytes, as the citizen sent them."""
    found = await store.read(lambda c: records.attachment(c, code, attachment))
    if found is None:
        raise HTTPException(404, detail=f"submission {code!r} has no attachment {attachment!r}")
    name = found.info.file_name or found.info.id
    media = mimetypes.guess_type(name)[0] or "application/octet-stream"
    disposition = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
    return Response(found.content, media_type=media, headers={"Content-Disposition": disposition})


@router.post(
    INBOX + "/{code}/ack",
    status_code=204,
    dependencies=[requires("inbox:write")],
    responses={**NOT_FOUND, **SET_ASIDE},
)
async def take_dossier(code: CodeInPath, store: StoreDep) -> Response:
    """The one-stop system has taken the submission: it leaves the inbox (it stays readable).
    Taking it again changes nothing."""
    record = await store.write(lambda c: records.take(c, code))
    if record is None:
        raise _not_found(code)
    if record.state is LinkedState.set_aside:
        raise Conflict(str(SetAside(code, record.reason)), existing=f"{INBOX}/{code}")
    return Response(status_code=204)


@router.post(
    INBOX + "/{code}/status",
    status_code=202,
    response_model=LinkedStatusQueued,
    dependencies=[requires("inbox:write")],
    responses={**NOT_FOUND, **SET_ASIDE},
)
async def report_handling(
    code: CodeInPath,
    report: StatusReport,
    request: Request,
    gateway: GatewayDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Report one step of the province's handling: received, supplement_requested (with
    supplement_deadline), accepted, registered (with result: the registration number, its day
    and the certificate), handed_over or refused. It is queued and delivered to the national
    system in the order reported. The first status needs province_code, the one-stop system's
    own code of the dossier, which is kept for the later ones."""
    agency = linked_config(gateway.national).handling_agency

    def work(connection: Connection) -> LinkedStatusQueued:
        try:
            queued = report_status(connection, code, report, handling_agency=agency)
        except UnknownDossier as error:
            raise _not_found(error.code) from None
        except StatusRefused as error:
            raise Conflict(str(error), existing=f"{INBOX}/{code}") from None
        return LinkedStatusQueued(
            code=queued.code,
            status=queued.status,
            province_code=queued.province_code,
            queued=queued.queued,
        )

    return await run_write(request, gateway, idempotency_key, work)
