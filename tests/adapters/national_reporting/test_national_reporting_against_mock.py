"""The national reporting adapter against the mock in process: a report submitted and its
receipt, a lost reply sent again, a refusal naming the field, outages retried, a token expired."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest

from adapters.errors import AuthError, RefusedError, TransientError
from adapters.national_reporting import NATIONAL_REPORTING, NationalReportingConfig
from mappings.national_reporting import BaoCao, to_national_report
from mappings.periods import Counting, parse_period
from mappings.report import OneStopReport, UnitRow
from tests.adapters.national_reporting.conftest import MakeReporting


def quarter_report(request_id: str = "2026-Q4-000.00.00.H56-1") -> BaoCao:
    period, counting = parse_period("2026-Q4"), Counting()
    made = OneStopReport(
        year=period.year,
        kind=period.kind,
        number=period.number,
        first_day=counting.first_day(period),
        last_day=counting.last_day(period),
        unit="000.00.00.H56",
        unit_name="Ủy ban nhân dân tỉnh Thanh Hóa",
        made_at=datetime(2026, 12, 20, 8, tzinfo=UTC),
        rows=[
            UnitRow(unit="000.00.01.H56", received_online=3, resolved_early=2),
            UnitRow(unit="000.00.02.H56", carried_over=1, in_progress_overdue=1),
        ],
    )
    return to_national_report(made, request_id)


async def inject(admin: httpx.AsyncClient, **fault: Any) -> None:
    response = await admin.post("/__admin/faults", json=fault)
    assert response.status_code == 201, response.text


async def calls_of(admin: httpx.AsyncClient, service: str) -> list[int]:
    response = await admin.get("/__admin/journal", params={"service": service})
    return [entry["status"] for entry in response.json()["entries"]]


async def test_a_report_is_submitted_and_held_with_its_receipt(
    make_reporting: MakeReporting, admin: httpx.AsyncClient
) -> None:
    reporting = make_reporting()
    receipt = await reporting.submit_report(quarter_report())
    assert receipt.submission == 1
    assert receipt.request_id == "2026-Q4-000.00.00.H56-1"
    held = (await admin.get("/__admin/scenario")).json()["reports"]
    assert [item["receipt"]["MaBienNhan"] for item in held] == [receipt.id]
    assert held[0]["report"]["TongHop"]["SoTiepNhanTrucTuyen"] == 3
    assert [r.id for r in await reporting.receipts("000.00.00.H56")] == [receipt.id]


async def test_a_reply_lost_on_the_way_is_answered_with_the_same_receipt(
    make_reporting: MakeReporting, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    await inject(admin, service="NopBaoCao", status=503, phase="after", times=1)
    receipt = await make_reporting().submit_report(quarter_report())
    assert len(sleeps) == 1
    assert await calls_of(admin, "NopBaoCao") == [503, 200]
    state = (await admin.get("/__admin/state")).json()
    assert (state["submissions"], receipt.submission) == (1, 1)


async def test_a_refused_report_is_permanent_and_names_the_field(
    make_reporting: MakeReporting,
) -> None:
    report = quarter_report()
    wrong = report.model_copy(
        update={"TongHop": report.TongHop.model_copy(update={"SoDaGiaiQuyetTruocHan": 9})}
    )
    with pytest.raises(RefusedError, match=r"field TongHop\.SoDaGiaiQuyetTruocHan") as refused:
        await make_reporting().submit_report(wrong)
    assert refused.value.system == "national_reporting"


async def test_an_outage_is_retried_then_reported_transient(
    make_reporting: MakeReporting, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    await inject(admin, service="NopBaoCao", status=503)
    with pytest.raises(TransientError, match="HTTP 503"):
        await make_reporting(retries=3).submit_report(quarter_report())
    assert len(sleeps) == 2
    assert (await admin.get("/__admin/state")).json()["submissions"] == 0


async def test_an_expired_token_is_fetched_again_once(
    make_reporting: MakeReporting, admin: httpx.AsyncClient
) -> None:
    reporting = make_reporting()
    await reporting.submit_report(quarter_report("first"))
    await admin.post("/__admin/expire")
    second = await reporting.submit_report(quarter_report("second"))
    assert second.submission == 2
    assert await calls_of(admin, "token") == [200, 200]


async def test_a_client_refused_is_an_auth_error(make_reporting: MakeReporting) -> None:
    with pytest.raises(AuthError):
        await make_reporting(client_secret="wrong").submit_report(quarter_report())


async def test_the_probe_says_what_the_system_holds(
    make_reporting: MakeReporting,
) -> None:
    reporting = make_reporting()
    await reporting.submit_report(quarter_report())
    assert NATIONAL_REPORTING.probe is not None
    said = await NATIONAL_REPORTING.probe(reporting, reporting.config)
    assert said == "signed in as client lienthong; the system holds 1 reports"


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("periods", "quarter,week", "periods must be among half, month, quarter, year, not week"),
        ("due_day", 29, "due_day"),
        ("start_day", 0, "start_day"),
        ("template", "/nowhere/II.05a.xlsx", "template /nowhere/II.05a.xlsx is not a file"),
    ],
)
def test_a_calendar_or_template_that_cannot_work_is_refused_naming_it(
    field: str, value: object, says: str
) -> None:
    settings = {"url": "http://x", "client_id": "a", "client_secret": "b", field: value}
    with pytest.raises(ValueError, match=says):
        NationalReportingConfig(**settings)
    assert Counting(due_day=20).due(parse_period("2026-Q4")) == date(2026, 12, 20)


def test_unit_names_are_read_from_json() -> None:
    settings = {"url": "http://x", "client_id": "a", "client_secret": "b"}
    config = NationalReportingConfig(**settings, unit_names='{"000.00.01.H56": "Sở Tư pháp"}')
    assert config.unit_names == {"000.00.01.H56": "Sở Tư pháp"}
    with pytest.raises(ValueError, match="unit_names must be a JSON object"):
        NationalReportingConfig(**settings, unit_names="Sở Tư pháp")
