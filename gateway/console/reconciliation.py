"""Đối soát: reconciliations with the national portal, their plans, and applying one.

The page lists the latest plans; an operator runs a new one (all dossiers, those changed since a
day, or one dossier) and applies a plan's repairs with a mandatory reason, through the same
service as ``lienthong reconcile`` (``gateway.reconciliation``): audited, applied once, nothing
deleted. A plan is also downloaded as the JSON the command writes (audited as a download).
"""

from __future__ import annotations

import json
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from gateway.api.deps import GatewayDep
from gateway.console import trail
from gateway.console.access import Operator, check_csrf, require
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.rendering import N_
from gateway.operations import Action
from gateway.reconciliation import Kind, ReconcileRefused
from gateway.settings import ConsoleRole

router = APIRouter(prefix="/console", include_in_schema=False)

REASON_MAX = 2000
REASON_REQUIRED = N_("Cần ghi lý do: lý do được lưu vào nhật ký thao tác.")

KIND_LABELS = {
    Kind.missing: N_("Cổng không có hồ sơ"),
    Kind.status_differs: N_("Khác trạng thái"),
    Kind.fields_differ: N_("Khác nội dung"),
    Kind.progress_missing: N_("Thiếu tiến độ"),
    Kind.late: N_("Cổng chưa cập nhật kịp"),
}


def _day(value: str) -> str | None:
    try:
        return date.fromisoformat(value).isoformat() if value else None
    except ValueError:
        return None


async def _page(
    request: Request,
    gateway: GatewayDep,
    console: ConsoleDep,
    operator: Operator,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "plans": await gateway.reconciler.recent(),
        "kind_labels": KIND_LABELS,
        "skew": gateway.reconciler.skew_seconds,
        "error": error,
    }
    return console.pages.render(
        request, "reconciliation.html", context, operator=operator, status_code=status_code
    )


@router.get("/reconciliation")
async def reconciliations(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    return await _page(request, gateway, console, operator)


@router.post("/reconciliation")
async def reconcile_now(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    """Compare with the portal now and show the plan."""
    form = await request.form()
    check_csrf(request, form, operator)
    require(operator, ConsoleRole.operator)
    since = _day(str(form.get("since") or "").strip())
    dossier = str(form.get("dossier") or "").strip() or None
    try:
        plan = await gateway.reconciler.plan(
            actor=trail.actor(operator), since=since, dossier=dossier
        )
    except ReconcileRefused as refused:
        return await _page(request, gateway, console, operator, str(refused), 409)
    return RedirectResponse(f"/console/reconciliation/{plan.id}", status_code=303)


@router.get("/reconciliation/{plan_id}")
async def plan_page(
    request: Request,
    plan_id: int,
    gateway: GatewayDep,
    console: ConsoleDep,
    operator: OperatorDep,
) -> Response:
    plan = await gateway.reconciler.plan_of(plan_id)
    if plan is None:
        return console.pages.render(request, "missing.html", {}, operator=operator, status_code=404)
    context = {"plan": plan, "kind_labels": KIND_LABELS, "error": None}
    return console.pages.render(request, "reconciliation_plan.html", context, operator=operator)


@router.post("/reconciliation/{plan_id}/apply")
async def apply(
    request: Request,
    plan_id: int,
    gateway: GatewayDep,
    console: ConsoleDep,
    operator: OperatorDep,
) -> Response:
    """Queue the plan's repairs, with the operator's reason."""
    form = await request.form()
    check_csrf(request, form, operator)
    require(operator, ConsoleRole.operator)
    reason = str(form.get("reason") or "").strip()[:REASON_MAX]
    try:
        if not reason:
            raise ReconcileRefused(REASON_REQUIRED)
        await gateway.reconciler.apply(plan_id, operator=trail.actor(operator), reason=reason)
    except ReconcileRefused as refused:
        plan = await gateway.reconciler.plan_of(plan_id)
        if plan is None:
            return console.pages.render(
                request, "missing.html", {}, operator=operator, status_code=404
            )
        context = {"plan": plan, "kind_labels": KIND_LABELS, "error": str(refused)}
        return console.pages.render(
            request, "reconciliation_plan.html", context, operator=operator, status_code=409
        )
    return RedirectResponse(f"/console/reconciliation/{plan_id}", status_code=303)


@router.get("/reconciliation/{plan_id}/plan.json")
async def download(plan_id: int, gateway: GatewayDep, operator: OperatorDep) -> Response:
    plan = await gateway.reconciler.plan_of(plan_id)
    if plan is None:
        return Response(status_code=404)
    body = json.dumps(plan.as_json(), ensure_ascii=False, indent=2)
    await trail.record(
        gateway, operator, Action.download, count=1, detail=f"reconciliation plan {plan_id}"
    )
    return Response(
        body,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="lienthong-doi-soat-{plan_id}.json"'
        },
    )
