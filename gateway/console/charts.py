"""Biểu đồ: deliveries and failures over time per national system, drawn on the server as inline
SVG (no chart library, no script): the last 24 hours by hour, the last 30 days by day.

Each chart is a picture with a title and a description for screen readers, and the numbers
beside it in a table. By hour, successes and failures are delivery attempts
(``delivery_attempts``: a failure is one that will be retried or died); by day they are events
delivered and events that died (``Operations.daily``, retention's tally included).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection, Integer, cast, func, select

from gateway.api.deps import GatewayDep
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.i18n import ZONE
from gateway.outbox import AttemptOutcome
from gateway.store.schema import delivery_attempts

router = APIRouter(prefix="/console", include_in_schema=False)

WIDTH = 720
HEIGHT = 200
MARGIN_LEFT = 44
MARGIN_BOTTOM = 28
MARGIN_TOP = 10


@dataclass(frozen=True, slots=True)
class Bucket:
    label: str
    """What the axis writes under it (an hour, a day)."""
    good: int
    bad: int


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str
    kind: str
    """good or bad."""


@dataclass(frozen=True, slots=True)
class Chart:
    """An SVG bar chart's geometry: two bars per bucket, the axis ticks and the scale."""

    buckets: list[Bucket]
    bars: list[Bar]
    ticks: list[tuple[float, int]]
    """(y, value) of the horizontal grid lines."""
    labels: list[tuple[float, str]]
    """(x, text) under the axis, thinned so they do not overlap."""
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def good(self) -> int:
        return sum(bucket.good for bucket in self.buckets)

    @property
    def bad(self) -> int:
        return sum(bucket.bad for bucket in self.buckets)


def _nice(top: int) -> int:
    """A round maximum for the scale, at least ``top``."""
    if top <= 4:
        return 4
    step = 10 ** (len(str(top)) - 1)
    for multiple in (1, 2, 2.5, 5, 10):
        if top <= multiple * step:
            return int(multiple * step)
    return top


def draw(buckets: list[Bucket], *, every: int = 1) -> Chart:
    """The geometry of ``buckets``; every ``every``-th bucket is labelled."""
    top = _nice(max([1, *(max(b.good, b.bad) for b in buckets)]))
    plot_width = WIDTH - MARGIN_LEFT - 4
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_width / max(len(buckets), 1)
    bar = max(slot * 0.38, 1.0)
    base = MARGIN_TOP + plot_height
    bars, labels = [], []
    for index, bucket in enumerate(buckets):
        left = MARGIN_LEFT + index * slot + slot * 0.1
        for offset, (value, kind) in enumerate(((bucket.good, "good"), (bucket.bad, "bad"))):
            height = plot_height * value / top
            bars.append(
                Bar(left + offset * bar, base - height, bar, height, value, bucket.label, kind)
            )
        if index % every == 0:
            labels.append((MARGIN_LEFT + index * slot + slot / 2, bucket.label))
    ticks = [(base - plot_height * n / 4, top * n // 4) for n in range(5)]
    return Chart(buckets=buckets, bars=bars, ticks=ticks, labels=labels)


def hourly(connection: Connection, *, system: str, now: float) -> list[Bucket]:
    """Delivery attempts to ``system`` per hour, the last 24 hours (this hour included)."""
    this_hour = now - now % 3600
    first = this_hour - 23 * 3600
    hour = cast((delivery_attempts.c.at - first) / 3600, Integer)
    counted: dict[tuple[int, str], int] = {}
    for index, outcome, count in connection.execute(
        select(hour, delivery_attempts.c.outcome, func.count())
        .where(delivery_attempts.c.target == system, delivery_attempts.c.at >= first)
        .group_by(hour, delivery_attempts.c.outcome)
    ):
        counted[(int(index), outcome)] = count
    buckets = []
    for index in range(24):
        start = datetime.fromtimestamp(first + index * 3600, ZONE)
        good = counted.get((index, AttemptOutcome.delivered.value), 0)
        bad = counted.get((index, AttemptOutcome.retry.value), 0) + counted.get(
            (index, AttemptOutcome.dead.value), 0
        )
        buckets.append(Bucket(start.strftime("%H:00"), good, bad))
    return buckets


@dataclass(frozen=True, slots=True)
class SystemCharts:
    name: str
    title: str
    title_en: str
    day: Chart
    month: Chart


@router.get("/charts")
async def charts(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    now = time.time()
    drawn = []
    for name in gateway.national.in_use:
        if name not in gateway.worker.health:
            continue
        entry = gateway.national.entries[name]
        hours = await gateway.store.read(partial(hourly, system=name, now=now))
        days = await gateway.operations.daily(name, days=30)
        month = [Bucket(day.day[8:] + "/" + day.day[5:7], day.delivered, day.dead) for day in days]
        drawn.append(
            SystemCharts(
                name, entry.title, entry.title_en, draw(hours, every=3), draw(month, every=5)
            )
        )
    context = {"charts": drawn, "now": now}
    return console.pages.render(request, "charts.html", context, operator=operator)
