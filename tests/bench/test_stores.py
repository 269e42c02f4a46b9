"""End to end on PostgreSQL: one replica and two on one database deliver every event once."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from bench import scenarios, stores
from bench.scenarios import Workspace

pytestmark = pytest.mark.e2e


def test_one_and_two_replicas_on_postgres_deliver_everything_they_accept(
    tmp_path: Path,
) -> None:
    workspace = Workspace(tmp_path)
    plan = stores.Plan(single=40, batch=300, concurrency=4, batch_concurrency=1, modes=("single",))
    with scenarios.mocks(workspace) as mocks:
        figures = stores.measure(Console(quiet=True), workspace, mocks, plan)
    assert figures["postgres_settings"]["fsync"] == "on"
    assert figures["postgres_settings"]["server_version"]
    for name, replicas in (("postgres", 1), ("postgres_2_replicas", 2)):
        runs = figures[name]
        assert set(runs) == {"replicas", "single"}
        assert runs["replicas"] == replicas
        run = runs["single"]
        assert run["dossiers"] == 40
        assert run["events"] == 40
        assert run["portal_mock"]["dossiers"] == 40
        assert run["events_per_second"] > 0
        assert run["cpu_ms_per_dossier"]["gateway"] > 0
        assert run["cpu_ms_per_dossier"]["postgresql"] > 0
