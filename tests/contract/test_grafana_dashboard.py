"""The Grafana dashboard (docs/grafana-dashboard.json) asks only for metrics the gateway serves at
/metrics, under the names it serves them, so no panel stays empty after a rename."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client import REGISTRY
from prometheus_client.metrics_core import Metric

import adapters.client  # noqa: F401  (registers the national exchange metrics)
from gateway.metrics import GuardCollector

DASHBOARD = Path(__file__).resolve().parents[2] / "docs" / "grafana-dashboard.json"
SUFFIXES = {
    "counter": ("_total",),
    "histogram": ("_bucket", "_sum", "_count"),
    "gauge": ("",),
}


def _served() -> set[str]:
    families: list[Metric] = [
        *(m for m in REGISTRY.collect() if m.name.startswith("lienthong_")),
        *GuardCollector({}).collect(),
    ]
    return {f.name + suffix for f in families for suffix in SUFFIXES.get(f.type, ("",))}


def _expressions(dashboard: dict[str, object]) -> list[str]:
    panels = dashboard["panels"]
    assert isinstance(panels, list)
    return [target["expr"] for panel in panels for target in panel.get("targets", [])]


def test_every_panel_queries_metrics_the_gateway_serves() -> None:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    expressions = _expressions(dashboard)
    asked = {name for expr in expressions for name in re.findall(r"lienthong_\w+", expr)}

    assert expressions and asked
    assert asked <= _served(), asked - _served()
    assert {"lienthong_events_total", "lienthong_national_requests_total"} <= asked
    for panel in dashboard["panels"]:
        if panel["type"] != "row":
            assert panel["datasource"]["uid"] == "${DS_PROMETHEUS}"
            assert panel["targets"], panel["title"]
