"""The operator console in a real browser (Chromium through Playwright), against a whole gateway
and the national mocks on loopback: what an operator does, page by page, with a screenshot of
each."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.settings import ConsoleRole, Settings
from tests.e2e.browser import Screenshots, chromium, screenshots
from tests.e2e.servers import ServerThread, free_port, gateway_client, wait_until
from tests.gateway.samples import dossier_json

pytestmark = pytest.mark.e2e

__all__ = ["chromium", "screenshots"]

REFUSED_PROCEDURE = "1.001193"
OTHER_PROCEDURE = "1.000894"


@pytest.fixture
def gateway(tmp_path: Path, mocks_server: ServerThread) -> Iterator[tuple[ServerThread, Settings]]:
    port = free_port()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/gateway.db",
        port=port,
        keys_dir=tmp_path / "keys",
        mocks_url=mocks_server.url,
        document_poller_enabled=False,
        retry_base_seconds=0.2,
        sqlite_synchronous="NORMAL",
    )
    with ServerThread(create_app(settings), port=port) as server:
        yield server, settings


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(
        locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900}
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def _signed_in(page: Any, gateway: tuple[ServerThread, Settings], role: ConsoleRole) -> str:
    server, settings = gateway
    name = {ConsoleRole.viewer: "Phạm Thu Dung", ConsoleRole.operator: "Trần Thị Bình"}.get(
        role, "Nguyễn Văn An"
    )
    invited = subprocess.run(
        [sys.executable, "-m", "gateway", "operators", "invite", name, "--role", role.value],
        env={
            **os.environ,
            "LIENTHONG_DATABASE_URL": settings.database_url,
            "LIENTHONG_PORT": str(settings.port),
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    link = invited.stdout.strip().splitlines()[-1]
    assert link.startswith(f"{server.url}/console/invitation/")
    page.goto(link)
    return name


def _go(page: Any, name: str) -> None:
    """Follow a link of the console's navigation (or its language switch)."""
    page.locator("header.top").get_by_role("link", name=name, exact=True).click()


def _dead_letters(gateway: tuple[ServerThread, Settings], mocks_url: str) -> list[str]:
    """Two dossiers of a procedure the portal refuses, dead; one of another, delivered."""
    server, _ = gateway
    admin = f"{mocks_url}/national-portal/__admin/refused-procedures/{REFUSED_PROCEDURE}"
    httpx.put(admin, json={"message": "thủ tục đang tạm dừng tiếp nhận"}).raise_for_status()
    codes = []
    with gateway_client(server.url) as api:
        for sequence, procedure in ((1, REFUSED_PROCEDURE), (2, REFUSED_PROCEDURE), (3, None)):
            body = dossier_json(sequence)
            if procedure is None:
                body["procedure"] = {"code": OTHER_PROCEDURE, "name": "Đăng ký kết hôn"}
            else:
                codes.append(body["code"])
            api.post("/v1/dossiers", json=body).raise_for_status()

        def settled() -> bool:
            portal = api.get("/v1/status").json()["targets"]["national_portal"]
            return bool(portal["pending"] == 0 and portal["dead"] == 2)

        wait_until(settled, timeout=60, what="two dead letters and one delivery")
    return codes


def test_an_invited_admin_signs_in_and_sees_every_national_system(
    page: Any, gateway: tuple[ServerThread, Settings], screenshots: Screenshots
) -> None:
    name = _signed_in(page, gateway, ConsoleRole.admin)

    assert page.url.endswith("/console/")
    assert page.locator("h1").inner_text() == "Tổng quan"
    assert name in page.locator("header.top").inner_text()
    titles = page.locator(".system h2").all_inner_texts()
    assert "Cổng Dịch vụ công quốc gia" in titles
    assert len(titles) >= 4
    screenshots.take(page, "overview")

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.inner_text() == "Bỏ qua, đến nội dung chính"

    portal = page.locator('section[data-system="national_portal"]')
    portal.get_by_role("button", name="Kiểm tra ngay").click()
    result = portal.locator(".probe p")
    result.wait_for()
    assert "Kiểm tra lúc" in result.inner_text()
    screenshots.take(page, "test-now")

    _go(page, "Nhật ký thao tác")
    actions = page.locator("table tbody").inner_text()
    assert "Đăng nhập" in actions and "Kiểm tra hệ thống" in actions
    screenshots.take(page, "operator-actions")


def test_a_refused_dossier_is_found_previewed_replayed_and_audited(
    page: Any,
    gateway: tuple[ServerThread, Settings],
    mocks_server: ServerThread,
    screenshots: Screenshots,
) -> None:
    codes = _dead_letters(gateway, mocks_server.url)
    _signed_in(page, gateway, ConsoleRole.operator)

    _go(page, "Sự cố")
    page.get_by_label("Mã thủ tục").fill(REFUSED_PROCEDURE)
    page.get_by_label("Tình trạng").select_option("dead")
    page.get_by_role("button", name="Tìm").click()
    assert page.locator("#results").inner_text() == "2 sự kiện"
    assert "tạm dừng tiếp nhận" in page.locator("table").inner_text()
    screenshots.take(page, "failures-filtered")

    page.get_by_label(re.compile("Tất cả 2 sự kiện khớp bộ lọc")).check()
    page.get_by_role("button", name="Xem trước: gửi lại").click()
    assert page.locator("#preview-count").inner_text() == "2"
    assert sorted(page.locator("#preview-dossiers a").all_inner_texts()) == sorted(codes)
    screenshots.take(page, "replay-preview")

    confirm = page.get_by_role("button", name=re.compile("Xác nhận"))
    confirm.click()
    assert "/console/failures/act" not in page.url, "the browser refused an empty reason"
    assert page.locator("#action-reason").evaluate("element => !element.validity.valid")

    lift = f"{mocks_server.url}/national-portal/__admin/refused-procedures/{REFUSED_PROCEDURE}"
    httpx.delete(lift).raise_for_status()
    page.get_by_label(re.compile("Lý do")).fill("Cổng quốc gia đã mở lại thủ tục 1.001193")
    confirm.click()
    page.wait_for_load_state()
    assert re.search(r"/console/actions/\d+$", page.url), (page.url, page.inner_text("main"))
    results = page.locator("tr[data-result]")
    assert results.count() == 2
    assert set(
        page.locator("tr[data-result]").evaluate_all("rows => rows.map(row => row.dataset.result)")
    ) == {"replayed"}
    screenshots.take(page, "replay-result")

    server, _ = gateway
    with gateway_client(server.url) as api:
        wait_until(
            lambda: all(
                api.get(f"/v1/dossiers/{code}").json()["sync"][0]["delivered"] == 1
                for code in codes
            ),
            timeout=60,
            what="the replayed dossiers delivered",
        )

    _go(page, "Nhật ký thao tác")
    trail = page.locator("table tbody").inner_text()
    assert "Gửi lại" in trail and "Cổng quốc gia đã mở lại thủ tục 1.001193" in trail
    screenshots.take(page, "audit-entry")

    page.goto(f"{server.url}/console/dossiers/{codes[0]}")
    assert "Đã gửi thành công" in page.locator(".timeline").inner_text()
    screenshots.take(page, "dossier-timeline")


def test_the_console_switches_to_english_and_back(
    page: Any, gateway: tuple[ServerThread, Settings], screenshots: Screenshots
) -> None:
    _signed_in(page, gateway, ConsoleRole.viewer)

    _go(page, "English")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Overview"
    assert "National Public Service Portal" in page.locator(".system h2").all_inner_texts()
    screenshots.take(page, "overview-english")

    _go(page, "Failures")
    assert page.locator("h1").inner_text() == "Failures"
    _go(page, "Tiếng Việt")
    assert page.locator("h1").inner_text() == "Sự cố"


def test_a_viewer_sees_no_replay_button_and_is_refused_when_trying(
    page: Any,
    gateway: tuple[ServerThread, Settings],
    mocks_server: ServerThread,
    screenshots: Screenshots,
) -> None:
    _dead_letters(gateway, mocks_server.url)
    _signed_in(page, gateway, ConsoleRole.viewer)

    _go(page, "Sự cố")
    assert page.locator("tbody tr").count() == 2
    assert page.get_by_role("button", name="Xem trước: gửi lại").count() == 0
    assert page.locator('input[name="ids"]').count() == 0
    screenshots.take(page, "failures-viewer")

    _go(page, "Tổng quan")
    assert page.get_by_role("button", name="Kiểm tra ngay").count() == 0

    server, _ = gateway
    csrf = page.locator('input[name="csrf"]').first.get_attribute("value")
    refused = page.request.post(
        f"{server.url}/console/failures/preview",
        form={"csrf": csrf, "action": "replay", "scope": "matching"},
    )
    assert refused.status == 403
    page.set_content(refused.text())
    assert "Vai trò của bạn không được thực hiện thao tác này." in page.inner_text("main")
    screenshots.take(page, "viewer-refused")


def test_charts_and_the_diagnostics_bundle(
    page: Any,
    gateway: tuple[ServerThread, Settings],
    mocks_server: ServerThread,
    screenshots: Screenshots,
    tmp_path: Path,
) -> None:
    _dead_letters(gateway, mocks_server.url)
    _signed_in(page, gateway, ConsoleRole.viewer)

    _go(page, "Biểu đồ")
    portal = page.locator("svg[role=img]").first
    assert "24 giờ qua" in (portal.locator("title").first.text_content() or "")
    assert page.locator("svg rect").count() >= 2
    screenshots.take(page, "charts")

    _go(page, "Chẩn đoán")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải gói chẩn đoán").click()
    saved = tmp_path / "bundle.zip"
    download.value.save_as(str(saved))
    with zipfile.ZipFile(saved) as bundle:
        names = set(bundle.namelist())
        settings = bundle.read("settings.json").decode()
    assert {"versions.json", "settings.json", "status.json", "errors.json"} <= names
    assert "lienthong-dev" not in settings and "demo-secret" not in settings
    screenshots.take(page, "diagnostics")
