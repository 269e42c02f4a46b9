"""The console's periodic reports page in a real browser (Chromium through Playwright), against a
whole gateway and the national mocks on loopback: an operator downloads the quarter's report and
submits it, and sees the receipt the reporting mock gave."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
from openpyxl import load_workbook

from gateway.settings import ConsoleRole, Settings
from tests.e2e.browser import Screenshots
from tests.e2e.servers import ServerThread, gateway_client
from tests.e2e.test_console import _go, _signed_in, chromium, gateway, page, screenshots
from tests.gateway.samples import dossier_json

__all__ = ["chromium", "gateway", "page", "screenshots"]


def test_an_operator_downloads_the_quarter_report_and_submits_it(
    page: Any,
    gateway: tuple[ServerThread, Settings],
    mocks_server: ServerThread,
    screenshots: Screenshots,
    tmp_path: Path,
) -> None:
    server, _ = gateway
    with gateway_client(server.url) as api:
        api.post("/v1/dossiers", json=dossier_json(1, channel="online")).raise_for_status()
        api.post("/v1/dossiers", json=dossier_json(2)).raise_for_status()
    _signed_in(page, gateway, ConsoleRole.operator)

    _go(page, "Báo cáo định kỳ")
    download_form = page.locator("form[action='/console/reports/file']")
    download_form.get_by_label("Kỳ báo cáo").fill("2026-Q4")
    with page.expect_download() as download:
        download_form.get_by_role("button", name="Tải báo cáo").click()
    assert download.value.suggested_filename == "bao-cao-II.05a-2026-Q4-000.00.00.H56.xlsx"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(str(saved))
    rows = list(load_workbook(saved).worksheets[0].values)
    [district] = [row for row in rows if row[2] == "000.00.01.H56"]
    assert district[3:7] == (2, 0, 1, 1)

    submit_form = page.locator("form[action='/console/reports/submit']")
    submit_form.get_by_label("Kỳ báo cáo").fill("2026-Q4")
    submit_form.get_by_role("button", name="Gửi báo cáo ngay").click()
    deadline = time.monotonic() + 30
    while "Đã tiếp nhận" not in page.content() and time.monotonic() < deadline:
        time.sleep(0.5)
        page.reload()
    row = page.locator("table tbody tr").first
    assert "Đã tiếp nhận" in row.inner_text() and "BC-" in row.inner_text()
    screenshots.take(page, "reports")

    held = httpx.get(f"{mocks_server.url}/national-reporting/__admin/scenario").json()
    [report] = held["reports"]
    assert report["receipt"]["MaBienNhan"] in row.inner_text()
    assert report["report"]["TongHop"]["SoTiepNhanTrucTuyen"] == 1
