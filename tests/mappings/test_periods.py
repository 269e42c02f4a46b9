"""Reporting periods (TT 01/2020/TT-VPCP): written strictly, counted from the 15th (or by the
calendar), due on the 20th."""

from __future__ import annotations

from datetime import date

import pytest

from mappings.periods import Counting, Period, PeriodError, PeriodKind, parse_period


@pytest.mark.parametrize(
    ("text", "period", "title"),
    [
        ("2026", Period(2026, PeriodKind.year), "Năm 2026"),
        ("2026-H1", Period(2026, PeriodKind.half, 1), "6 tháng đầu năm 2026"),
        ("2026-H2", Period(2026, PeriodKind.half, 2), "6 tháng cuối năm 2026"),
        ("2026-Q4", Period(2026, PeriodKind.quarter, 4), "Quý IV/2026"),
        ("2026-11", Period(2026, PeriodKind.month, 11), "Tháng 11/2026"),
    ],
)
def test_each_form_is_read_and_written_back(text: str, period: Period, title: str) -> None:
    assert parse_period(text) == period
    assert (period.code, period.title) == (text, title)


@pytest.mark.parametrize(
    "text", ["2026-Q0", "2026-Q5", "2026-H3", "2026-13", "2026-00", "2026-1", "26", "2026Q4", ""]
)
def test_anything_else_is_refused_saying_how_a_period_is_written(text: str) -> None:
    with pytest.raises(PeriodError, match=r"a period is written 2026 .* or 2026-01 to 2026-12"):
        parse_period(text)


def test_a_year_out_of_range_is_refused() -> None:
    with pytest.raises(PeriodError, match="1999 is not a year from 2000 to 2100"):
        parse_period("1999-Q1")


@pytest.mark.parametrize(
    ("text", "first", "last", "due"),
    [
        ("2026", date(2025, 12, 15), date(2026, 12, 14), date(2026, 12, 20)),
        ("2026-H1", date(2025, 12, 15), date(2026, 6, 14), date(2026, 6, 20)),
        ("2026-H2", date(2026, 6, 15), date(2026, 12, 14), date(2026, 12, 20)),
        ("2026-Q1", date(2025, 12, 15), date(2026, 3, 14), date(2026, 3, 20)),
        ("2026-Q4", date(2026, 9, 15), date(2026, 12, 14), date(2026, 12, 20)),
        ("2026-01", date(2025, 12, 15), date(2026, 1, 14), date(2026, 1, 20)),
        ("2026-12", date(2026, 11, 15), date(2026, 12, 14), date(2026, 12, 20)),
    ],
)
def test_tt01_counts_from_the_15th_to_the_14th_and_is_due_on_the_20th(
    text: str, first: date, last: date, due: date
) -> None:
    counting, period = Counting(), parse_period(text)
    assert (counting.first_day(period), counting.last_day(period)) == (first, last)
    assert counting.due(period) == due


@pytest.mark.parametrize(
    ("text", "first", "last", "due"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), date(2027, 1, 20)),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31), date(2026, 4, 20)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), date(2024, 3, 20)),
    ],
)
def test_calendar_counting_is_due_in_the_month_after(
    text: str, first: date, last: date, due: date
) -> None:
    counting, period = Counting(start_day=1), parse_period(text)
    assert (counting.first_day(period), counting.last_day(period), counting.due(period)) == (
        first,
        last,
        due,
    )


def test_what_falls_due_between_two_days_in_due_order() -> None:
    kinds = (PeriodKind.quarter, PeriodKind.half, PeriodKind.year)
    found = Counting().falling_due(kinds, date(2026, 12, 1), date(2026, 12, 31))
    assert [p.code for p in found] == ["2026-H2", "2026-Q4", "2026"]
    assert Counting().falling_due(kinds, date(2026, 12, 21), date(2027, 3, 19)) == []


def test_a_counting_that_cannot_be_is_refused() -> None:
    with pytest.raises(PeriodError, match="due_day must be 1 to 28"):
        Counting(due_day=31)


@pytest.mark.parametrize(
    ("day", "kind", "start_day", "code"),
    [
        (date(2026, 12, 7), PeriodKind.quarter, 15, "2026-Q4"),
        (date(2026, 12, 15), PeriodKind.quarter, 15, "2027-Q1"),
        (date(2026, 12, 15), PeriodKind.year, 15, "2027"),
        (date(2026, 6, 14), PeriodKind.half, 15, "2026-H1"),
        (date(2026, 6, 15), PeriodKind.half, 15, "2026-H2"),
        (date(2026, 11, 14), PeriodKind.month, 15, "2026-11"),
        (date(2026, 12, 15), PeriodKind.quarter, 1, "2026-Q4"),
    ],
)
def test_the_period_holding_a_day(day: date, kind: PeriodKind, start_day: int, code: str) -> None:
    counting = Counting(start_day=start_day)
    period = counting.containing(day, kind)
    assert period.code == code
    assert counting.first_day(period) <= day <= counting.last_day(period)
