"""The indicators as the API, the console and the metrics ask for them: figures beside targets.

``Indicators.report`` reads the figures of a period (``gateway.indicators.figures``) and sets
each share beside its target and the projected score of each QĐ 766 group
(``gateway.indicators.scores``), with the targets and weights of the settings. ``costly`` lists
the dossiers that cost the province points, newest first.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, select

from gateway.indicators.figures import (
    IN_PROGRESS,
    Figures,
    GroupBy,
    Row,
    Share,
    figures,
    total,
)
from gateway.indicators.periods import Period
from gateway.indicators.scores import GroupScore, scores
from gateway.indicators.units import level_of
from gateway.store import Store
from gateway.store.schema import indicator_facts


@dataclass(frozen=True, slots=True)
class Report:
    period: Period
    unit: str | None
    group_by: GroupBy | None
    now: float
    """The time dossiers in progress were judged past due at."""
    rows: list[Row]
    total: Figures
    targets: Mapping[Share, float]
    scores: list[GroupScore]

    @property
    def score(self) -> float | None:
        """The projected score out of 100: the sum of the groups that could be scored."""
        known = [group.score for group in self.scores if group.score is not None]
        return sum(known) if known else None


class Cost(StrEnum):
    """Why a dossier costs points."""

    late = "late"
    """Resolved after its due time."""
    overdue = "overdue"
    """In progress past its due time."""
    unsynced = "unsynced"
    """Not delivered to the national portal."""
    undigitised = "undigitised"
    """Without digitised components."""


@dataclass(frozen=True, slots=True)
class CostlyDossier:
    code: str
    unit: str
    procedure_code: str
    received_at: float
    due_at: float | None
    finished_at: float | None


class Indicators:
    def __init__(
        self,
        store: Store,
        targets: Mapping[Share, float],
        weights: Mapping[Share, float],
    ) -> None:
        self._store = store
        self._targets = targets
        self._weights = weights

    async def report(
        self,
        period: Period,
        *,
        unit: str | None = None,
        group_by: GroupBy | None = None,
        now: float | None = None,
    ) -> Report:
        """The figures of ``period`` in ``unit`` (and the units under it), by ``group_by``."""
        at = time.time() if now is None else now

        def read(connection: Connection) -> list[Row]:
            return figures(connection, period, unit=unit, group_by=group_by, now=at)

        rows = await self._store.read(read)
        whole = total(rows)
        return Report(
            period,
            unit,
            group_by,
            at,
            rows,
            whole,
            self._targets,
            scores(whole, self._targets, self._weights),
        )

    async def costly(
        self,
        period: Period,
        cost: Cost,
        *,
        unit: str | None = None,
        limit: int = 50,
        now: float | None = None,
    ) -> list[CostlyDossier]:
        """The dossiers received in ``period`` that cost points for ``cost``, newest first."""
        at = time.time() if now is None else now
        facts = indicator_facts
        query = select(
            facts.c.code,
            facts.c.unit,
            facts.c.procedure_code,
            facts.c.received_at,
            facts.c.due_at,
            facts.c.finished_at,
        ).where(facts.c.day.between(period.start.isoformat(), period.end.isoformat()))
        match cost:
            case Cost.late:
                query = query.where(facts.c.late == 1)
            case Cost.overdue:
                query = query.where(IN_PROGRESS, facts.c.due_at < at)
            case Cost.unsynced:
                query = query.where(facts.c.synced == 0)
            case Cost.undigitised:
                query = query.where(facts.c.digitised == 0)
        if unit is not None:
            query = query.where(facts.c[level_of(unit).value] == unit)
        query = query.order_by(facts.c.day.desc(), facts.c.code.desc()).limit(limit)

        def read(connection: Connection) -> list[CostlyDossier]:
            return [CostlyDossier(*row) for row in connection.execute(query)]

        return await self._store.read(read)
