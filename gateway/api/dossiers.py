"""``/v1/dossiers``: the one-stop system pushes snapshots and progress, and reads sync state.

Every push answers 503 with ``Retry-After`` while the backlog is at its limit
(``gateway.api.backpressure``). A single dossier pushed without an ``Idempotency-Key`` is
accepted together with the others waiting for the same commit (``Store.write_together``): one
batch's statements for all of them, each caller answered for its own. That route, the one called
most, reads its caller, headers and body by hand (``gateway.api.by_hand``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from adapters.client import REQUEST_ID
from gateway import dossiers
from gateway.api import by_hand
from gateway.api.backpressure import ADMIT, BACKLOGGED
from gateway.api.caller import caller_of, requires
from gateway.api.deps import GatewayDep, StoreDep
from gateway.api.idempotent import run_write
from gateway.api.problems import problems
from gateway.bootstrap import Gateway
from gateway.store import Connection
from mappings.dossier import EXAMPLE_DOSSIER, EXAMPLE_STEP, Dossier, DossierCode, ProgressStep
from mappings.identifiers import DOSSIER_CODE_PATTERN

router = APIRouter(prefix="/v1/dossiers", tags=["dossiers"])

EXAMPLE_CODE = EXAMPLE_DOSSIER["code"]

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Repeat a request with the same key to get the first answer, not a copy.",
    ),
]
CodeInPath = Annotated[
    DossierCode,
    Path(
        description="The dossier code (MaHoSo).",
        json_schema_extra={"pattern": DOSSIER_CODE_PATTERN},
        examples=[EXAMPLE_CODE],
    ),
]


class QueuedEvent(BaseModel):
    id: int
    code: str
    target: str
    kind: str


class DossierAccepted(BaseModel):
    """What the gateway queued; it is stored and will be delivered even across restarts."""

    code: str
    version: int
    queued: list[QueuedEvent]


class DossierBatch(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"dossiers": [EXAMPLE_DOSSIER]}]})

    dossiers: list[Dossier] = Field(min_length=1, max_length=1000)


class BatchAccepted(BaseModel):
    accepted: int
    queued: list[QueuedEvent]


class ProgressBatch(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"steps": [EXAMPLE_STEP]}]})

    steps: list[ProgressStep] = Field(min_length=1, max_length=1000)


class SyncState(BaseModel):
    target: str
    pending: int
    delivered: int
    dead: int
    attempts: int
    last_error: str | None
    last_delivered_at: datetime | None


class DossierState(BaseModel):
    dossier: Dossier
    version: int
    sync: list[SyncState]


def _location(field: str) -> tuple[str | int, ...]:
    """``applicant.identifiers[0].type`` → ``("applicant", "identifiers", 0, "type")``."""
    parts: list[str | int] = []
    for name in field.split("."):
        stem, *indexes = name.replace("]", "").split("[")
        parts.append(stem)
        parts.extend(int(i) for i in indexes if i.isdigit())
    return tuple(parts)


def _refused(error: dossiers.Undeliverable, where: tuple[str | int, ...]) -> RequestValidationError:
    """A 422 in FastAPI's own shape, naming the field and the national system's rule."""
    loc = where + error.where + _location(error.error.field)
    rule = f"{error.error.rule} (required by {error.target})"
    return RequestValidationError([{"type": "national_format", "loc": loc, "msg": rule}])


@dataclass(slots=True)
class _AcceptTogether:
    """``dossiers.accept_dossiers`` with one gateway's targets, for ``Store.write_together``:
    equal for every push to the same gateway, so their dossiers are accepted in one call."""

    gateway: Gateway

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _AcceptTogether) and other.gateway is self.gateway

    def __call__(
        self, connection: Connection, items: list[tuple[Dossier, str | None]]
    ) -> list[dossiers.Accepted]:
        """Each item is a dossier and the id of the request that brought it."""
        return dossiers.accept_dossiers(
            connection,
            [dossier for dossier, _ in items],
            self.gateway.dossier_targets,
            subject_key=self.gateway.auditor.subject_key,
            procedures=self.gateway.catalogue.check,
            request_ids=[request_id for _, request_id in items],
        )


def _queued(accepted: dossiers.Accepted) -> list[dict[str, object]]:
    return [
        {"id": q.id, "code": accepted.code, "target": q.target, "kind": q.kind}
        for q in accepted.queued
    ]


def _answer(accepted: dossiers.Accepted) -> DossierAccepted:
    """The answer, validated from plain values at once (a third of the cost of building its
    models one by one, which a batch of a thousand felt)."""
    return DossierAccepted.model_validate(
        {"code": accepted.code, "version": accepted.version, "queued": _queued(accepted)}
    )


IDEMPOTENCY_KEY = by_hand.text_header(
    "Idempotency-Key",
    max_length=200,
    description="Repeat a request with the same key to get the first answer, not a copy.",
)
DOSSIER = TypeAdapter(Dossier)


@router.post(
    "",
    status_code=202,
    response_model=DossierAccepted,
    responses=BACKLOGGED,
    openapi_extra=by_hand.declared(
        scope="dossiers:write", body="Dossier-Input", headers=(IDEMPOTENCY_KEY,)
    ),
)
async def push_dossier(request: Request) -> Response:
    """Create or replace a dossier's snapshot and queue it for every national system."""
    gateway: Gateway = request.app.state.gateway
    caller_of(request, "dossiers:write")
    await gateway.backlog.admit()
    idempotency_key = by_hand.header(request, IDEMPOTENCY_KEY)
    dossier = await by_hand.json_body(request, DOSSIER)
    if idempotency_key is None:
        try:
            accepted = await gateway.store.write_together(
                _AcceptTogether(gateway), (dossier, REQUEST_ID.get())
            )
        except dossiers.Undeliverable as error:
            raise _refused(error, ("body",)) from None
        gateway.worker.notify()
        return Response(_answer(accepted).model_dump_json(), 202, media_type="application/json")

    def work(connection: Connection) -> DossierAccepted:
        (accepted,) = dossiers.accept_dossiers(
            connection,
            [dossier],
            gateway.dossier_targets,
            subject_key=gateway.auditor.subject_key,
            procedures=gateway.catalogue.check,
        )
        return _answer(accepted)

    try:
        return await run_write(request, gateway, idempotency_key, work)
    except dossiers.Undeliverable as error:
        raise _refused(error, ("body",)) from None


@router.post(
    ":batch",
    status_code=202,
    response_model=BatchAccepted,
    dependencies=[requires("dossiers:write"), ADMIT],
    responses=BACKLOGGED,
)
async def push_dossiers(
    batch: DossierBatch,
    request: Request,
    gateway: GatewayDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Up to 1,000 snapshots in one transaction: all accepted, or (on a 422) none."""

    def work(connection: Connection) -> BatchAccepted:
        accepted = dossiers.accept_dossiers(
            connection,
            batch.dossiers,
            gateway.dossier_targets,
            subject_key=gateway.auditor.subject_key,
            procedures=gateway.catalogue.check,
        )
        queued = [event for answer in accepted for event in _queued(answer)]
        return BatchAccepted.model_validate({"accepted": len(accepted), "queued": queued})

    try:
        return await run_write(request, gateway, idempotency_key, work)
    except dossiers.Undeliverable as error:
        raise _refused(error, ("body", "dossiers", error.index)) from None


@router.post(
    "/{code}/progress",
    status_code=202,
    response_model=DossierAccepted,
    dependencies=[requires("dossiers:write"), ADMIT],
    responses={**BACKLOGGED, **problems(404, not_found="No dossier has this code: push it first.")},
)
async def push_progress(
    code: CodeInPath,
    progress: ProgressBatch,
    request: Request,
    gateway: GatewayDep,
    idempotency_key: IdempotencyKey = None,
) -> Response:
    """Append processing steps to a dossier already pushed, in the order given."""

    def work(connection: Connection) -> DossierAccepted:
        try:
            accepted = dossiers.accept_progress(
                connection, code, progress.steps, gateway.dossier_targets
            )
        except dossiers.UnknownDossier as error:
            raise HTTPException(404, detail=str(error)) from None
        return _answer(accepted)

    try:
        return await run_write(request, gateway, idempotency_key, work)
    except dossiers.Undeliverable as error:
        raise _refused(error, ("body", "steps")) from None


@router.get(
    "/{code}",
    response_model=DossierState,
    dependencies=[requires("dossiers:read")],
    responses=problems(404, not_found="No dossier has this code."),
)
async def get_dossier(code: CodeInPath, store: StoreDep) -> DossierState:
    """The latest snapshot and, per national system, how far its events got."""
    view = await store.read(lambda connection: dossiers.find_dossier(connection, code))
    if view is None:
        raise HTTPException(404, detail=f"dossier {code!r} is not known to the gateway")
    return DossierState(
        dossier=view.dossier,
        version=view.version,
        sync=[
            SyncState(
                target=s.target,
                pending=s.pending,
                delivered=s.delivered,
                dead=s.dead,
                attempts=s.attempts,
                last_error=s.last_error,
                last_delivered_at=_time(s.last_delivered_at),
            )
            for s in view.sync
        ],
    )


def _time(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)
