"""The backlog section on a small backlog: filled, waiting with the portal down, then drained."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from bench import backlog
from bench.scenarios import Workspace
from gateway import outbox
from gateway.store.engine import create_engines

pytestmark = pytest.mark.e2e


def _counted_and_claimed(url: str) -> tuple[dict[str, outbox.TargetCounts], list[outbox.Claimed]]:
    """The outbox's counts in the store at ``url``, and a claim of five of its rows."""
    writer, reader = create_engines(url)
    try:
        with writer.begin() as connection:
            counts = outbox.counts(connection)
            rows = outbox.claim(connection, owner="test", limit=5, lease_seconds=60)
    finally:
        writer.dispose()
        reader.dispose()
    return counts, rows


def test_fill_queues_one_deliverable_portal_event_per_dossier(tmp_path: Path) -> None:
    database = tmp_path / "filled.db"
    backlog.fill(database, 1200)
    counts, rows = _counted_and_claimed(f"sqlite:///{database}")
    assert counts["national_portal"].pending == 1200
    assert len({row.ordering_key for row in rows}) == 5
    assert all(row.ordering_key in row.payload for row in rows)
    assert all(row.kind == "dossier" for row in rows)


def test_the_postgresql_fill_queues_the_same_events_counted_as_they_went_in(
    postgres_url: str,
) -> None:
    backlog.fill_postgresql(postgres_url, 1200)
    counts, rows = _counted_and_claimed(postgres_url)
    assert counts["national_portal"] == outbox.TargetCounts(accepted=1200, pending=1200)
    assert len({row.ordering_key for row in rows}) == 5
    assert all(row.ordering_key in row.payload for row in rows)
    assert all(row.kind == "dossier" for row in rows)


def test_claim_plan_times_the_workers_claim_and_shows_sqlites_plan(tmp_path: Path) -> None:
    database = tmp_path / "planned.db"
    backlog.fill(database, 800)
    plan = backlog.claim_plan(database)
    assert plan.rows == backlog.CLAIM_LIMIT
    assert any("outbox" in step for step in plan.plan)
    second = backlog.claim_plan(database)
    assert second.rows == backlog.CLAIM_LIMIT, "the timed claim must leave the backlog as it was"


def test_overview_seconds_times_the_consoles_overview(tmp_path: Path) -> None:
    database = tmp_path / "overview.db"
    backlog.fill(database, 800)

    assert 0 < backlog.overview_seconds(database) < 60


def test_a_backlog_waits_while_the_portal_is_down_then_drains(tmp_path: Path) -> None:
    figures = backlog.measure(
        Console(quiet=True),
        Workspace(tmp_path),
        events=3000,
        drain=1500,
        sit_seconds=1.0,
        drain_seconds=300.0,
        settings={"LIENTHONG_NATIONAL_PORTAL_BREAKER_COOL_DOWN": "1"},
    )
    drain = figures["drain"]
    assert drain["complete"]
    assert drain["delivered"] >= 1500
    assert drain["events_per_second"] > 0
    after = figures["outbox_after"]
    assert after["delivered"] >= 1500
    assert after["pending"] + after["delivered"] == 3000
    assert after["dead"] == 0
    phases = {phase["phase"]: phase for phase in figures["memory"]}
    assert phases["backlog waiting, portal down"]["samples"] > 0
    assert phases["draining"]["rss_max_mb"] > 0
    assert figures["peak_rss_mb"] >= phases["draining"]["rss_max_mb"]
    assert figures["claim_with_backlog"]["rows"] == backlog.CLAIM_LIMIT
    on_postgresql = figures["status_on_postgresql"]
    assert on_postgresql["status_seconds"] > 0
    assert on_postgresql["grouped_before_0014_seconds"] > 0
    assert on_postgresql["counts_seconds"] > 0
