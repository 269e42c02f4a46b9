"""The province's periodic one-stop report, in English names: the figures of each unit for one
period, in the columns of template II.05a of Thông tư 01/2020/TT-VPCP.

What a caller may rely on: every figure is a whole number of dossiers, none negative; the totals
(``received``, ``resolved``, ``in_progress``) are sums of their parts, never stored apart; a
report's ``total`` is the sum of its rows, figure by figure, and no unit is a row twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Self

from pydantic import Field, model_validator

from mappings.canonical import Model, NonEmptyText, Text
from mappings.periods import Period, PeriodKind

TEMPLATE = "II.05a"
"""The template of TT 01/2020/TT-VPCP the report follows: the one-stop results by unit."""

FIGURES = (
    "carried_over",
    "received_online",
    "received_in_person",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "in_progress_on_time",
    "in_progress_overdue",
)
"""The figures of a row, in the template's order of columns."""


class Figures(Model):
    """The template's columns for one unit or for all of them."""

    carried_over: int = Field(default=0, ge=0)
    """Received before the period and not finished when it began (kỳ trước chuyển qua)."""
    received_online: int = Field(default=0, ge=0)
    received_in_person: int = Field(default=0, ge=0)
    """Received in the period in person or by post (trực tiếp, dịch vụ bưu chính)."""
    resolved_early: int = Field(default=0, ge=0)
    """Resolved in the period before the day it was due (trước hạn)."""
    resolved_on_time: int = Field(default=0, ge=0)
    """Resolved in the period on the day it was due (đúng hạn)."""
    resolved_late: int = Field(default=0, ge=0)
    in_progress_on_time: int = Field(default=0, ge=0)
    """Still in progress when the period ended, not yet due (trong hạn)."""
    in_progress_overdue: int = Field(default=0, ge=0)

    @property
    def received(self) -> int:
        return self.carried_over + self.received_online + self.received_in_person

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late

    @property
    def in_progress(self) -> int:
        return self.in_progress_on_time + self.in_progress_overdue

    def values(self) -> tuple[int, ...]:
        return tuple(getattr(self, name) for name in FIGURES)

    def plus(self, other: Figures) -> Figures:
        return Figures(**{name: getattr(self, name) + getattr(other, name) for name in FIGURES})


class UnitRow(Figures):
    """The figures of one unit the report covers."""

    unit: NonEmptyText = Field(max_length=64)
    name: Text = Field(default="", max_length=500)


class OneStopReport(Model):
    """One period's report of one reporting unit, with a row per unit it covers."""

    year: int
    kind: PeriodKind
    number: int = 1
    first_day: date
    last_day: date
    unit: NonEmptyText = Field(max_length=64)
    """The reporting unit: the province, or the unit asked for."""
    unit_name: Text = Field(default="", max_length=500)
    made_at: datetime
    rows: list[UnitRow]
    template: str = TEMPLATE

    @model_validator(mode="after")
    def _units_once(self) -> Self:
        seen: set[str] = set()
        for index, row in enumerate(self.rows):
            if row.unit in seen:
                raise ValueError(f"rows[{index}].unit: {row.unit} is a row already")
            seen.add(row.unit)
        Period(self.year, self.kind, self.number)
        if self.first_day > self.last_day:
            raise ValueError("first_day: must not be after last_day")
        return self

    @property
    def period(self) -> Period:
        return Period(self.year, self.kind, self.number)

    @property
    def total(self) -> Figures:
        found = Figures()
        for row in self.rows:
            found = found.plus(row)
        return found


__all__ = ["FIGURES", "TEMPLATE", "Figures", "OneStopReport", "UnitRow"]
