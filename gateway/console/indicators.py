"""Chỉ số: the province's service-quality figures beside their targets, the projected score of
each QĐ 766 group, and the dossiers that cost points, each a link to its timeline.

The period is chosen by its first and last day (the month to date by default) and narrowed to a
unit of any level. Two charts are drawn on the server as inline SVG (``gateway.console.charts``):
dossiers resolved on time against late and overdue ones over time (by day, or by month over a
period longer than two months) and by unit of level 2. A period that cannot be read is answered
400 with what is wrong, never 500.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from gateway.api.deps import GatewayDep
from gateway.console.charts import Bucket, draw
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.rendering import N_
from gateway.indicators.figures import Figures, GroupBy, Row, Share
from gateway.indicators.periods import Period
from gateway.indicators.scores import GROUP_OF, Group
from gateway.indicators.service import Cost, Indicators
from mappings.identifiers import check_unit_id

router = APIRouter(prefix="/console", include_in_schema=False)

LISTED = 20
"""Dossiers shown per reason they cost points."""
DAYS_BY_DAY = 62
"""The longest period whose trend is drawn by day; longer ones by month."""

SHARE_LABELS = {
    Share.synced: N_("Đồng bộ lên Cổng DVC quốc gia"),
    Share.on_time: N_("Giải quyết đúng hạn"),
    Share.not_overdue: N_("Đang xử lý chưa quá hạn"),
    Share.digitised: N_("Có thành phần hồ sơ số hóa"),
    Share.results_digitised: N_("Kết quả giải quyết được số hóa"),
    Share.reused: N_("Tái sử dụng dữ liệu, kết quả số hóa"),
    Share.online: N_("Tiếp nhận trực tuyến"),
    Share.paid_online: N_("Thanh toán trực tuyến"),
    Share.prefilled: N_("Khai thác dữ liệu từ cơ sở dữ liệu quốc gia"),
    Share.vneid: N_("Xác thực bằng VNeID"),
    Share.satisfied: N_("Người dân hài lòng"),
}
GROUP_LABELS = {
    Group.transparency: N_("Công khai, minh bạch"),
    Group.progress: N_("Tiến độ, kết quả giải quyết"),
    Group.digitisation: N_("Số hóa hồ sơ"),
    Group.online: N_("Cung cấp dịch vụ trực tuyến"),
    Group.satisfaction: N_("Mức độ hài lòng"),
}
COST_LABELS = {
    Cost.late: N_("Giải quyết trễ hạn"),
    Cost.overdue: N_("Đang xử lý quá hạn"),
    Cost.unsynced: N_("Chưa đồng bộ lên Cổng DVC quốc gia"),
    Cost.undigitised: N_("Chưa số hóa thành phần hồ sơ"),
}


def _chosen(start: str, end: str, unit: str, now: float) -> tuple[Period, str | None]:
    """The period and unit asked for; ``ValueError`` saying what cannot be read."""
    current = Period.month_to_date(now)
    try:
        first = date.fromisoformat(start) if start else current.start
        last = date.fromisoformat(end) if end else current.end
    except ValueError:
        raise ValueError(N_("Ngày phải có dạng YYYY-MM-DD.")) from None
    if last < first:
        raise ValueError(N_("Ngày cuối không được trước ngày đầu."))
    if unit:
        try:
            check_unit_id(unit)
        except ValueError:
            raise ValueError(N_("Mã đơn vị phải có dạng 000.00.01.H56.")) from None
    return Period(first, last), unit or None


def _buckets(rows: list[Row], label: Any) -> list[Bucket]:
    return [
        Bucket(label(row.key), row.figures.on_time, row.figures.late + row.figures.overdue)
        for row in rows
    ]


def _every_time(period: Period, by: GroupBy, rows: list[Row]) -> list[Row]:
    """``rows`` with a row of zeros for each day or month of the period that had none, so the
    trend's axis runs evenly through the whole period."""
    found = {row.key: row for row in rows}
    keys = []
    day = period.start
    while day <= period.end:
        key = day.isoformat() if by is GroupBy.day else day.isoformat()[:7]
        if key not in keys:
            keys.append(key)
        day += timedelta(days=1)
    return [found.get(key, Row(key, Figures())) for key in keys]


def _short_day(key: str) -> str:
    return f"{key[8:]}/{key[5:7]}" if len(key) == 10 else f"{key[5:]}/{key[:4]}"


@router.get("/indicators")
async def indicators(
    request: Request,
    gateway: GatewayDep,
    console: ConsoleDep,
    operator: OperatorDep,
    start: str = "",
    end: str = "",
    unit: str = "",
) -> Response:
    now = time.time()
    form = {"start": start, "end": end, "unit": unit}
    try:
        period, chosen_unit = _chosen(start.strip(), end.strip(), unit.strip(), now)
    except ValueError as error:
        refused = {"form": form, "error": str(error), "report": None}
        return console.pages.render(
            request, "indicators.html", refused, operator=operator, status_code=400
        )
    settings = gateway.settings
    service = Indicators(gateway.store, settings.indicator_targets, settings.indicator_weights)
    report = await service.report(period, unit=chosen_unit, now=now)
    by_time = GroupBy.day if period.days <= DAYS_BY_DAY else GroupBy.month
    trend = await service.report(period, unit=chosen_unit, group_by=by_time, now=now)
    by_unit = await service.report(period, unit=chosen_unit, group_by=GroupBy.district, now=now)
    costs = {
        cost: await service.costly(period, cost, unit=chosen_unit, limit=LISTED, now=now)
        for cost in Cost
    }
    trend_buckets = _buckets(_every_time(period, by_time, trend.rows), _short_day)
    unit_buckets = _buckets(by_unit.rows, lambda key: key)
    context: dict[str, Any] = {
        "form": {"start": period.start.isoformat(), "end": period.end.isoformat(), "unit": unit},
        "error": None,
        "report": report,
        "shares": report.total.shares(),
        "group_of": GROUP_OF,
        "share_labels": SHARE_LABELS,
        "group_labels": GROUP_LABELS,
        "cost_labels": COST_LABELS,
        "trend": draw(trend_buckets, every=max(1, len(trend_buckets) // 10)),
        "by_unit": draw(unit_buckets, every=max(1, len(unit_buckets) // 6)),
        "costs": costs,
        "listed": LISTED,
        "now": now,
    }
    return console.pages.render(request, "indicators.html", context, operator=operator)
