"""The figures of a period and unit, from the facts and sums the gateway keeps.

``figures(connection, period, unit=..., group_by=..., now=...)`` is the interface the API, the
console, the metrics and the periodic reports count on. It answers one ``Row`` per group (or one
row for the whole when ``group_by`` is ``None``), each with its ``Figures``: how many dossiers
were received in the period (by the day they were received, in Vietnam), and of those how many
were resolved on time, late, are still in progress and past due at ``now``, were received
online, and so on (``gateway.indicators.facts`` says how each dossier is read). Counts are whole
numbers, never shares; ``Figures.shares`` turns them into the shares the targets speak of.

Sums are read in the database: by unit level or time from the sums per day and unit; by
procedure or field from the sums per month and province (for a whole province) or per month and
unit (for a unit under it), and from the facts themselves for the days of a month the period
covers only in part; dossiers past due from the facts still in progress, through an index of
those alone. So a year over a million dossiers reads a few tens of thousands of rows, on SQLite
as on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Connection, Table, func, literal, literal_column, select

from gateway.indicators.periods import Period
from gateway.indicators.units import Level, level_of
from gateway.store.schema import (
    COUNT_COLUMNS,
    indicator_days,
    indicator_facts,
    indicator_months,
    indicator_procedures,
)


class GroupBy(StrEnum):
    """What the rows of an answer are: units of one level, procedures, fields, or times."""

    province = "province"
    district = "district"
    commune = "commune"
    unit = "unit"
    procedure = "procedure"
    field = "field"
    day = "day"
    month = "month"
    year = "year"


class Share(StrEnum):
    """The shares the targets and the QĐ 766 groups speak of (``Figures.shares``)."""

    synced = "synced"
    on_time = "on_time"
    not_overdue = "not_overdue"
    digitised = "digitised"
    results_digitised = "results_digitised"
    reused = "reused"
    online = "online"
    paid_online = "paid_online"
    prefilled = "prefilled"
    vneid = "vneid"
    satisfied = "satisfied"


@dataclass(frozen=True, slots=True)
class Figures:
    """What happened to the dossiers received in a period (all counts of dossiers)."""

    received: int = 0
    resolved: int = 0
    """Resolved, by now (NgayKetThucXuLy or a resolved status)."""
    on_time: int = 0
    """Resolved by their due time (NgayKetThucXuLy <= NgayHenTra)."""
    late: int = 0
    """Resolved after their due time."""
    in_progress: int = 0
    """Neither resolved nor refused, withdrawn or stopped."""
    overdue: int = 0
    """In progress and past their due time at ``now``."""
    online: int = 0
    """Received online (KenhThucHien 2)."""
    paid_online: int = 0
    digitised: int = 0
    """With digitised components."""
    results_digitised: int = 0
    reused: int = 0
    """Reusing a digitised result or a national store's paper."""
    prefilled: int = 0
    """Using a national database (DSKetNoiCSDL)."""
    vneid: int = 0
    """The applicant authenticated with VNeID."""
    synced: int = 0
    """Delivered to the national portal."""
    sync_lag_seconds: float | None = None
    """Mean seconds from acceptance to the portal's first delivery, of those synced."""
    evaluated: int = 0
    satisfied: int = 0
    """Evaluated, and satisfied (``gateway.indicators.facts``)."""

    def shares(self) -> dict[Share, float | None]:
        """Each share between 0 and 1, over what it is a share of (the received dossiers, the
        resolved for on time and results, those in progress for not overdue, the evaluated for
        satisfied); ``None`` when there is nothing to count it over."""

        def over(part: int, whole: int) -> float | None:
            return part / whole if whole else None

        received = self.received
        return {
            Share.synced: over(self.synced, received),
            Share.on_time: over(self.on_time, self.resolved),
            Share.not_overdue: over(self.in_progress - self.overdue, self.in_progress),
            Share.digitised: over(self.digitised, received),
            Share.results_digitised: over(self.results_digitised, self.resolved),
            Share.reused: over(self.reused, received),
            Share.online: over(self.online, received),
            Share.paid_online: over(self.paid_online, received),
            Share.prefilled: over(self.prefilled, received),
            Share.vneid: over(self.vneid, received),
            Share.satisfied: over(self.satisfied, self.evaluated),
        }


@dataclass(frozen=True, slots=True)
class Row:
    """One group's figures: ``key`` is the unit id, procedure code, field code or time (a day
    ``2026-11-05``, a month ``2026-11``, a year ``2026``), empty for the whole."""

    key: str
    figures: Figures


_TALLY_NAMES = {name: name for name in COUNT_COLUMNS} | {"open": "in_progress"}

IN_PROGRESS = indicator_facts.c.open == literal_column("1")
"""Facts of dossiers in progress, written as the index of them says (``open = 1``, not a bound
parameter), so that SQLite reads that index rather than every fact of the period."""


def _key(table: Table, group_by: GroupBy | None) -> ColumnElement[str]:
    time = table.c.month if "month" in table.c else table.c.day
    match group_by:
        case None:
            return literal("")
        case GroupBy.procedure:
            return table.c.procedure_code
        case GroupBy.field:
            return table.c.field_code
        case GroupBy.day:
            return table.c.day
        case GroupBy.month:
            return func.substr(time, 1, 7)
        case GroupBy.year:
            return func.substr(time, 1, 4)
        case _:
            return table.c[group_by.value]


def _sums(
    connection: Connection,
    table: Table,
    between: tuple[str, str],
    unit: str | None,
    group_by: GroupBy | None,
) -> list[Any]:
    time = table.c.month if "month" in table.c else table.c.day
    key = _key(table, group_by).label("key")
    counts = [func.coalesce(func.sum(table.c[name]), 0).label(name) for name in COUNT_COLUMNS]
    query = select(key, *counts).where(time.between(*between))
    if unit is not None:
        query = query.where(table.c[level_of(unit).value] == unit)
    if group_by is not None:
        query = query.group_by(key)
    return list(connection.execute(query))


def _overdue(
    connection: Connection,
    period: Period,
    unit: str | None,
    group_by: GroupBy | None,
    now: float,
) -> list[Any]:
    facts = indicator_facts
    key = _key(facts, group_by).label("key")
    query = (
        select(key, func.count().label("overdue"))
        .where(IN_PROGRESS, facts.c.due_at < now)
        .where(facts.c.day.between(period.start.isoformat(), period.end.isoformat()))
    )
    if unit is not None:
        query = query.where(facts.c[level_of(unit).value] == unit)
    if group_by is not None:
        query = query.group_by(key)
    return list(connection.execute(query))


def _day_spans(period: Period) -> tuple[list[tuple[str, str]], tuple[str, str] | None]:
    """The spans of days read from the facts, and the span of whole months read from the sums
    per month, for figures by procedure or field."""
    whole = period.whole_months()
    if whole is None:
        return [(period.start.isoformat(), period.end.isoformat())], None
    first, last = whole
    after_last = (last + timedelta(days=32)).replace(day=1)
    edges = [(period.start, first - timedelta(days=1)), (after_last, period.end)]
    days = [(a.isoformat(), b.isoformat()) for a, b in edges if a <= b]
    return days, (first.isoformat()[:7], last.isoformat()[:7])


def figures(
    connection: Connection,
    period: Period,
    *,
    unit: str | None = None,
    group_by: GroupBy | None = None,
    now: float,
) -> list[Row]:
    """The figures of the dossiers received in ``period`` (in ``unit`` and every unit under it,
    when given: a unit identifier of any level), one ``Row`` per group in key order, or one row
    with key ``""`` when ``group_by`` is ``None`` (with zeros when nothing was received).
    ``now`` is the time dossiers in progress are past due at."""
    parts: list[Any] = []
    if group_by in (GroupBy.procedure, GroupBy.field):
        days, months = _day_spans(period)
        for span in days:
            parts += _sums(connection, indicator_facts, span, unit, group_by)
        if months is not None:
            province_wide = unit is None or level_of(unit) is Level.province
            sums = indicator_procedures if province_wide else indicator_months
            parts += _sums(connection, sums, months, unit, group_by)
    else:
        span = (period.start.isoformat(), period.end.isoformat())
        parts += _sums(connection, indicator_days, span, unit, group_by)
    totals: dict[str, dict[str, float]] = {}
    for part in parts:
        into = totals.setdefault(part.key, dict.fromkeys(COUNT_COLUMNS, 0))
        for name in COUNT_COLUMNS:
            into[name] += part._mapping[name]
    overdue = {row.key: row.overdue for row in _overdue(connection, period, unit, group_by, now)}
    if group_by is None:
        totals.setdefault("", dict.fromkeys(COUNT_COLUMNS, 0))
    return [_row(key, sums, overdue.get(key, 0)) for key, sums in sorted(totals.items())]


def _row(key: str, sums: dict[str, float], overdue: int) -> Row:
    counts: dict[str, Any] = {
        _TALLY_NAMES[name]: int(value) for name, value in sums.items() if name != "sync_lag"
    }
    synced = counts["synced"]
    lag = sums["sync_lag"] / synced if synced else None
    return Row(key, Figures(**counts, overdue=overdue, sync_lag_seconds=lag))


def total(rows: Sequence[Row]) -> Figures:
    """The figures of several rows together (the mean lag weighed by the synced)."""
    sums: dict[str, float] = {f.name: 0 for f in fields(Figures)}
    lag = 0.0
    for row in rows:
        for f in fields(Figures):
            if f.name != "sync_lag_seconds":
                sums[f.name] += getattr(row.figures, f.name)
        lag += (row.figures.sync_lag_seconds or 0.0) * row.figures.synced
    counts: dict[str, Any] = {k: int(v) for k, v in sums.items() if k != "sync_lag_seconds"}
    return Figures(**counts, sync_lag_seconds=lag / counts["synced"] if counts["synced"] else None)


__all__ = ["Figures", "GroupBy", "Level", "Period", "Row", "Share", "figures", "total"]
