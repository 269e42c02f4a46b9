"""Nhật ký thao tác: the operator action audit trail, searchable and exportable as CSV, and one
action with its result per event."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import QueryParams

from gateway.api.deps import GatewayDep
from gateway.console import trail
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.failures import ACTION_LABELS, RESULT_LABELS, _start
from gateway.console.rendering import N_
from gateway.operations import Action, ActionQuery, ActionState
from gateway.operations.audit import get_action

router = APIRouter(prefix="/console", include_in_schema=False)

PAGE = 50

STATE_LABELS = {
    ActionState.done: N_("Đã thực hiện"),
    ActionState.requested: N_("Chờ duyệt"),
    ActionState.approved: N_("Đã duyệt và thực hiện"),
    ActionState.rejected: N_("Bị từ chối"),
}
ACTION_NAMES = {
    Action.sign_in: N_("Đăng nhập"),
    Action.replay: N_("Gửi lại"),
    Action.discard: N_("Loại bỏ"),
    Action.test: N_("Kiểm tra hệ thống"),
    Action.export: N_("Xuất dữ liệu"),
    Action.download: N_("Tải xuống"),
    Action.invite: N_("Mời cán bộ"),
    Action.approve: N_("Duyệt"),
    Action.reject: N_("Từ chối"),
    Action.reconcile: N_("Gửi bù sau đối soát"),
    Action.catalogue_sync: N_("Đồng bộ danh mục thủ tục"),
    "sign-out": N_("Đăng xuất"),
}


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class ActionFilters:
    actor: str = ""
    action: str = ""
    state: str = ""
    since: str = ""
    until: str = ""
    text: str = ""

    @classmethod
    def read(cls, given: QueryParams) -> ActionFilters:
        return cls(**{name: given.get(name, "").strip() for name in cls.__dataclass_fields__})

    def query(self) -> ActionQuery:
        since, until = _day(self.since), _day(self.until)
        return ActionQuery(
            actor=self.actor or None,
            action=self.action or None,
            state=ActionState(self.state) if self.state in set(ActionState) else None,
            since=_start(since) if since else None,
            until=_start(until + timedelta(days=1)) if until else None,
            text=self.text or None,
        )

    def encoded(self) -> str:
        return urlencode({name: value for name, value in asdict(self).items() if value})


@router.get("/actions")
async def actions(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    filters = ActionFilters.read(request.query_params)
    offset = request.query_params.get("offset", "0")
    start = int(offset) if offset.isdigit() else 0
    page = await gateway.operations.actions(filters.query(), offset=start, limit=PAGE)
    context = {
        "filters": filters,
        "page": page,
        "state_labels": STATE_LABELS,
        "action_names": ACTION_NAMES,
    }
    return console.pages.render(request, "actions.html", context, operator=operator)


@router.get("/actions.csv")
async def export(request: Request, gateway: GatewayDep, operator: OperatorDep) -> Response:
    """Every action matching the filters, as CSV; the export is itself audited."""
    filters = ActionFilters.read(request.query_params)
    body = await gateway.operations.export_actions(filters.query(), operator=trail.actor(operator))
    return Response(
        body.encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="nhat-ky-thao-tac.csv"'},
    )


@router.get("/actions/{action_id}")
async def action(
    request: Request,
    action_id: int,
    gateway: GatewayDep,
    console: ConsoleDep,
    operator: OperatorDep,
) -> Response:
    """One action, with its result for each event it concerned."""
    found = await gateway.store.read(lambda connection: get_action(connection, action_id))
    if found is None:
        return console.pages.render(request, "missing.html", {}, operator=operator, status_code=404)
    results = await gateway.operations.results(action_id)
    context = {
        "action": found,
        "results": results,
        "state_labels": STATE_LABELS,
        "action_names": ACTION_NAMES,
        "action_labels": ACTION_LABELS,
        "result_labels": RESULT_LABELS,
    }
    return console.pages.render(request, "action.html", context, operator=operator)
