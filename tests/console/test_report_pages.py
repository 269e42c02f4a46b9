"""The console's periodic reports page, as an operator uses it: a report downloaded in each
format, a bad period refused with the rule, a report submitted (audited) and its receipt listed
once the worker delivered it; a viewer downloads but submits nothing."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from openpyxl import load_workbook

from gateway.app import create_app
from gateway.bootstrap import Gateway
from gateway.dossiers import accept_dossiers
from gateway.operations import ActionQuery
from gateway.settings import ConsoleRole, Settings
from mappings.dossier import Dossier
from mocks import create_mocks_app
from tests.console.conftest import SignIn, csrf_of
from tests.gateway.fakes import FakeAxis, FakePortal
from tests.gateway.samples import dossier_json


@pytest.fixture
async def app(settings: Settings, portal: FakePortal) -> AsyncIterator[FastAPI]:
    """The console's gateway, its national reporting system the mock in process."""
    application = create_app(
        settings,
        adapters={"national_portal": portal, "document_axis": FakeAxis()},
        transports={"national_reporting": httpx.ASGITransport(app=create_mocks_app())},
    )
    async with application.router.lifespan_context(application):
        yield application


async def _two_dossiers(gateway: Gateway) -> None:
    dossiers = [
        Dossier.model_validate(dossier_json(1, channel="online")),
        Dossier.model_validate(dossier_json(2)),
    ]
    await gateway.store.write(lambda c: accept_dossiers(c, dossiers, gateway.dossier_targets))


async def test_an_operator_downloads_the_report_and_submits_it(
    sign_in: SignIn, gateway: Gateway
) -> None:
    await _two_dossiers(gateway)
    browser = await sign_in(ConsoleRole.operator)
    page = await browser.get("/console/reports")
    assert page.status_code == 200 and "Báo cáo định kỳ" in page.text
    assert 'href="/console/reports"' in page.text, "in the navigation"
    assert "Gửi báo cáo ngay" in page.text

    sheet = await browser.get("/console/reports/file", params={"period": "2026-11"})
    assert sheet.status_code == 200
    assert (
        'filename="bao-cao-II.05a-2026-11-000.00.00.H56.xlsx"'
        in sheet.headers["content-disposition"]
    )
    rows = list(load_workbook(io.BytesIO(sheet.content)).worksheets[0].values)
    [district] = [row for row in rows if row[2] == "000.00.01.H56"]
    assert district[3:7] == (2, 0, 1, 1), "received, carried over, online, in person"
    listed = await browser.get(
        "/console/reports/file", params={"period": "2026-11", "format": "csv"}
    )
    assert listed.headers["content-type"].startswith("text/csv")
    assert "Tổng cộng" in listed.content.decode("utf-8-sig")

    refused = await browser.get("/console/reports/file", params={"period": "2026-Q5"})
    assert refused.status_code == 400
    assert "period: &#39;2026-Q5&#39; is not a period" in refused.text

    submitted = await browser.post(
        "/console/reports/submit",
        data={"csrf": csrf_of(page.text), "period": "2026-11", "unit": ""},
    )
    assert submitted.status_code == 303
    await gateway.worker.run_once()
    after = await browser.get(submitted.headers["location"])
    assert "Đã tiếp nhận" in after.text and "BC-" in after.text

    audited = await gateway.operations.actions(ActionQuery(action="report-submit"))
    assert audited.total == 1 and audited.items[0].actor_name == "Trần Thị Bình"
    downloads = await gateway.operations.actions(ActionQuery(action="download"))
    assert downloads.total == 2


async def test_a_viewer_downloads_but_submits_nothing(sign_in: SignIn, gateway: Gateway) -> None:
    browser = await sign_in(ConsoleRole.viewer)
    page = await browser.get("/console/reports")
    assert "Gửi báo cáo ngay" not in page.text
    sheet = await browser.get("/console/reports/file", params={"period": "2026", "format": "json"})
    assert sheet.json()["period"] == "2026"
    refused = await browser.post(
        "/console/reports/submit", data={"csrf": csrf_of(page.text), "period": "2026"}
    )
    assert refused.status_code == 403
    assert await gateway.reports.submissions() == []
