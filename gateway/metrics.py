"""Prometheus metrics of the gateway, served at ``/metrics``.

Most are the process's own counters and histograms, in ``prometheus_client``'s global registry.
The national systems' guards (``adapters.guard``) keep their figures on themselves, since
adapters cannot import the gateway; ``GuardCollector`` reads them at scrape time through
``gateway.guards.guard_report``. It is registered per scrape, for the gateway that serves the
scrape (``exposition``), so that several gateways in one process (as in tests) never collide.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import asdict

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector

from adapters import CircuitState, SystemGuard
from gateway.guards import guard_report
from gateway.indicators.service import Report

EVENTS = Counter(
    "lienthong_events_total",
    "Outbox events handled by the delivery worker, by national system and outcome.",
    ["target", "outcome"],
)
DELIVERY_SECONDS = Histogram(
    "lienthong_delivery_seconds",
    "Time to deliver one claimed batch to a national system.",
    ["target"],
)
BACKLOG = Gauge(
    "lienthong_backlog",
    "Events waiting for delivery, all national systems together, as last counted for intake.",
)
INTAKE_REFUSED = Counter(
    "lienthong_intake_refused_total",
    "Intake requests answered 503 instead of accepted, by reason.",
    ["reason"],
)

CIRCUIT_STATE_VALUES = {CircuitState.closed: 0, CircuitState.half_open: 1, CircuitState.open: 2}
"""``lienthong_circuit_state``: 0 closed, 1 half-open, 2 open."""


class GuardCollector(Collector):
    """The breaker, retry budget and rate limit of each national system, labelled ``system``."""

    def __init__(self, guards: Mapping[str, SystemGuard]) -> None:
        self._guards = guards

    def collect(self) -> Iterator[Metric]:
        state = GaugeMetricFamily(
            "lienthong_circuit_state",
            "Circuit breaker of a national system: 0 closed, 1 half-open, 2 open.",
            labels=["system"],
        )
        failures = GaugeMetricFamily(
            "lienthong_circuit_consecutive_failures",
            "Failed calls to a national system since it last answered.",
            labels=["system"],
        )
        refused = CounterMetricFamily(
            "lienthong_circuit_refused_calls",
            "Calls to a national system failed at once, unsent, while its circuit was open.",
            labels=["system"],
        )
        retries_refused = CounterMetricFamily(
            "lienthong_retry_budget_refused_retries",
            "Retries within a call that the national system's retry budget refused.",
            labels=["system"],
        )
        paced = CounterMetricFamily(
            "lienthong_rate_limit_paced_calls",
            "Attempts that waited for the national system's rate limit before being sent.",
            labels=["system"],
        )
        for name, snapshot in guard_report(self._guards).items():
            state.add_metric([name], CIRCUIT_STATE_VALUES[snapshot.state])
            failures.add_metric([name], snapshot.consecutive_failures)
            refused.add_metric([name], snapshot.refused_calls)
            retries_refused.add_metric([name], snapshot.retries_refused)
            paced.add_metric([name], snapshot.paced_calls)
        yield from (state, failures, refused, retries_refused, paced)


class IndicatorCollector(Collector):
    """The service-quality figures of the current period (``gateway.indicators``), as read for
    this scrape: counts of dossiers, shares beside their targets, projected QĐ 766 scores."""

    def __init__(self, report: Report) -> None:
        self._report = report

    def collect(self) -> Iterator[Metric]:
        report = self._report
        dossiers = GaugeMetricFamily(
            "lienthong_indicator_dossiers",
            "Dossiers received this month (Vietnam time), by what became of them.",
            labels=["figure"],
        )
        for name, value in asdict(report.total).items():
            if name != "sync_lag_seconds":
                dossiers.add_metric([name], value)
        lag = GaugeMetricFamily(
            "lienthong_indicator_sync_lag_seconds",
            "Mean seconds from acceptance to the portal's first delivery, this month.",
            value=report.total.sync_lag_seconds or 0.0,
        )
        shares = GaugeMetricFamily(
            "lienthong_indicator_share",
            "Service-quality shares this month, between 0 and 1 (absent with nothing to count).",
            labels=["share"],
        )
        for share, value in report.total.shares().items():
            if value is not None:
                shares.add_metric([share.value], value)
        targets = GaugeMetricFamily(
            "lienthong_indicator_target", "Target of each share.", labels=["share"]
        )
        for share, target in report.targets.items():
            targets.add_metric([share.value], target)
        scores = GaugeMetricFamily(
            "lienthong_indicator_score",
            "Projected QĐ 766 score of each group this month, out of its points.",
            labels=["group"],
        )
        for group in report.scores:
            if group.score is not None:
                scores.add_metric([group.group.value], group.score)
        yield from (dossiers, lag, shares, targets, scores)


def exposition(guards: Mapping[str, SystemGuard], indicators: Report | None = None) -> bytes:
    """The text of ``/metrics``: the process's metrics, then those of ``guards`` and the
    ``indicators`` of the current period."""
    per_gateway = CollectorRegistry(auto_describe=False)
    per_gateway.register(GuardCollector(guards))
    if indicators is not None:
        per_gateway.register(IndicatorCollector(indicators))
    return generate_latest(REGISTRY) + generate_latest(per_gateway)
