"""Periods the figures are counted over: whole days in Vietnam, from one day to another.

Reports name their period as the national reporting templates do: a year ``2026``, a half
``2026-H2``, a quarter ``2026-Q4``, a month ``2026-11`` (Thông tư 01/2020/TT-VPCP); ``parse``
reads those and an explicit day ``2026-11-05``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from mappings.canonical import VIETNAM

PERIOD_RULE = (
    "a period is a year (2026), a half (2026-H2), a quarter (2026-Q4), a month (2026-11) "
    "or a day (2026-11-05)"
)
_FORMS = re.compile(
    r"(?P<year>[0-9]{4})(?:-(?:H(?P<half>[12])|Q(?P<quarter>[1-4])"
    r"|(?P<month>0[1-9]|1[0-2])(?:-(?P<day>[0-9]{2}))?))?"
)


@dataclass(frozen=True, slots=True)
class Period:
    """The days from ``start`` to ``end``, both included, in Vietnam time."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def parse(cls, text: str) -> Period:
        """The period ``text`` names; ``ValueError`` naming the forms otherwise."""
        match = _FORMS.fullmatch(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a period: {PERIOD_RULE}")
        year = int(match["year"])
        if match["half"]:
            first = 1 + 6 * (int(match["half"]) - 1)
            return cls(date(year, first, 1), _month_end(year, first + 5))
        if match["quarter"]:
            first = 1 + 3 * (int(match["quarter"]) - 1)
            return cls(date(year, first, 1), _month_end(year, first + 2))
        if match["month"]:
            month = int(match["month"])
            if match["day"]:
                try:
                    day = date(year, month, int(match["day"]))
                except ValueError:
                    raise ValueError(f"{text!r} is not a day on the calendar") from None
                return cls(day, day)
            return cls(date(year, month, 1), _month_end(year, month))
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def month_to_date(cls, now: float) -> Period:
        """From the first of the current month (Vietnam) to today: the current period."""
        today = datetime.fromtimestamp(now, UTC).astimezone(VIETNAM).date()
        return cls(today.replace(day=1), today)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def whole_months(self) -> tuple[date, date] | None:
        """The first days of the first and last whole months inside the period, if any."""
        first = self.start if self.start.day == 1 else _month_end(*_ym(self.start)) + timedelta(1)
        after = self.end + timedelta(1)
        last_end = after - timedelta(1) if after.day == 1 else after.replace(day=1) - timedelta(1)
        if first > last_end:
            return None
        return first, last_end.replace(day=1)


def _ym(day: date) -> tuple[int, int]:
    return day.year, day.month


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])
