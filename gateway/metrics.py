"""Prometheus metrics of the gateway, served at ``/metrics``."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

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
