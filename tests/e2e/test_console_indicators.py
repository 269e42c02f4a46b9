"""Chỉ số in a real browser (Chromium through Playwright), against a whole gateway and the
national mocks on loopback: an operator reads the month's figures beside their targets, sees the
dossiers that cost points and opens one's timeline, then reads the page in English."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from gateway.settings import ConsoleRole, Settings
from mappings.dossier import VIETNAM
from tests.e2e.browser import Screenshots, chromium, screenshots
from tests.e2e.servers import ServerThread, gateway_client, wait_until
from tests.e2e.test_console import _go, _signed_in, gateway, page
from tests.gateway.samples import dossier_json

pytestmark = pytest.mark.e2e

__all__ = ["chromium", "gateway", "page", "screenshots"]

REFUSED_PROCEDURE = "1.001193"
RECEIVED = datetime(2026, 11, 2, 8, 30, tzinfo=VIETNAM)


def _month_of_dossiers(gateway: tuple[ServerThread, Settings], mocks_url: str) -> dict[str, str]:
    """Four dossiers of November 2026: on time, late, overdue, and one refused by the province
    that the portal refuses too."""
    server, _ = gateway
    admin = f"{mocks_url}/national-portal/__admin/refused-procedures/{REFUSED_PROCEDURE}"
    httpx.put(admin, json={"message": "thủ tục đang tạm dừng tiếp nhận"}).raise_for_status()
    due = RECEIVED + timedelta(days=3)
    other = {"code": "1.000894", "name": "Đăng ký kết hôn"}
    bodies = {
        "on_time": dossier_json(
            1,
            procedure=other,
            status="resolved",
            finished_at=(RECEIVED + timedelta(days=1)).isoformat(),
            has_digitised_documents=True,
            channel="online",
        ),
        "late": dossier_json(
            2,
            procedure=other,
            status="resolved",
            finished_at=(due + timedelta(days=2)).isoformat(),
            has_digitised_documents=True,
        ),
        "overdue": dossier_json(
            3, procedure=other, status="processing", has_digitised_documents=True
        ),
        "unsynced": dossier_json(4, status="refused", has_digitised_documents=True),
    }
    with gateway_client(server.url) as api:
        api.post("/v1/dossiers:batch", json={"dossiers": list(bodies.values())}).raise_for_status()

        def settled() -> bool:
            portal = api.get("/v1/status").json()["targets"]["national_portal"]
            return bool(portal["pending"] == 0 and portal["dead"] == 1)

        wait_until(settled, timeout=60, what="three deliveries and one refusal")
    return {kind: body["code"] for kind, body in bodies.items()}


def test_an_operator_reads_the_figures_and_opens_a_dossier_that_costs_points(
    page: Any,
    gateway: tuple[ServerThread, Settings],
    mocks_server: ServerThread,
    screenshots: Screenshots,
) -> None:
    codes = _month_of_dossiers(gateway, mocks_server.url)
    _signed_in(page, gateway, ConsoleRole.viewer)

    _go(page, "Chỉ số")
    assert page.locator("h1").inner_text() == "Chỉ số"
    page.get_by_label("Từ ngày").fill("2026-11-01")
    page.get_by_label("Đến ngày").fill("2026-11-30")
    page.get_by_role("button", name="Xem").click()
    page.locator("#score").wait_for()
    summary = page.locator("section[aria-labelledby=score]").inner_text()
    assert "Đã tiếp nhận 4 hồ sơ từ 01/11/2026 đến 30/11/2026" in summary
    assert "1 giải quyết đúng hạn, 1 trễ hạn, 1 đang xử lý quá hạn" in summary
    synced = page.locator("tr[data-share=synced]").inner_text()
    assert "75 %" in synced and "100 %" in synced and "Chưa đạt" in synced
    assert "Đạt mục tiêu" in page.locator("tr[data-share=digitised]").inner_text()
    assert page.locator("figure.chart svg").count() == 2
    screenshots.take(page, "indicators")

    costs = page.locator("section[aria-labelledby=costs]")
    assert codes["unsynced"] in costs.locator("table[aria-labelledby=cost-unsynced]").inner_text()
    assert codes["overdue"] in costs.locator("table[aria-labelledby=cost-overdue]").inner_text()
    assert codes["on_time"] not in costs.inner_text()
    costs.locator("table[aria-labelledby=cost-late]").get_by_role(
        "link", name=codes["late"]
    ).click()
    assert page.url.endswith(f"/console/dossiers/{codes['late']}")
    assert codes["late"] in page.locator("h1").inner_text()
    screenshots.take(page, "late-dossier-timeline")

    page.go_back()
    _go(page, "English")
    assert page.locator("h1").inner_text() == "Indicators"
    assert "Target met" in page.locator("tr[data-share=digitised]").inner_text()
    assert "Dossiers that cost points" in page.locator("#costs").inner_text()
    screenshots.take(page, "indicators-english")


def test_a_period_that_cannot_be_read_is_said_on_the_page(
    page: Any, gateway: tuple[ServerThread, Settings], screenshots: Screenshots
) -> None:
    server, _ = gateway
    _signed_in(page, gateway, ConsoleRole.viewer)
    reply = page.goto(f"{server.url}/console/indicators?start=2026-11-30&end=2026-11-01")
    assert reply.status == 400
    assert page.get_by_role("alert").inner_text() == "Ngày cuối không được trước ngày đầu."
    screenshots.take(page, "indicators-refused")
