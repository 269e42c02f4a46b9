"""Danh mục thủ tục: the national catalogue held, its versions and what each changed.

Operators see the version held (when fetched, when last found current, how many entries of each
list), every version before it, and for the version chosen what was added, changed (naming the
fields) and withdrawn. An operator may sync now, as ``lienthong catalogue sync`` does (audited).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from adapters.errors import AdapterError
from gateway.api.deps import GatewayDep
from gateway.catalogue import HELD_LISTS, EmptyCatalogue
from gateway.console import trail
from gateway.console.access import check_csrf, require
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.rendering import N_
from gateway.operations import Action
from gateway.settings import ConsoleRole

router = APIRouter(prefix="/console", include_in_schema=False)

LIST_LABELS = {
    "procedures": N_("Thủ tục hành chính"),
    "fields": N_("Lĩnh vực"),
    "religions": N_("Tôn giáo"),
    "marital_statuses": N_("Tình trạng hôn nhân"),
    "applicants": N_("Đối tượng thực hiện"),
    "levels": N_("Cấp thực hiện"),
    "legal_bases": N_("Căn cứ pháp lý"),
}


@router.get("/catalogue")
async def catalogue(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    versions = await gateway.catalogue.versions()
    asked = request.query_params.get("version", "")
    chosen = next((v for v in versions if str(v.version) == asked), None)
    context = {
        "versions": versions,
        "chosen": chosen or (versions[0] if versions else None),
        "lists": HELD_LISTS,
        "list_labels": LIST_LABELS,
        "refresh_hours": gateway.settings.catalogue_refresh_hours,
        "error": request.query_params.get("error"),
    }
    return console.pages.render(request, "catalogue.html", context, operator=operator)


@router.post("/catalogue/sync")
async def sync(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    """Fetch the catalogue now; a new version only when something changed."""
    form = await request.form()
    check_csrf(request, form, operator)
    require(operator, ConsoleRole.operator)
    try:
        outcome = await gateway.catalogue.sync()
    except (AdapterError, EmptyCatalogue) as error:
        versions = await gateway.catalogue.versions()
        context = {
            "versions": versions,
            "chosen": versions[0] if versions else None,
            "lists": HELD_LISTS,
            "list_labels": LIST_LABELS,
            "refresh_hours": gateway.settings.catalogue_refresh_hours,
            "error": str(error),
        }
        return console.pages.render(
            request, "catalogue.html", context, operator=operator, status_code=502
        )
    version = outcome.version
    await trail.record(
        gateway,
        operator,
        Action.catalogue_sync,
        count=version.change_count,
        detail=f"version {version.version}" + (", new" if outcome.new else ", unchanged"),
    )
    return RedirectResponse(f"/console/catalogue?version={version.version}", status_code=303)
