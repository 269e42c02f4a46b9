"""The report as the national reporting system takes it (``BaoCao``), against a golden file."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from mappings.canonical import VIETNAM
from mappings.national_reporting import to_national_report
from mappings.periods import PeriodKind
from mappings.report import OneStopReport, UnitRow

GOLDEN = Path(__file__).parent / "golden" / "national_reporting_report.json"
CONTRACT = (
    Path(__file__).resolve().parents[2]
    / "openapi"
    / "national"
    / "national_reporting"
    / "openapi.yaml"
)


def half_year() -> OneStopReport:
    return OneStopReport(
        year=2026,
        kind=PeriodKind.half,
        number=2,
        first_day=date(2026, 6, 15),
        last_day=date(2026, 12, 14),
        unit="000.00.00.H56",
        unit_name="Ủy ban nhân dân tỉnh Thanh Hóa",
        made_at=datetime(2026, 12, 20, 8, 30, tzinfo=VIETNAM),
        rows=[
            UnitRow(
                unit="000.00.01.H56",
                name="Huyện Đông Sơn",
                carried_over=4,
                received_online=10,
                received_in_person=6,
                resolved_early=5,
                resolved_on_time=7,
                resolved_late=2,
                in_progress_on_time=4,
                in_progress_overdue=2,
            ),
            UnitRow(unit="000.00.02.H56", received_online=1, in_progress_on_time=1),
        ],
    )


def test_the_report_maps_to_the_golden_baocao_which_fits_the_contract() -> None:
    sent = to_national_report(half_year(), "2026-H2-000.00.00.H56-0123456789ab").body()
    assert sent == json.loads(GOLDEN.read_text(encoding="utf-8"))
    document = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
    schema = {"$ref": "#/components/schemas/BaoCao", "components": document["components"]}
    jsonschema.validate(sent, schema, format_checker=jsonschema.FormatChecker())


def test_the_totals_are_the_sums_of_the_rows() -> None:
    report = half_year()
    assert report.total.received == 21
    assert report.total.resolved == 14
    assert report.total.in_progress == 7


def test_a_unit_given_twice_is_refused_naming_the_row() -> None:
    rows = [UnitRow(unit="000.00.01.H56"), UnitRow(unit="000.00.01.H56")]
    with pytest.raises(ValidationError, match=r"rows\[1\].unit: 000.00.01.H56 is a row already"):
        half_year().model_validate({**half_year().model_dump(), "rows": rows})


def test_a_negative_figure_is_refused() -> None:
    with pytest.raises(ValidationError, match="resolved_late"):
        UnitRow(unit="000.00.01.H56", resolved_late=-1)
