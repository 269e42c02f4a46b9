"""The figures of a periodic one-stop report, read in the database from the indicators' facts.

Template II.05a of Thông tư 01/2020/TT-VPCP counts the dossiers a unit handled in a period, not
only those received in it (what ``gateway.indicators.figures`` answers): those carried over from
before, those received, those resolved in the period (before, on or after the day they were
due) and those still in progress when it ended (within time or overdue). Each is one sum over
``indicator_facts``, the row per dossier the indicators keep in the transaction that accepts it
(``gateway.indicators.facts`` says how a dossier is read), grouped by the level of unit the rows
are: one level below the reporting unit (districts of the province, communes of a district,
handling units of a commune).

How the columns are read, with ``start`` and ``end`` the first moment of the period and of the
day after it (Vietnam time), and ``cut`` the earlier of ``end`` and now:

- carried over: received before ``start``, and then in progress or resolved at or after it;
- received online, in person or by post: received from ``start`` to ``end``, by channel;
- resolved: ended from ``start`` to ``end`` (one resolved without an end time counts on the day
  it was received); early when it ended on a day before its due day, late when it ended after
  its due time, on time otherwise (on its due day, or with no due time to judge by);
- in progress: received before ``cut``, and not ended by it (refused, withdrawn and stopped
  dossiers are not); overdue when its due time is before ``cut``.

A dossier's end and due times are kept as they are now: a dossier reported ended after the
period counts as in progress at its end, as the template asks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Connection, and_, case, func, or_, select

from gateway.indicators.units import Level, level_of
from gateway.store.schema import indicator_facts
from mappings.canonical import VIETNAM
from mappings.periods import Counting, Period
from mappings.report import FIGURES, OneStopReport, UnitRow

_BELOW = {
    Level.province: Level.district,
    Level.district: Level.commune,
    Level.commune: Level.unit,
    Level.unit: Level.unit,
}
_SECONDS_A_DAY = 86400


def rows_level(unit: str) -> Level:
    """The level of the units a report of ``unit`` has as rows: one below it."""
    return _BELOW[level_of(unit)]


def _moment(day: date) -> float:
    return datetime.combine(day, time(), VIETNAM).timestamp()


def _day_number(column: ColumnElement[float]) -> ColumnElement[float]:
    """The day in Vietnam (days since 1970) of an epoch time, in SQL on either engine."""
    return func.floor((column + 7 * 3600) / _SECONDS_A_DAY)


def _sums(start: float, end: float, cut: float) -> list[ColumnElement[int]]:
    facts = indicator_facts.c
    ended_at = func.coalesce(facts.finished_at, facts.received_at)
    resolved = facts.resolved == 1
    in_period = and_(resolved, ended_at >= start, ended_at < end)
    early = and_(
        facts.due_at.is_not(None),
        facts.finished_at.is_not(None),
        _day_number(facts.finished_at) < _day_number(facts.due_at),
    )
    late = facts.late == 1
    received_in = and_(facts.received_at >= start, facts.received_at < end)
    ongoing = and_(
        facts.received_at < cut,
        or_(facts.open == 1, and_(resolved, ended_at >= cut)),
    )
    overdue = and_(facts.due_at.is_not(None), facts.due_at < cut)
    conditions: dict[str, ColumnElement[bool]] = {
        "carried_over": and_(
            facts.received_at < start, or_(facts.open == 1, and_(resolved, ended_at >= start))
        ),
        "received_online": and_(received_in, facts.online == 1),
        "received_in_person": and_(received_in, facts.online == 0),
        "resolved_early": and_(in_period, early, ~late),
        "resolved_on_time": and_(in_period, ~early, ~late),
        "resolved_late": and_(in_period, late),
        "in_progress_on_time": and_(ongoing, ~overdue),
        "in_progress_overdue": and_(ongoing, overdue),
    }
    return [
        func.coalesce(func.sum(case((conditions[name], 1), else_=0)), 0).label(name)
        for name in FIGURES
    ]


def unit_rows(
    connection: Connection, first_day: date, last_day: date, unit: str, *, now: float
) -> list[UnitRow]:
    """The figures of every unit under ``unit`` that handled a dossier in the period from
    ``first_day`` to ``last_day``, one row per unit one level below it, in code order."""
    start = _moment(first_day)
    end = _moment(last_day + timedelta(days=1))
    cut = min(end, now)
    key = indicator_facts.c[rows_level(unit).value]
    query = (
        select(key.label("unit"), *_sums(start, end, cut))
        .where(indicator_facts.c[level_of(unit).value] == unit)
        .where(indicator_facts.c.received_at < end)
        .group_by(key)
        .order_by(key)
    )
    rows = []
    for found in connection.execute(query):
        values = {name: int(found._mapping[name]) for name in FIGURES}
        if any(values.values()):
            rows.append(UnitRow(unit=found.unit, **values))
    return rows


def one_stop_report(
    connection: Connection,
    period: Period,
    counting: Counting,
    unit: str,
    *,
    names: Callable[[str], str],
    now: float,
) -> OneStopReport:
    """The report of ``unit`` for ``period``; ``names`` gives a unit's name (empty when
    unknown). A unit that handled nothing in the period reports one row of zeros, its own."""
    first, last = counting.first_day(period), counting.last_day(period)
    rows = [
        row.model_copy(update={"name": names(row.unit)})
        for row in unit_rows(connection, first, last, unit, now=now)
    ] or [UnitRow(unit=unit, name=names(unit))]
    return OneStopReport(
        year=period.year,
        kind=period.kind,
        number=period.number,
        first_day=first,
        last_day=last,
        unit=unit,
        unit_name=names(unit),
        made_at=datetime.fromtimestamp(now, UTC).astimezone(VIETNAM),
        rows=rows,
    )
