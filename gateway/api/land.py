"""``/v1/land/...`` and ``/v1/inbox/land``: the province's exchange with the land office.

Dossiers of land procedures pushed with ``POST /v1/dossiers`` are forwarded to the land office
by the gateway (``gateway.land``); what the land office says back (its status, what it asks the
applicant for, its results) arrives in the inbox, where the one-stop system reads each land
dossier with its timeline and results and takes the version it has seen (``ack``). The
one-stop system answers the land office through the outbox: the applicant supplied what was
asked (``supplement``), the result was handed over (``handover``).

A parcel's registration names its holders: each look-up declares its purpose, officer and
dossier and leaves one audit record, like a citizen look-up.
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, date, datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response, Security
from pydantic import BaseModel, Field

from gateway.api.caller import Caller, get_caller, requires
from gateway.api.deps import GatewayDep, StoreDep
from gateway.api.dossiers import IdempotencyKey
from gateway.api.idempotent import run_write
from gateway.api.problems import Conflict, problems
from gateway.api.registries import (
    LOOKUP_FAILURES,
    Declaration,
    IdNumber,
    invalid_input,
    national_call,
)
from gateway.land import INBOX, LandRecord, LandRefused, LandState, UnknownLandDossier
from gateway.land import records as land_records
from gateway.registries.lookups import Declared, check_id_number
from gateway.store import Connection
from mappings.identifiers import DOSSIER_CODE_PATTERN
from mappings.land_registry import (
    CommuneCode,
    Handover,
    LandStatus,
    Parcel,
    ParcelRef,
    Supplement,
)

router = APIRouter(tags=["land"])

ParcelsCaller = Annotated[Caller, Security(get_caller, scopes=["parcels:lookup"])]
CodeInPath = Annotated[
    str, Path(pattern=DOSSIER_CODE_PATTERN, description="The one-stop dossier code.")
]
NOT_FOUND = problems(404, not_found="The gateway holds no such land dossier.")
REFUSED = problems(
    409, conflict="The land dossier was not forwarded, or is not in the status this needs."
)


class ParcelLookup(Declaration):
    """Which parcel, and why its registration is looked up."""

    commune_code: CommuneCode = Field(description="The commune's 5-digit code (MaXa).")
    map_sheet: int = Field(ge=1, le=99_999, description="The map sheet (SoHieuBanDo).")
    parcel_number: int = Field(ge=1, le=999_999, description="The parcel's number (SoThuTuThua).")


class HeldParcelsLookup(Declaration):
    """Whose parcels, and why they are looked up."""

    id_number: IdNumber


class ParcelAnswer(BaseModel):
    parcel: Parcel


class HeldParcels(BaseModel):
    parcels: list[Parcel]


class LandResultLink(BaseModel):
    position: int
    name: str
    number: str | None = Field(description="SoHieu: the result's number.")
    signed_on: date | None
    file_name: str | None
    size: int
    link: str = Field(description="Where its bytes are.")


class LandTimelineEntry(BaseModel):
    event: str = Field(
        description="forwarded, unforwardable, status (pulled back from the land office), "
        "unreadable, supplement_sent, handover_sent"
    )
    at: datetime
    status: LandStatus | None = None
    description: str | None = None
    delivery: str | None = Field(
        default=None, description="For what was sent: pending, delivered, dead or discarded."
    )
    delivery_error: str | None = None


class LandDossierSummary(BaseModel):
    code: str = Field(description="The one-stop dossier code.")
    receipt: str = Field(description="SoBienNhan: its number at the land office.")
    procedure_code: str
    state: LandState = Field(
        description="queued: being sent; forwarded: the land office took it; unforwardable: "
        "the land system cannot take it (see reason)."
    )
    status: LandStatus | None = Field(description="The land office's last status.")
    status_at: datetime | None
    supplement: str | None = Field(description="What the land office asks the applicant for.")
    supplement_due: datetime | None
    reason: str | None = Field(description="Why it was not forwarded, or why it was refused.")
    version: int = Field(description="+1 for each change pulled back from the land office.")
    taken_version: int = Field(description="The version the one-stop system took.")
    forwarded_at: datetime
    updated_at: datetime
    link: str


class LandDossier(LandDossierSummary):
    results: list[LandResultLink]
    timeline: list[LandTimelineEntry]


class LandDossierPage(BaseModel):
    dossiers: list[LandDossierSummary]
    next_after: str | None
    """Pass as ``after`` for the next page; None when this page is the last."""


class Taken(BaseModel):
    version: int = Field(
        ge=1, le=2**31 - 1, description="The version the one-stop system has seen."
    )


class LandQueued(BaseModel):
    code: str
    queued: int = Field(description="The outbox event that carries it.")


def _time(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def _summary(record: LandRecord) -> dict[str, object]:
    return {
        "code": record.code,
        "receipt": record.receipt,
        "procedure_code": record.procedure_code,
        "state": record.state,
        "status": record.status,
        "status_at": _time(record.status_at),
        "supplement": record.supplement,
        "supplement_due": _time(record.supplement_due),
        "reason": record.reason,
        "version": record.version,
        "taken_version": record.taken_version,
        "forwarded_at": _time(record.forwarded_at),
        "updated_at": _time(record.updated_at),
        "link": f"{INBOX}/{record.code}",
    }


def _in_full(connection: Connection, record: LandRecord) -> LandDossier:
    return LandDossier.model_validate(
        {
            **_summary(record),
            "results": [
                LandResultLink(
                    position=r.position,
                    name=r.result.name,
                    number=r.result.number,
                    signed_on=r.result.signed_on,
                    file_name=r.result.file_name,
                    size=r.result.size,
                    link=f"{INBOX}/{record.code}/results/{r.position}",
                )
                for r in land_records.results(connection, record.code)
            ],
            "timeline": [
                LandTimelineEntry(
                    event=e.event,
                    at=datetime.fromtimestamp(e.at, UTC),
                    status=e.status,
                    description=e.description,
                    delivery=e.delivery,
                    delivery_error=e.delivery_error,
                )
                for e in land_records.timeline(connection, record.code)
            ],
        }
    )


def _not_found(code: str) -> HTTPException:
    return HTTPException(404, detail=str(UnknownLandDossier(code)))


@router.post(
    "/v1/land/parcels/lookup",
    response_model=ParcelAnswer,
    responses={
        **problems(404, not_found="The land system holds no such parcel."),
        **LOOKUP_FAILURES,
    },
)
async def look_up_parcel(
    lookup: ParcelLookup, gateway: GatewayDep, caller: ParcelsCaller
) -> ParcelAnswer:
    """One parcel's registration (area, land use, certificate, holders, encumbrances) from the
    land system; audited."""
    ref = ParcelRef(
        commune_code=lookup.commune_code,
        map_sheet=lookup.map_sheet,
        parcel_number=lookup.parcel_number,
    )
    declared = Declared(caller.name, lookup.purpose, lookup.officer, lookup.dossier_code)
    parcels = gateway.land.parcels
    found = await national_call(
        lambda: parcels.find_parcel(ref, declared), "land system", ("body", "commune_code")
    )
    if found is None:
        raise HTTPException(404, detail=f"the land system holds no parcel {ref.label()}")
    return ParcelAnswer(parcel=found)


@router.post("/v1/land/parcels/held", response_model=HeldParcels, responses=LOOKUP_FAILURES)
async def look_up_held_parcels(
    lookup: HeldParcelsLookup, gateway: GatewayDep, caller: ParcelsCaller
) -> HeldParcels:
    """The parcels whose land use right a person holds (none is an empty list); audited."""
    try:
        check_id_number(lookup.id_number)
    except ValueError as error:
        raise invalid_input(("body", "id_number"), error) from None
    declared = Declared(caller.name, lookup.purpose, lookup.officer, lookup.dossier_code)
    parcels = gateway.land.parcels
    found = await national_call(
        lambda: parcels.parcels_of(lookup.id_number, declared),
        "land system",
        ("body", "id_number"),
    )
    return HeldParcels(parcels=found)


@router.get(INBOX, response_model=LandDossierPage, dependencies=[requires("land:read")])
async def list_land_dossiers(
    store: StoreDep,
    after: Annotated[
        str | None, Query(pattern=DOSSIER_CODE_PATTERN, description="The last code seen.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    state: Annotated[
        Literal["news", "all"],
        Query(description="news (the default): with a change not taken yet; all."),
    ] = "news",
) -> LandDossierPage:
    """Land dossiers in the order they last changed, a page at a time."""
    page = await store.read(
        lambda c: land_records.inbox(c, after=after, limit=limit, news_only=state == "news")
    )
    return LandDossierPage(
        dossiers=[LandDossierSummary.model_validate(_summary(r)) for r in page],
        next_after=page[-1].code if len(page) == limit else None,
    )


@router.get(
    INBOX + "/{code}",
    response_model=LandDossier,
    dependencies=[requires("land:read")],
    responses=NOT_FOUND,
)
async def get_land_dossier(code: CodeInPath, store: StoreDep) -> LandDossier:
    """One land dossier: the land office's status, what it asks for, its results by link, and
    its timeline (what was sent and how its delivery stands, what was pulled back)."""

    def read(connection: Connection) -> LandDossier | None:
        record = land_records.find(connection, code)
        return None if record is None else _in_full(connection, record)

    found = await store.read(read)
    if found is None:
        raise _not_found(code)
    return found


@router.get(
    INBOX + "/{code}/results/{position}",
    response_class=Response,
    dependencies=[requires("land:read")],
    responses={
        200: {"content": {"application/octet-stream": {"schema": {"type": "string"}}}},
        **problems(404, not_found="No such land dossier, or no such result of it."),
    },
)
async def get_land_result(
    code: CodeInPath,
    position: Annotated[int, Path(ge=0, le=1000, description="The result's position.")],
    store: StoreDep,
) -> Response:
    """A result's file, as the land office issued it."""
    found = await store.read(lambda c: land_records.result(c, code, position))
    if found is None:
        raise HTTPException(404, detail=f"land dossier {code!r} has no result {position}")
    name = found.result.file_name or f"{code}-{position}"
    media = mimetypes.guess_type(name)[0] or "application/octet-stream"
    disposition = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
    return Response(found.content, media_type=media, headers={"Content-Disposition": disposition})


@router.post(
    INBOX + "/{code}/ack",
    status_code=204,
    dependencies=[requires("land:write")],
    responses={**NOT_FOUND, **problems(409, conflict="No such version of the land dossier.")},
)
async def take_land_dossier(code: CodeInPath, taken: Taken, store: StoreDep) -> Response:
    """The one-stop system has seen the land dossier as of ``version``: it leaves the inbox
    until the land office says something new. Taking it again changes nothing."""
    record = await store.write(lambda c: land_records.take(c, code, taken.version))
    if record is None:
        raise _not_found(code)
    if taken.version > record.version:
        raise Conflict(
            f"land dossier {code!r} is at version {record.version}, not {taken.version}",
            existing=f"{INBOX}/{code}",
        )
    return Response(status_code=204)


@router.post(
    "/v1/land/dossiers/{code}/supplement",
    status_code=202,
    response_model=LandQueued,
    dependencies=[requires("land:write")],
    responses={**NOT_FOUND, **REFUSED},
)
async def send_supplement(
    code: CodeInPath,
    supplement: Supplement,
    request: Request,
    gateway: GatewayDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """The applicant supplied what the land office asked for (while its status is
    supplement_requested): the documents by link and the new date the result is due, queued
    and sent to the land office (CapNhatTrangThaiBoSungHoSo)."""
    service = gateway.land.dossiers

    def work(connection: Connection) -> LandQueued:
        try:
            return LandQueued(code=code, queued=service.supplement(connection, code, supplement))
        except UnknownLandDossier:
            raise _not_found(code) from None
        except LandRefused as error:
            raise Conflict(str(error), existing=f"{INBOX}/{code}") from None

    return await run_write(request, gateway, idempotency_key, work)


@router.post(
    "/v1/land/dossiers/{code}/handover",
    status_code=202,
    response_model=LandQueued,
    dependencies=[requires("land:write")],
    responses={**NOT_FOUND, **REFUSED},
)
async def send_handover(
    code: CodeInPath,
    handover: Handover,
    request: Request,
    gateway: GatewayDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """The result was handed to the applicant (while the land office's status is resolved):
    queued and sent to the land office (CapNhatKetQuaTraHoSo)."""
    service = gateway.land.dossiers

    def work(connection: Connection) -> LandQueued:
        try:
            return LandQueued(code=code, queued=service.handover(connection, code, handover))
        except UnknownLandDossier:
            raise _not_found(code) from None
        except LandRefused as error:
            raise Conflict(str(error), existing=f"{INBOX}/{code}") from None

    return await run_write(request, gateway, idempotency_key, work)
