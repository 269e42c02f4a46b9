"""The periodic one-stop report (template II.05a): its figures from dossiers the API accepted,
its files (XLSX read back by openpyxl, converted to PDF by LibreOffice; CSV; JSON), the
template a province replaces, and ``lienthong report``."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from adapters.national_reporting import NationalReportingConfig
from gateway.app import create_app
from gateway.bootstrap import Gateway
from gateway.cli import cli
from gateway.reports import Format, Reports, TemplateError, render
from gateway.settings import Settings
from mappings.dossier import VIETNAM
from mappings.periods import parse_period
from mappings.report import OneStopReport
from tests.gateway.conftest import demo_token
from tests.gateway.fakes import FakePortal
from tests.gateway.samples import dossier_json

PROVINCE = "000.00.00.H56"
FIRST_DISTRICT = "000.00.01.H56"
SECOND_DISTRICT = "000.00.02.H56"
AFTER_THE_PERIOD = datetime(2026, 10, 1, tzinfo=VIETNAM).timestamp()
"""2026-Q3 runs from 15 June to 14 September 2026 (TT 01/2020); the report is made after it."""


def at(month: int, day: int, hour: int = 8) -> str:
    return datetime(2026, month, day, hour, tzinfo=VIETNAM).isoformat()


def dossier(sequence: int, received: str, due: str, **changes: Any) -> dict[str, Any]:
    return dossier_json(sequence, received_at=received, due_at=due, **changes)


QUARTER_DOSSIERS = [
    # carried over, still in progress and overdue at the end
    dossier(1, at(6, 1), at(6, 5), status="processing"),
    # carried over, resolved in the period after its due time
    dossier(2, at(6, 10), at(6, 12), status="resolved", finished_at=at(6, 20)),
    # received online, resolved two days early
    dossier(3, at(7, 1), at(7, 5), channel="online", status="resolved", finished_at=at(7, 3)),
    # received in person, resolved on its due day before the due time
    dossier(4, at(7, 1), at(7, 5, 17), status="resolved", finished_at=at(7, 5, 10)),
    # received by post, not yet due at the end
    dossier(5, at(9, 10), at(9, 20), channel="postal", status="processing"),
    # received in person, resolved only after the period: overdue in progress at its end
    dossier(6, at(8, 1), at(8, 5), status="resolved", finished_at=at(9, 20)),
    # received and resolved before the period: not in it
    dossier(7, at(6, 1), at(6, 12), status="resolved", finished_at=at(6, 10)),
    # received in person and refused: received, neither resolved nor in progress
    dossier(8, at(7, 2), at(7, 6), status="refused", refused_at=at(7, 3)),
    # received after the period
    dossier(9, at(10, 1), at(10, 5), status="processing"),
    # another district: received online, overdue in progress
    dossier(
        10,
        at(8, 15),
        at(8, 20),
        channel="online",
        status="processing",
        code="000.22.02.H56-260815-00010",
        handling_unit="000.22.02.H56",
    ),
]

EXPECTED = {
    FIRST_DISTRICT: {
        "carried_over": 2,
        "received_online": 1,
        "received_in_person": 4,
        "resolved_early": 1,
        "resolved_on_time": 1,
        "resolved_late": 1,
        "in_progress_on_time": 1,
        "in_progress_overdue": 2,
    },
    SECOND_DISTRICT: {
        "carried_over": 0,
        "received_online": 1,
        "received_in_person": 0,
        "resolved_early": 0,
        "resolved_on_time": 0,
        "resolved_late": 0,
        "in_progress_on_time": 0,
        "in_progress_overdue": 1,
    },
}


def reports_of(gateway: Gateway, **config: Any) -> Reports:
    return Reports(
        gateway.store,
        NationalReportingConfig(
            url="http://reporting.test", client_id="lienthong", client_secret="x", **config
        ),
        province=PROVINCE,
        province_name="Ủy ban nhân dân tỉnh Thanh Hóa",
        clock=lambda: AFTER_THE_PERIOD,
    )


@pytest.fixture
async def accepted(client: httpx.AsyncClient) -> None:
    for body in QUARTER_DOSSIERS:
        reply = await client.post("/v1/dossiers", json=body)
        assert reply.status_code == 202, reply.text


@pytest.fixture
async def quarter(gateway: Gateway, accepted: None) -> OneStopReport:
    return await reports_of(gateway).report(parse_period("2026-Q3"))


def figures_of(report: OneStopReport) -> dict[str, dict[str, int]]:
    return {
        row.unit: {name: getattr(row, name) for name in EXPECTED[FIRST_DISTRICT]}
        for row in report.rows
    }


async def test_each_district_is_a_row_with_the_columns_of_the_template(
    quarter: OneStopReport,
) -> None:
    assert (quarter.first_day.isoformat(), quarter.last_day.isoformat()) == (
        "2026-06-15",
        "2026-09-14",
    )
    assert figures_of(quarter) == EXPECTED
    assert quarter.total.received == 2 + 2 + 4
    assert quarter.total.resolved == 3
    assert quarter.total.in_progress == 4


async def test_a_unit_reports_the_units_under_it(gateway: Gateway, accepted: None) -> None:
    district = await reports_of(gateway).report(parse_period("2026-Q3"), FIRST_DISTRICT)
    assert [row.unit for row in district.rows] == ["000.00.01.H56"]
    assert district.total.received_in_person == 4


async def test_calendar_counting_moves_what_the_quarter_holds(
    gateway: Gateway, accepted: None
) -> None:
    calendar = await reports_of(gateway, start_day=1).report(parse_period("2026-Q3"))
    assert (calendar.first_day.isoformat(), calendar.last_day.isoformat()) == (
        "2026-07-01",
        "2026-09-30",
    )
    first = calendar.rows[0]
    assert first.carried_over == 1, "only 1: 2 ended on 20 June, 7 on 10 June"
    assert first.resolved_late == 1, "6, resolved on 20 September; 2 ended before July"
    assert (first.in_progress_on_time, first.in_progress_overdue) == (0, 2), (
        "5 was due on 20 September, before the quarter's end"
    )


async def test_a_period_with_nothing_reports_the_unit_with_zeros(
    gateway: Gateway, accepted: None
) -> None:
    empty = await reports_of(gateway).report(parse_period("2025-Q1"))
    assert [(row.unit, row.name, row.received) for row in empty.rows] == [
        (PROVINCE, "Ủy ban nhân dân tỉnh Thanh Hóa", 0)
    ]


def sheet_values(content: bytes) -> list[tuple[Any, ...]]:
    book = load_workbook(io.BytesIO(content))
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


async def test_the_xlsx_holds_the_figures_as_numbers_units_as_rows(
    quarter: OneStopReport,
) -> None:
    rows = sheet_values(render(quarter, Format.xlsx))
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    assert "Biểu số II.05a/VPCP/KSTT" in text
    assert "Kỳ báo cáo: Quý III/2026 (từ ngày 15/06/2026 đến ngày 14/09/2026)" in text
    assert "Số kỳ trước chuyển qua" in text and "Trả quá hạn" in text
    units = {row[2]: row for row in rows if row[2] in EXPECTED}
    first = units[FIRST_DISTRICT]
    assert first[:3] == (1, FIRST_DISTRICT, FIRST_DISTRICT)
    assert first[3:14] == (7, 2, 1, 4, 3, 1, 1, 1, 3, 1, 2)
    assert all(isinstance(v, int) for v in first[3:14])
    assert units[SECOND_DISTRICT][3:14] == (1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1)
    [total] = [row for row in rows if row[1] == "Tổng cộng"]
    assert total[3:14] == (8, 2, 2, 4, 3, 1, 1, 1, 4, 1, 3)
    below = rows[rows.index(total) + 1 :]
    assert any("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ" in str(v) for row in below for v in row), (
        "what was below the repeated row moved down with it"
    )


def libreoffice() -> str:
    found = shutil.which("libreoffice") or shutil.which("soffice")
    if found is None:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("LibreOffice is not installed (Debian: libreoffice-calc-nogui)")
        pytest.skip("LibreOffice is not installed (Debian: libreoffice-calc-nogui)")
    return found


async def test_libreoffice_converts_the_xlsx_to_pdf_headless(
    quarter: OneStopReport, tmp_path: Path
) -> None:
    office = libreoffice()
    sheet = tmp_path / "bao-cao.xlsx"
    sheet.write_bytes(render(quarter, Format.xlsx))
    done = await asyncio.to_thread(
        subprocess.run,
        [
            office,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(sheet),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "bao-cao.pdf"
    assert pdf.read_bytes().startswith(b"%PDF"), done.stdout + done.stderr


async def test_the_csv_and_json_carry_the_same_figures(quarter: OneStopReport) -> None:
    text = render(quarter, Format.csv).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][3:6] == ["Mã đơn vị", "Đơn vị", "Tổng số hồ sơ nhận giải quyết"]
    assert rows[1][:4] == ["2026-Q3", "2026-06-15", "2026-09-14", FIRST_DISTRICT]
    assert rows[-1][4:] == ["Tổng cộng", "8", "2", "2", "4", "3", "1", "1", "1", "4", "1", "3"]
    body = json.loads(render(quarter, Format.json))
    assert body["period"] == "2026-Q3"
    assert {row["unit"]: row["carried_over"] for row in body["rows"]} == {
        FIRST_DISTRICT: 2,
        SECOND_DISTRICT: 0,
    }
    assert body["total"]["in_progress_overdue"] == 3


async def test_a_province_template_of_its_own_is_filled(
    quarter: OneStopReport, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"] = "Báo cáo {{ period_title }} của {{ unit_name }}"
    sheet["A3"] = "{{ row.name }}"
    sheet["B3"] = "{{ row.received_online }}"
    sheet["A4"] = "Cộng"
    sheet["B4"] = "{{ total.received_online }}"
    own = tmp_path / "own.xlsx"
    book.save(own)
    rows = sheet_values(render(quarter, Format.xlsx, own))
    assert rows[0][0] == "Báo cáo Quý III/2026 của Ủy ban nhân dân tỉnh Thanh Hóa"
    assert rows[2:5] == [(FIRST_DISTRICT, 1), (SECOND_DISTRICT, 1), ("Cộng", 2)]


async def test_a_template_without_a_row_to_repeat_is_refused(
    quarter: OneStopReport, tmp_path: Path
) -> None:
    book = Workbook()
    own = tmp_path / "no-rows.xlsx"
    book.save(own)
    with pytest.raises(TemplateError, match=r"no row naming \{\{ row"):
        render(quarter, Format.xlsx, own)


runner = CliRunner()


@pytest.fixture
def command_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("LIENTHONG_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LIENTHONG_KEYS_DIR", str(settings.keys_dir))
    return settings


def seed(settings: Settings) -> None:
    """Accept the quarter's dossiers through the API, outside any event loop of the test."""

    async def post() -> None:
        application = create_app(settings, adapters={"national_portal": FakePortal()})
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application)
            async with httpx.AsyncClient(transport=transport, base_url="http://gw.test") as c:
                c.headers["Authorization"] = f"Bearer {await demo_token(c)}"
                for body in QUARTER_DOSSIERS:
                    assert (await c.post("/v1/dossiers", json=body)).status_code == 202

    asyncio.run(post())


def test_report_command_writes_the_file_and_prints_its_path(
    command_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(command_settings)
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(cli, ["report", "--period", "2026-Q3"])
    assert done.exit_code == 0, done.output
    written = tmp_path / "bao-cao-II.05a-2026-Q3-000.00.00.H56.xlsx"
    assert done.output.strip().splitlines()[-1] == str(written)
    rows = sheet_values(written.read_bytes())
    assert [row[3] for row in rows if row[2] == FIRST_DISTRICT] == [7]
    to = tmp_path / "out.json"
    done = runner.invoke(cli, ["report", "--period", "2026-Q3", "--format", "json", "-o", str(to)])
    assert done.exit_code == 2, "--output has no short form"
    done = runner.invoke(
        cli, ["report", "--period", "2026-Q3", "--format", "json", "--output", str(to)]
    )
    assert done.exit_code == 0, done.output
    assert json.loads(to.read_text())["total"]["received_online"] == 2


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--period", "2026-Q5"], "2026-Q1 to 2026-Q4"),
        (["--period", "26-Q4"], "is not a period"),
        (["--period", "2026-13"], "2026-01 to 2026-12"),
        (["--period", "2026-Q4", "--unit", "H56"], "is not a unit identifier"),
        (["--period", "2026", "--format", "pdf"], "'pdf' is not one of"),
    ],
)
def test_report_command_refuses_bad_input_naming_the_rule(
    command_settings: Settings, arguments: list[str], says: str
) -> None:
    done = runner.invoke(cli, ["report", *arguments])
    assert done.exit_code == 2
    assert says in " ".join(done.output.replace("│", " ").split())


async def test_units_are_named_as_configured(gateway: Gateway, accepted: None) -> None:
    named = reports_of(gateway, unit_names={FIRST_DISTRICT: "Huyện Đông Sơn"})
    quarter = await named.report(parse_period("2026-Q3"))
    assert [(row.unit, row.name) for row in quarter.rows] == [
        (FIRST_DISTRICT, "Huyện Đông Sơn"),
        (SECOND_DISTRICT, ""),
    ]
    rows = sheet_values(render(quarter, Format.xlsx))
    assert [row[1:3] for row in rows if row[2] in EXPECTED] == [
        ("Huyện Đông Sơn", FIRST_DISTRICT),
        (SECOND_DISTRICT, SECOND_DISTRICT),
    ], "a unit without a name is written by its code"


def test_report_command_submits_nothing_while_the_system_is_off(
    command_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIENTHONG_NATIONAL_REPORTING_ENABLED", "false")
    monkeypatch.chdir(tmp_path)
    done = runner.invoke(cli, ["report", "--period", "2026-Q3", "--submit"])
    assert done.exit_code == 2
    assert "LIENTHONG_NATIONAL_REPORTING_ENABLED is false" in " ".join(done.output.split())
    assert (tmp_path / "bao-cao-II.05a-2026-Q3-000.00.00.H56.xlsx").is_file()
