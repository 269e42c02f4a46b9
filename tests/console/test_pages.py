"""The console's other pages, as a browser gets them: timelines, the inbox, both audits and
their CSV exports, charts, the diagnostics bundle, test now, and a second approver."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import replace

import httpx
import pytest

from gateway.bootstrap import Gateway
from gateway.operations import ActionQuery
from gateway.registries.audit import Access
from gateway.settings import ConsoleRole
from tests.console.conftest import SignIn, csrf_of
from tests.console.test_failures import _dead_letters
from tests.gateway.fakes import FakePortal


async def test_a_dossier_timeline_shows_each_event_across_systems(
    sign_in: SignIn, gateway: Gateway, portal: FakePortal
) -> None:
    [code] = await _dead_letters(gateway, portal, count=1)
    browser = await sign_in(ConsoleRole.viewer)
    found = await browser.get("/console/dossiers", params={"code": code})
    assert found.status_code == 303
    page = await browser.get(found.headers["location"])
    assert page.status_code == 200
    assert "Cổng nhận sự kiện" in page.text and "Hỏng: hệ thống quốc gia từ chối" in page.text
    assert "068******234" in page.text and "068195001234" not in page.text
    missing = await browser.get("/console/dossiers/000.00.01.H56-261102-99999")
    assert missing.status_code == 404


async def test_the_personal_data_audit_is_found_by_id_number_and_exported(
    sign_in: SignIn, gateway: Gateway
) -> None:
    access = Access(
        "lookup",
        "population_registry",
        "demo",
        "Trần Văn Bình",
        "cấp hộ chiếu",
        "000.00.01.H56-261102-00001",
        "001095012345",
    )
    await gateway.store.write(lambda c: gateway.auditor.record(c, access, "found"))
    await gateway.store.write(
        lambda c: gateway.auditor.record(c, replace(access, subject="001095099999"), "found")
    )
    browser = await sign_in(ConsoleRole.viewer)

    page = await browser.get("/console/access-audit", params={"subject": "001095012345"})
    table = page.text[page.text.index("<tbody>") : page.text.index("</tbody>")]
    assert "001******345" in table and "001******999" not in table
    assert "001095012345" not in table
    assert "001095012345" not in page.text[: page.text.index("<main")], "nor in the header"

    exported = await browser.get("/console/access-audit.csv", params={"officer": "Trần Văn Bình"})
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [row["subject_masked"] for row in rows] == ["001******345", "001******999"]
    audited = await gateway.operations.actions(ActionQuery(action="export"))
    assert audited.items[0].count == 2


async def test_the_operator_audit_lists_actions_and_exports_them(
    sign_in: SignIn, gateway: Gateway
) -> None:
    browser = await sign_in(ConsoleRole.viewer, name="Hoàng Minh Tuấn")
    page = await browser.get("/console/actions")
    assert "Hoàng Minh Tuấn" in page.text and "Đăng nhập" in page.text
    exported = await browser.get("/console/actions.csv", params={"action": "sign-in"})
    assert "Hoàng Minh Tuấn" in exported.content.decode("utf-8-sig")
    audited = await gateway.operations.actions(ActionQuery(action="export"))
    assert audited.total == 1


async def test_charts_are_inline_svg_with_their_figures(
    sign_in: SignIn, gateway: Gateway, portal: FakePortal
) -> None:
    await _dead_letters(gateway, portal, count=2)
    browser = await sign_in(ConsoleRole.viewer)
    page = await browser.get("/console/charts")
    assert page.status_code == 200
    portal = page.text[page.text.index('id="charts-national_portal"') :]
    portal = portal[: portal.index("</section>")]
    assert portal.count('<svg viewBox="0 0 720 200" role="img"') == 2, "by hour and by day"
    assert "Lần gửi không thành công: 2" in portal
    assert "Sự kiện hỏng: 2" in portal


async def test_the_diagnostics_bundle_holds_no_secret_and_is_audited(
    sign_in: SignIn, gateway: Gateway, portal: FakePortal
) -> None:
    await _dead_letters(gateway, portal, count=1)
    browser = await sign_in(ConsoleRole.viewer)
    reply = await browser.get("/console/diagnostics.zip")
    assert reply.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(reply.content)) as bundle:
        contents = {name: bundle.read(name).decode() for name in bundle.namelist()}
    assert {"versions.json", "settings.json", "status.json", "errors.json", "counts.json"} <= set(
        contents
    )
    every = "".join(contents.values())
    for secret in ("lienthong-dev", "demo-secret", "lienthong-dev-session-secret"):
        assert secret not in every
    settings = json.loads(contents["settings.json"])
    assert settings["settings"]["session_secret"] == "(redacted)"
    assert settings["national_systems"]["national_portal"]["password"] == "(redacted)"
    errors = json.loads(contents["errors.json"])["national_portal"]
    assert "tạm dừng tiếp nhận" in errors[0]["error"]
    audited = await gateway.operations.actions(ActionQuery(action="download"))
    assert audited.total == 1


@pytest.mark.parametrize("htmx", [True, False])
async def test_test_now_answers_in_place_for_htmx_and_on_the_page_without(
    sign_in: SignIn, gateway: Gateway, htmx: bool
) -> None:
    browser: httpx.AsyncClient = await sign_in(ConsoleRole.operator)
    csrf = csrf_of((await browser.get("/console/")).text)
    headers = {"HX-Request": "true"} if htmx else {}
    reply = await browser.post(
        "/console/systems/business_registry/test", data={"csrf": csrf}, headers=headers
    )
    assert reply.status_code == 200
    assert "Kiểm tra lúc" in reply.text
    assert ("<html" in reply.text) is not htmx
    unknown = await browser.post("/console/systems/nowhere/test", data={"csrf": csrf})
    assert unknown.status_code == 404
    audited = await gateway.operations.actions(ActionQuery(action="test"))
    assert audited.total == 1


async def test_with_a_second_approver_a_replay_waits_for_another_operator(
    gateway: Gateway, app: object, portal: FakePortal
) -> None:
    gateway.operations.second_approver = True
    await _dead_letters(gateway, portal, count=1)
    portal.refuse.clear()
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    from tests.console.conftest import invite

    async def operator(name: str) -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=transport, base_url="http://gateway.test")
        await client.get(await invite(gateway, name, ConsoleRole.operator))
        return client

    asker, approver = await operator("Người Đề Nghị"), await operator("Người Duyệt")
    csrf = csrf_of((await asker.get("/console/failures")).text)
    asked = await asker.post(
        "/console/failures/act",
        data={"csrf": csrf, "action": "replay", "ids": "1", "action_reason": "đã sửa"},
    )
    result = await asker.get(asked.headers["location"])
    assert "Đang chờ một cán bộ thứ hai duyệt" in result.text
    action_id = asked.headers["location"].rsplit("/", 1)[1]

    same = await asker.post(f"/console/requests/{action_id}/approve", data={"csrf": csrf})
    assert same.status_code == 400 and "một cán bộ khác" in same.text

    waiting = await approver.get("/console/requests")
    assert "Người Đề Nghị" in waiting.text
    approved = await approver.post(
        f"/console/requests/{action_id}/approve", data={"csrf": csrf_of(waiting.text)}
    )
    assert approved.status_code == 303
    await gateway.worker.run_once()
    assert len(portal.dossiers) == 1
    await asker.aclose()
    await approver.aclose()
