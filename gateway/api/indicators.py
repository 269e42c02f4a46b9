"""``/v1/indicators``: the province's service-quality figures beside their targets.

Figures count the dossiers received in a period (``from`` to ``to``, whole days in Vietnam) in a
unit and every unit under it, by unit level, procedure, field or time; each share is set beside
its target, and the whole beside the score each QĐ 766 group would give (``gateway.indicators``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field

from gateway.api.caller import requires
from gateway.api.deps import GatewayDep
from gateway.api.problems import problems
from gateway.indicators.figures import Figures, GroupBy, Share
from gateway.indicators.periods import Period
from gateway.indicators.scores import GROUP_OF, Group
from gateway.indicators.service import Indicators
from mappings.identifiers import UNIT_ID_PATTERN

router = APIRouter(prefix="/v1/indicators", tags=["indicators"])

MAX_DAYS = 3 * 366
"""The longest period one request may ask for."""


class Counts(BaseModel):
    """Dossiers received in the period, and what became of them (counts of dossiers)."""

    received: int
    resolved: int = Field(description="Resolved (NgayKetThucXuLy, or a resolved status).")
    on_time: int = Field(description="Resolved by their due time (NgayHenTra).")
    late: int = Field(description="Resolved after their due time.")
    in_progress: int = Field(description="Neither resolved nor refused, withdrawn or stopped.")
    overdue: int = Field(description="In progress and past their due time now.")
    online: int = Field(description="Received online (KenhThucHien 2).")
    paid_online: int
    digitised: int = Field(description="With digitised components.")
    results_digitised: int = Field(description="With a result issued as a file.")
    reused: int = Field(description="Reusing a digitised result.")
    prefilled: int = Field(description="Using a national database (DSKetNoiCSDL).")
    vneid: int = Field(description="Applicant authenticated with VNeID.")
    synced: int = Field(description="Delivered to the national portal.")
    sync_lag_seconds: float | None = Field(
        description="Mean seconds from acceptance to the portal's first delivery."
    )
    evaluated: int
    satisfied: int


class ShareFigure(BaseModel):
    name: Share
    group: Group = Field(description="The QĐ 766 group it counts in.")
    value: float | None = Field(description="Between 0 and 1; null with nothing to count over.")
    target: float


class Line(BaseModel):
    key: str = Field(
        description="The unit id, procedure code, field code, day, month or year of the row; "
        "empty for the whole."
    )
    counts: Counts
    shares: list[ShareFigure]


class GroupScore(BaseModel):
    group: Group
    points: int = Field(description="What QĐ 766 gives the group at most.")
    score: float | None = Field(description="Projected points; null with nothing to count.")


class IndicatorReport(BaseModel):
    from_: date = Field(alias="from")
    to: date
    unit: str | None
    group_by: GroupBy | None
    judged_at: datetime = Field(description="When dossiers in progress were judged past due.")
    total: Line
    scores: list[GroupScore]
    score: float | None = Field(description="Projected score out of 100.")
    rows: list[Line] = Field(description="One per group, in key order; empty without group_by.")


def _line(key: str, figures: Figures, targets: dict[Share, float]) -> Line:
    return Line(
        key=key,
        counts=Counts.model_validate(figures, from_attributes=True),
        shares=[
            ShareFigure(name=share, group=GROUP_OF[share], value=value, target=targets[share])
            for share, value in figures.shares().items()
        ],
    )


def _period(start: date | None, end: date | None, now: float) -> Period:
    current = Period.month_to_date(now)
    start = start or (end.replace(day=1) if end else current.start)
    end = end or current.end
    if end < start:
        raise RequestValidationError(
            [
                {
                    "type": "period_order",
                    "loc": ("query", "to"),
                    "msg": f"to ({end}) must not be before from ({start})",
                    "input": end.isoformat(),
                }
            ]
        )
    period = Period(start, end)
    if period.days > MAX_DAYS:
        raise RequestValidationError(
            [
                {
                    "type": "period_length",
                    "loc": ("query", "to"),
                    "msg": f"a period spans at most {MAX_DAYS} days, not {period.days}",
                    "input": end.isoformat(),
                }
            ]
        )
    return period


@router.get(
    "",
    response_model=IndicatorReport,
    response_model_by_alias=True,
    dependencies=[requires("indicators:read")],
    responses=problems(422),
)
async def indicators(
    gateway: GatewayDep,
    from_: Annotated[
        date | None,
        Query(
            alias="from",
            description="First day counted (YYYY-MM-DD, Vietnam); the first of the month of "
            "`to` by default.",
        ),
    ] = None,
    to: Annotated[
        date | None, Query(description="Last day counted, included; today by default.")
    ] = None,
    unit: Annotated[
        str | None,
        Query(
            pattern=UNIT_ID_PATTERN,
            description="A unit identifier of any level: the province (000.00.00.H56), a unit "
            "under it (000.00.05.H56) and so on; the figures take it and every unit under it.",
        ),
    ] = None,
    group_by: Annotated[
        GroupBy | None,
        Query(description="One row per unit of a level, procedure, field, day, month or year."),
    ] = None,
) -> IndicatorReport:
    """The service-quality figures of the dossiers received in a period, beside their targets,
    and the score each QĐ 766 group would give."""
    settings = gateway.settings
    now = datetime.now(UTC).timestamp()
    period = _period(from_, to, now)
    service = Indicators(gateway.store, settings.indicator_targets, settings.indicator_weights)
    report = await service.report(period, unit=unit, group_by=group_by, now=now)
    targets = dict(report.targets)
    return IndicatorReport.model_validate(
        {
            "from": period.start,
            "to": period.end,
            "unit": unit,
            "group_by": group_by,
            "judged_at": datetime.fromtimestamp(now, UTC),
            "total": _line("", report.total, targets),
            "scores": [
                GroupScore(group=s.group, points=s.points, score=s.score) for s in report.scores
            ],
            "score": report.score,
            "rows": [_line(row.key, row.figures, targets) for row in report.rows]
            if group_by
            else [],
        }
    )
