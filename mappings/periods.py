"""Reporting periods of the one-stop reports (Thông tư 01/2020/TT-VPCP): month, quarter,
half-year, year, and the days each one counts.

A period is written ``2026`` (the year), ``2026-H1`` or ``2026-H2``, ``2026-Q1`` to ``2026-Q4``,
or ``2026-01`` to ``2026-12``; ``parse_period`` reads exactly these and refuses anything else
naming the rule. What a caller may rely on:

- a ``Period`` knows only its kind, year and number; which days it counts is ``Counting``'s
  business. TT 01/2020 (after Nghị định 09/2019/NĐ-CP) closes the figures on the 14th: a period
  counts from the 15th of the month before its first month to the 14th of its last month
  (``Counting(start_day=15)``, the default), so the year 2026 runs from 15 December 2025 to
  14 December 2026. ``start_day=1`` counts calendar periods.
- a period's report is due on ``due_day`` of the month its last day falls in, or of the month
  after when that day is already past (``Counting.due``): with the defaults, the 20th of the
  period's last month, six days after its figures close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

PERIOD_RULE = (
    "a period is written 2026 (a year), 2026-H1 or 2026-H2 (a half-year), 2026-Q1 to 2026-Q4 "
    "(a quarter) or 2026-01 to 2026-12 (a month)"
)
FIRST_YEAR = 2000
LAST_YEAR = 2100

_PERIOD = re.compile(r"(?P<year>[0-9]{4})(?:-(?:Q(?P<q>[1-4])|H(?P<h>[12])|(?P<m>0[1-9]|1[0-2])))?")


class PeriodKind(StrEnum):
    month = "month"
    quarter = "quarter"
    half = "half"
    year = "year"

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "half": 6, "year": 12}[self.value]

    @property
    def in_year(self) -> int:
        """How many periods of this kind a year holds."""
        return 12 // self.months


class PeriodError(ValueError):
    """A period that cannot be read; the message says how one is written."""


_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One reporting period: ``number`` counts from 1 within ``year`` (quarter 4, month 11)."""

    year: int
    kind: PeriodKind
    number: int = 1

    def __post_init__(self) -> None:
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise PeriodError(f"{self.year} is not a year from {FIRST_YEAR} to {LAST_YEAR}")
        if not 1 <= self.number <= self.kind.in_year:
            raise PeriodError(f"a {self.kind.value} is numbered 1 to {self.kind.in_year}")

    @property
    def code(self) -> str:
        """How it is written: ``2026-Q4``."""
        suffix = {
            PeriodKind.year: "",
            PeriodKind.half: f"-H{self.number}",
            PeriodKind.quarter: f"-Q{self.number}",
            PeriodKind.month: f"-{self.number:02d}",
        }[self.kind]
        return f"{self.year}{suffix}"

    @property
    def title(self) -> str:
        """How the report's heading names it: ``Quý IV/2026``, ``6 tháng cuối năm 2026``."""
        if self.kind is PeriodKind.year:
            return f"Năm {self.year}"
        if self.kind is PeriodKind.half:
            half = "đầu" if self.number == 1 else "cuối"
            return f"6 tháng {half} năm {self.year}"
        if self.kind is PeriodKind.quarter:
            return f"Quý {_ROMAN[self.number - 1]}/{self.year}"
        return f"Tháng {self.number}/{self.year}"

    @property
    def first_month(self) -> int:
        return (self.number - 1) * self.kind.months + 1

    @property
    def last_month(self) -> int:
        return self.number * self.kind.months

    def __str__(self) -> str:
        return self.code


def parse_period(text: str) -> Period:
    """The period ``text`` writes; ``PeriodError`` saying how one is written otherwise."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None:
        raise PeriodError(f"{text!r} is not a period: {PERIOD_RULE}")
    year = int(match["year"])
    if match["q"]:
        return Period(year, PeriodKind.quarter, int(match["q"]))
    if match["h"]:
        return Period(year, PeriodKind.half, int(match["h"]))
    if match["m"]:
        return Period(year, PeriodKind.month, int(match["m"]))
    return Period(year, PeriodKind.year)


def _month_day(year: int, month: int, day: int) -> date:
    """``day`` of a month counted from ``month`` of ``year`` (which may be 0 or 13)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, day)


@dataclass(frozen=True, slots=True)
class Counting:
    """Which days a period counts and when its report is due (see the module's docstring)."""

    start_day: int = 15
    due_day: int = 20

    def __post_init__(self) -> None:
        if not 1 <= self.start_day <= 28:
            raise PeriodError(f"start_day must be 1 to 28, not {self.start_day}")
        if not 1 <= self.due_day <= 28:
            raise PeriodError(f"due_day must be 1 to 28, not {self.due_day}")

    def first_day(self, period: Period) -> date:
        if self.start_day == 1:
            return date(period.year, period.first_month, 1)
        return _month_day(period.year, period.first_month - 1, self.start_day)

    def last_day(self, period: Period) -> date:
        """The period's last day, counted in full."""
        after = _month_day(period.year, period.last_month + 1, 1)
        if self.start_day == 1:
            return after - timedelta(days=1)
        return _month_day(period.year, period.last_month, self.start_day) - timedelta(days=1)

    def due(self, period: Period) -> date:
        last = self.last_day(period)
        if self.due_day > last.day:
            return last.replace(day=self.due_day)
        return _month_day(last.year, last.month + 1, self.due_day)

    def containing(self, day: date, kind: PeriodKind) -> Period:
        """The period of ``kind`` whose days hold ``day``: with the 15th as start day, 15
        December 2026 is in January 2027's month and its first quarter."""
        year, month = day.year, day.month
        if self.start_day > 1 and day.day >= self.start_day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return Period(year, kind, (month - 1) // kind.months + 1)

    def falling_due(self, kinds: tuple[PeriodKind, ...], since: date, until: date) -> list[Period]:
        """The periods of ``kinds`` due from ``since`` to ``until`` (both included), by due
        date."""
        found = [
            Period(year, kind, number)
            for year in range(since.year - 1, until.year + 1)
            for kind in kinds
            for number in range(1, kind.in_year + 1)
        ]
        return sorted(
            (p for p in found if since <= self.due(p) <= until), key=lambda p: (self.due(p), p)
        )


__all__ = ["PERIOD_RULE", "Counting", "Period", "PeriodError", "PeriodKind", "parse_period"]
