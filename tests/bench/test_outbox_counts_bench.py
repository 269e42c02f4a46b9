"""The outbox counts bench on a few rounds and a second of load: both measurements, every figure."""

from __future__ import annotations

import pytest
from rich.console import Console

from bench import outbox_counts

pytestmark = pytest.mark.e2e


def test_both_measurements_give_every_figure() -> None:
    figures = outbox_counts.measure(Console(quiet=True), rounds=20, seconds=1.0)
    cost = figures["trigger_cost"]
    for name in ("with_triggers", "without_triggers"):
        assert set(cost[name]) == {"enqueue_one_us", "enqueue_hundred_us", "claim_and_outcomes_us"}
        assert all(value > 0 for value in cost[name].values())
    load = figures["under_load"]
    assert load["events_settled_per_second"] > 0
    assert load["reads"] > 0
    assert 0 < load["counts_p50_ms"] <= load["counts_p99_ms"] <= load["counts_max_ms"]
    assert load["change_rows_max"] >= load["change_rows_median"]
    lines = list(outbox_counts._lines(figures))
    assert any(line.startswith("queueing one event:") for line in lines)
    assert "outbox.counts p50" in lines[-1]
