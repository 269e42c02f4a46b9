"""Báo cáo định kỳ: the periodic one-stop reports (TT 01/2020/TT-VPCP, template II.05a).

Operators choose a period (``2026-Q4``, ``2026-H2``, ``2026``, ``2026-11``), a unit (the province
when empty) and a format, and download the report as ``lienthong report`` writes it (audited as
a download). An operator may submit it to the national reporting system now (audited); the page
lists the submissions, those of the schedule too, with their receipts or refusals. A period or
unit that cannot be read is refused with the rule, on the page (400).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from adapters.national_reporting import NATIONAL_REPORTING
from gateway.api.deps import GatewayDep
from gateway.console import trail
from gateway.console.access import check_csrf, require
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.rendering import N_
from gateway.operations import Action
from gateway.reports import Format, ReportingOff, TemplateError, file_name, media_type
from gateway.settings import ConsoleRole
from mappings.identifiers import check_unit_id
from mappings.periods import Period, PeriodError, parse_period

router = APIRouter(prefix="/console", include_in_schema=False)

STATE_LABELS = {
    "queued": N_("Đang gửi"),
    "received": N_("Đã tiếp nhận"),
    "refused": N_("Bị từ chối"),
}


class Refused(ValueError):
    """A period or unit the page cannot take; the message names the field and the rule."""


def _chosen(period: str, unit: str) -> tuple[Period, str | None]:
    try:
        chosen = parse_period(period)
    except PeriodError as error:
        raise Refused(f"period: {error}") from None
    if not unit.strip():
        return chosen, None
    try:
        return chosen, check_unit_id(unit.strip())
    except ValueError as error:
        raise Refused(f"unit: {error}") from None


async def _page(
    request: Request,
    gateway: GatewayDep,
    console: ConsoleDep,
    operator: OperatorDep,
    *,
    form: dict[str, str],
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    submissions = await gateway.reports.submissions()
    context = {
        "form": form,
        "formats": [f.value for f in Format],
        "submissions": submissions,
        "state_labels": STATE_LABELS,
        "reporting_in_use": NATIONAL_REPORTING.name in gateway.national.in_use,
        "province": gateway.reports.province,
        "error": error,
    }
    return console.pages.render(
        request, "reports.html", context, operator=operator, status_code=status_code
    )


def _form(values: dict[str, str]) -> dict[str, str]:
    return {
        "period": values.get("period", ""),
        "unit": values.get("unit", ""),
        "format": values.get("format", Format.xlsx.value),
    }


@router.get("/reports")
async def reports(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    form = _form(dict(request.query_params))
    return await _page(request, gateway, console, operator, form=form)


@router.get("/reports/file")
async def download(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    form = _form(dict(request.query_params))
    try:
        period, unit = _chosen(form["period"], form["unit"])
        format = Format(form["format"])
        made, content = await gateway.reports.file(period, format, unit)
    except (Refused, TemplateError) as error:
        return await _page(
            request, gateway, console, operator, form=form, error=str(error), status_code=400
        )
    except ValueError:
        error_text = f"format: must be one of {', '.join(f.value for f in Format)}"
        return await _page(
            request, gateway, console, operator, form=form, error=error_text, status_code=400
        )
    name = file_name(made, format)
    await trail.record(gateway, operator, Action.download, count=1, detail=f"report {name}")
    return Response(
        content,
        media_type=media_type(format),
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/reports/submit")
async def submit(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    """Queue the report's submission to the national reporting system; the worker delivers it."""
    form = await request.form()
    check_csrf(request, form, operator)
    require(operator, ConsoleRole.operator)
    values = _form({k: str(v) for k, v in form.items()})
    try:
        period, unit = _chosen(values["period"], values["unit"])
    except Refused as error:
        return await _page(
            request, gateway, console, operator, form=values, error=str(error), status_code=400
        )
    try:
        queued = await gateway.reports.submit(period, unit, requested_by=operator.account)
    except ReportingOff as error:
        return await _page(
            request, gateway, console, operator, form=values, error=str(error), status_code=409
        )
    await trail.record(
        gateway,
        operator,
        Action.report_submit,
        count=1,
        selection={"period": period.code, "unit": queued.unit},
        detail=queued.request_id,
    )
    return RedirectResponse(f"/console/reports?period={period.code}", status_code=303)
