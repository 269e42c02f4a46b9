"""The console's reconciliation and catalogue pages, as an operator uses them: a reconciliation
run, its plan read and applied with a reason, a catalogue synced and its changes read."""

from __future__ import annotations

import json

from sqlalchemy import select

from gateway.bootstrap import Gateway
from gateway.dossiers import accept_dossiers
from gateway.operations import ActionQuery
from gateway.settings import ConsoleRole
from gateway.store.schema import outbox
from mappings.dossier import Dossier
from mappings.national_portal import PortalProcedureInFull
from tests.console.conftest import SignIn, csrf_of
from tests.gateway.fakes import FakePortal
from tests.gateway.portal_mock import deliver_all
from tests.gateway.samples import dossier_json, step_json


async def _delivered_then_lost(gateway: Gateway, portal: FakePortal) -> str:
    """One dossier with a step delivered to the portal, which then loses it."""

    dossier = Dossier.model_validate(dossier_json(1, progress=[step_json(10)]))
    await gateway.store.write(lambda c: accept_dossiers(c, [dossier], gateway.dossier_targets))
    await deliver_all(gateway)
    portal.dossiers.clear()
    portal.progress.clear()
    return dossier.code


async def test_an_operator_reconciles_reads_the_plan_and_applies_it_with_a_reason(
    sign_in: SignIn, gateway: Gateway, portal: FakePortal
) -> None:
    gateway.reconciler.skew_seconds = 0
    code = await _delivered_then_lost(gateway, portal)
    browser = await sign_in(ConsoleRole.operator)
    page = await browser.get("/console/reconciliation")
    assert page.status_code == 200 and "Đối soát ngay" in page.text
    assert 'href="/console/reconciliation"' in page.text, "in the navigation"

    ran = await browser.post(
        "/console/reconciliation", data={"csrf": csrf_of(page.text), "since": "", "dossier": ""}
    )
    assert ran.status_code == 303
    plan_page = await browser.get(ran.headers["location"])
    assert code in plan_page.text and "Cổng không có hồ sơ" in plan_page.text
    csrf = csrf_of(plan_page.text)
    apply_path = ran.headers["location"] + "/apply"

    refused = await browser.post(apply_path, data={"csrf": csrf, "reason": " "})
    applied = await browser.post(apply_path, data={"csrf": csrf, "reason": "Cổng mất hồ sơ"})
    after = await browser.get(ran.headers["location"])
    plan = await browser.get(ran.headers["location"] + "/plan.json")

    assert refused.status_code == 409 and "Cần ghi lý do" in refused.text
    assert applied.status_code == 303
    assert "Đã gửi bù" in after.text and "Cổng mất hồ sơ" in after.text
    assert json.loads(plan.content)["summary"]["missing"] == 1
    repairs = await gateway.store.read(
        lambda c: (
            c.execute(
                select(outbox.c.kind).where(outbox.c.state == "pending").order_by(outbox.c.id)
            )
            .scalars()
            .all()
        )
    )
    assert repairs == ["dossier", "progress"]
    audited = await gateway.operations.actions(ActionQuery(action="reconcile"))
    assert audited.total == 1 and audited.items[0].actor_name == "Trần Thị Bình"


async def test_a_viewer_reads_reconciliations_but_runs_none(
    sign_in: SignIn, gateway: Gateway
) -> None:
    browser = await sign_in(ConsoleRole.viewer)
    page = await browser.get("/console/reconciliation")
    refused = await browser.post(
        "/console/reconciliation", data={"csrf": csrf_of(page.text) if "csrf" in page.text else ""}
    )

    assert page.status_code == 200 and "Đối soát ngay" not in page.text
    assert refused.status_code == 403
    assert (await browser.get("/console/reconciliation/999")).status_code == 404


async def test_an_operator_syncs_the_catalogue_and_reads_what_changed(
    sign_in: SignIn, gateway: Gateway, portal: FakePortal
) -> None:
    portal.procedures = {
        code: PortalProcedureInFull(MaTTHC=code, TenTTHC=name, TenLinhVuc="Hộ tịch")
        for code, name in (("1.001193", "Đăng ký khai sinh"), ("1.000894", "Đăng ký kết hôn"))
    }
    browser = await sign_in(ConsoleRole.operator)
    empty = await browser.get("/console/catalogue")
    assert "Chưa có danh mục" in empty.text

    first = await browser.post("/console/catalogue/sync", data={"csrf": csrf_of(empty.text)})
    del portal.procedures["1.000894"]
    second = await browser.post("/console/catalogue/sync", data={"csrf": csrf_of(empty.text)})
    page = await browser.get(second.headers["location"])

    assert first.status_code == second.status_code == 303
    assert second.headers["location"] == "/console/catalogue?version=2"
    assert "Bãi bỏ" in page.text and "1.000894" in page.text
    audited = await gateway.operations.actions(ActionQuery(action="catalogue-sync"))
    assert audited.total == 2


async def test_a_portal_listing_no_procedure_is_said_on_the_page(
    sign_in: SignIn, portal: FakePortal
) -> None:
    browser = await sign_in(ConsoleRole.operator)
    page = await browser.get("/console/catalogue")

    failed = await browser.post("/console/catalogue/sync", data={"csrf": csrf_of(page.text)})

    assert failed.status_code == 502
    assert "listed no procedure" in failed.text
