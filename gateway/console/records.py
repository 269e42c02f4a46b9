"""Hồ sơ and Văn bản: a dossier's timeline across national systems, a document's timeline, and
the inbox of documents received from the axis.

A dossier's timeline puts together what ``GET /v1/dossiers/{code}`` answers (the snapshot, its
progress steps, how far its events got with each system) and each of its events with the moments
it was accepted, delivered or failed. The applicant's ID number is shown masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection, select

from gateway.api.deps import GatewayDep
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.failures import STATUS_LABELS
from gateway.console.rendering import N_
from gateway.documents import records
from gateway.dossiers import DossierView, find_dossier
from gateway.operations import Status
from gateway.registries.audit import mask
from gateway.store.schema import outbox

router = APIRouter(prefix="/console", include_in_schema=False)

INBOX_PAGE = 50


@dataclass(frozen=True, slots=True)
class Moment:
    """One line of a timeline."""

    at: float
    what: str
    system: str | None = None
    detail: str | None = None
    event: int | None = None
    status: str | None = None


EVENT_KINDS = {
    "dossier": N_("Hồ sơ (bản chụp đầy đủ)"),
    "progress": N_("Tiến độ xử lý"),
    "document": N_("Văn bản"),
    "status": N_("Trạng thái văn bản"),
}


def dossier_timeline(connection: Connection, code: str) -> tuple[DossierView | None, list[Moment]]:
    """The dossier and, oldest first, every event of it with what became of it."""
    view = find_dossier(connection, code)
    if view is None:
        return None, []
    moments = []
    rows = connection.execute(
        select(
            outbox.c.id,
            outbox.c.target,
            outbox.c.kind,
            outbox.c.state,
            outbox.c.attempts,
            outbox.c.created_at,
            outbox.c.delivered_at,
            outbox.c.failed_at,
            outbox.c.last_error,
        )
        .where(outbox.c.ordering_key == code)
        .order_by(outbox.c.id)
    )
    for row in rows:
        status = Status.of(row.state, row.attempts, row.last_error)
        moments.append(
            Moment(row.created_at, "accepted", row.target, row.kind, row.id, status.value)
        )
        if row.delivered_at is not None:
            moments.append(Moment(row.delivered_at, "delivered", row.target, row.kind, row.id))
        elif row.failed_at is not None:
            what = "dead" if row.state == "dead" else "failed"
            moments.append(Moment(row.failed_at, what, row.target, row.last_error, row.id))
    for step in view.dossier.progress:
        moments.append(Moment(step.at.timestamp(), "step", None, step.content or None))
    moments.sort(key=lambda moment: moment.at)
    return view, moments


MOMENTS = {
    "accepted": N_("Cổng nhận sự kiện"),
    "delivered": N_("Đã gửi thành công"),
    "failed": N_("Gửi không thành công, sẽ thử lại"),
    "dead": N_("Hỏng: hệ thống quốc gia từ chối hoặc quá hạn"),
    "step": N_("Bước xử lý tại hệ thống một cửa"),
}


@router.get("/dossiers")
async def find(
    request: Request, console: ConsoleDep, operator: OperatorDep, code: str = ""
) -> Response:
    if code.strip():
        return RedirectResponse(f"/console/dossiers/{code.strip()}", status_code=303)
    return console.pages.render(request, "dossier_search.html", {}, operator=operator)


@router.get("/dossiers/{code}")
async def dossier(
    request: Request, code: str, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    view, moments = await gateway.store.read(lambda connection: dossier_timeline(connection, code))
    if view is None:
        context: dict[str, Any] = {"code": code}
        return console.pages.render(
            request, "dossier_search.html", context, operator=operator, status_code=404
        )
    applicant = view.dossier.applicant
    context = {
        "view": view,
        "dossier": view.dossier,
        "applicant_masked": mask(applicant.id_number) if applicant.id_number else None,
        "moments": moments,
        "moment_labels": MOMENTS,
        "kinds": EVENT_KINDS,
        "status_labels": STATUS_LABELS,
    }
    return console.pages.render(request, "dossier.html", context, operator=operator)


@router.get("/documents/{document}")
async def document(
    request: Request,
    document: str,
    gateway: GatewayDep,
    console: ConsoleDep,
    operator: OperatorDep,
) -> Response:
    def read(connection: Connection) -> tuple[Any, list[records.Event]]:
        record = records.find(connection, document)
        return record, records.timeline(connection, document) if record else []

    record, events = await gateway.store.read(read)
    if record is None:
        return console.pages.render(request, "missing.html", {}, operator=operator, status_code=404)
    context = {"record": record, "events": events}
    return console.pages.render(request, "document.html", context, operator=operator)


@router.get("/inbox")
async def inbox(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    """Documents received from the axis, oldest first, a page at a time (``after`` a cursor);
    those the one-stop system has taken too, unless ``waiting`` is asked."""
    after = request.query_params.get("after") or None
    waiting = request.query_params.get("waiting") == "1"
    found = await gateway.store.read(
        lambda connection: records.inbox(
            connection, after=after, limit=INBOX_PAGE + 1, include_acknowledged=not waiting
        )
    )
    context = {
        "documents": found[:INBOX_PAGE],
        "next": found[INBOX_PAGE - 1].id if len(found) > INBOX_PAGE else None,
        "waiting": waiting,
    }
    return console.pages.render(request, "inbox.html", context, operator=operator)
