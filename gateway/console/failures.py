"""Sự cố: dead and retrying events, one event in full, and replaying or discarding them.

The list is searched by dossier code, procedure code, national system, reason text, date range
(the province's days) and the applicant's ID number (whole or masked). Replay and discard take
one event, the events ticked, or all that match the filter; each goes through a preview first
(``Operations.preview``: how many, which dossiers, what would be skipped and why), then needs a
reason; with ``LIENTHONG_CONSOLE_SECOND_APPROVER`` it waits for a second operator
(``/console/requests``). The result is shown per event.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData, QueryParams

from gateway.api.deps import GatewayDep
from gateway.console import trail
from gateway.console.access import Operator, check_csrf, require
from gateway.console.advice import ADVICE, classify
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.i18n import ZONE
from gateway.console.rendering import N_
from gateway.operations import (
    Action,
    ActionRefused,
    FailureQuery,
    NothingSelected,
    NotWaiting,
    ReasonRequired,
    SameOperator,
    Selection,
    Status,
)
from gateway.settings import ConsoleRole

router = APIRouter(prefix="/console", include_in_schema=False)

PAGE = 50
REASON_MAX = 2000
REASON_FIELD = "action_reason"
"""The reason of a replay or discard (``reason`` is the filter on the error text)."""

STATUS_LABELS = {
    Status.dead: N_("Hỏng"),
    Status.retrying: N_("Đang thử lại"),
    Status.pending: N_("Chờ gửi"),
    Status.delivered: N_("Đã gửi"),
    Status.discarded: N_("Đã loại bỏ"),
}
ACTION_LABELS = {
    Action.replay: N_("Gửi lại"),
    Action.discard: N_("Loại bỏ"),
}
RESULT_LABELS = {
    "replayed": N_("Đã gửi lại"),
    "discarded": N_("Đã loại bỏ"),
    "skipped": N_("Bỏ qua"),
    "requested": N_("Chờ người thứ hai duyệt"),
}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _start(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=ZONE).timestamp()


@dataclass(frozen=True, slots=True)
class Filters:
    """The search form, as given (dates as ``YYYY-MM-DD``, the province's days, both
    included)."""

    status: str = ""
    system: str = ""
    dossier: str = ""
    procedure: str = ""
    reason: str = ""
    since: str = ""
    until: str = ""
    citizen: str = ""

    @classmethod
    def read(cls, given: QueryParams | FormData) -> Filters:
        values = {}
        for name in cls.__dataclass_fields__:
            value = given.get(name)
            values[name] = value.strip() if isinstance(value, str) else ""
        return cls(**values)

    def query(self) -> FailureQuery:
        since, until = _day(self.since), _day(self.until)
        return FailureQuery(
            status=Status(self.status) if self.status in (Status.dead, Status.retrying) else None,
            system=self.system or None,
            dossier=self.dossier or None,
            procedure=self.procedure or None,
            reason=self.reason or None,
            since=_start(since) if since else None,
            until=_start(until + timedelta(days=1)) if until else None,
            citizen=self.citizen or None,
        )

    def given(self) -> dict[str, str]:
        return {name: value for name, value in asdict(self).items() if value}

    def encoded(self) -> str:
        return urlencode(self.given())


def _selection(form: FormData) -> Selection:
    """The events a preview or action form names: the ticked ``ids``, or every event matching
    its filter (``scope=matching``)."""
    if form.get("scope") == "matching":
        return Selection(query=Filters.read(form).query())
    ids = tuple(
        int(value) for value in form.getlist("ids") if isinstance(value, str) and value.isdigit()
    )
    if not ids:
        raise NothingSelected()
    return Selection(ids=ids)


def _action(form: FormData) -> Action:
    value = form.get("action")
    if value not in (Action.replay, Action.discard):
        raise ActionRefused("choose replay or discard")
    return Action(str(value))


@router.get("/failures")
async def failures(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    filters = Filters.read(request.query_params)
    offset = request.query_params.get("offset", "0")
    start = int(offset) if offset.isdigit() else 0
    found = await gateway.operations.failures(filters.query(), offset=start, limit=PAGE)
    waiting = await gateway.operations.requests()
    context = {
        "filters": filters,
        "page": found,
        "systems": _systems(gateway),
        "status_labels": STATUS_LABELS,
        "waiting": waiting,
    }
    return console.pages.render(request, "failures.html", context, operator=operator)


def _systems(gateway: Any) -> list[tuple[str, str, str]]:
    return [(name, entry.title, entry.title_en) for name, entry in gateway.national.entries.items()]


@router.get("/failures/{event_id}")
async def event(
    request: Request,
    event_id: int,
    gateway: GatewayDep,
    console: ConsoleDep,
    operator: OperatorDep,
) -> Response:
    detail = await gateway.operations.event(event_id)
    if detail is None:
        return console.pages.render(request, "missing.html", {}, operator=operator, status_code=404)
    error_class = classify(detail.event.last_error, dead=detail.event.status is Status.dead)
    context = {
        "detail": detail,
        "status_labels": STATUS_LABELS,
        "advice": ADVICE[error_class] if error_class else None,
    }
    return console.pages.render(request, "event.html", context, operator=operator)


@router.post("/failures/preview")
async def preview(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    """The dry run: what the action would do, and the form that confirms it with a reason."""
    form = await request.form()
    check_csrf(request, form, operator)
    require(operator, ConsoleRole.operator)
    try:
        action = _action(form)
        selection = _selection(form)
    except ActionRefused as refused:
        return _refused(request, console, operator, refused)
    found = await gateway.operations.preview(action, selection)
    context = {
        "action": action,
        "action_labels": ACTION_LABELS,
        "preview": found,
        "selection": selection,
        "filters": Filters.read(form) if selection.query is not None else None,
        "status_labels": STATUS_LABELS,
        "second_approver": gateway.operations.second_approver,
        "error": None,
    }
    return console.pages.render(request, "preview.html", context, operator=operator)


@router.post("/failures/act")
async def act(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    """Carry out (or ask a second operator for) a previewed replay or discard."""
    form = await request.form()
    check_csrf(request, form, operator)
    require(operator, ConsoleRole.operator)
    reason = str(form.get(REASON_FIELD) or "").strip()[:REASON_MAX]
    try:
        action = _action(form)
        selection = _selection(form)
        verb = gateway.operations.replay if action is Action.replay else gateway.operations.discard
        outcome = await verb(selection, operator=trail.actor(operator), reason=reason)
    except ActionRefused as refused:
        return _refused(request, console, operator, refused)
    return RedirectResponse(f"/console/actions/{outcome.action_id}", status_code=303)


REFUSALS: dict[type[ActionRefused], str] = {
    ReasonRequired: N_("Cần ghi lý do: lý do được lưu vào nhật ký thao tác."),
    NothingSelected: N_("Chưa chọn sự kiện nào."),
    SameOperator: N_("Người duyệt phải là một cán bộ khác với người đề nghị."),
    NotWaiting: N_("Yêu cầu này không còn chờ duyệt."),
}


def _refused(
    request: Request, console: ConsoleDep, operator: Operator, refusal: ActionRefused
) -> Response:
    why = REFUSALS.get(type(refusal))
    context = {"why": why, "said": None if why else str(refusal)}
    return console.pages.render(
        request, "refused.html", context, operator=operator, status_code=400
    )


@router.get("/requests")
async def requests(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    """Replays and discards waiting for a second operator."""
    waiting = await gateway.operations.requests()
    context = {"waiting": waiting, "action_labels": ACTION_LABELS}
    return console.pages.render(request, "requests.html", context, operator=operator)


@router.post("/requests/{action_id}/{decision}")
async def decide(
    request: Request,
    action_id: int,
    decision: str,
    gateway: GatewayDep,
    console: ConsoleDep,
    operator: OperatorDep,
) -> Response:
    form = await request.form()
    check_csrf(request, form, operator)
    require(operator, ConsoleRole.operator)
    note = str(form.get("reason") or "").strip()[:REASON_MAX]
    actor = trail.actor(operator)
    try:
        if decision == "approve":
            await gateway.operations.approve(action_id, operator=actor, note=note or None)
        elif decision == "reject":
            await gateway.operations.reject(action_id, operator=actor, reason=note)
        else:
            return console.pages.render(
                request, "missing.html", {}, operator=operator, status_code=404
            )
    except ActionRefused as refused:
        return _refused(request, console, operator, refused)
    return RedirectResponse(f"/console/actions/{action_id}", status_code=303)
