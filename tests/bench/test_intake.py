"""The intake section: wrk's Lua script makes valid dossiers, each with a code of its own, and
the references answer them; the ratios set the gateway beside them.

The scripts are run by a real wrk at the real naive durable reference on loopback: every request
must be answered 202 (a dossier the model refuses would be a 422), and the SQLite file must hold
a row for every dossier sent (a repeated code would replace a row, not add one). wrk counts the
replies it read; the requests still in flight when it stops, at most one a connection, are
stored too.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from bench import intake, markdown, wrk
from bench.scenarios import Workspace
from bench.servers import REPOSITORY, Server, free_port

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed"),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("intake"))


@pytest.fixture(scope="module")
def durable(workspace: Workspace) -> Iterator[Server]:
    port = free_port()
    database = workspace.path("durable.db")
    command = [sys.executable, "-m", "bench.references", "durable", "--port", str(port)]
    server = Server(
        "durable reference",
        [*command, "--database", str(database)],
        port=port,
        log=workspace.path("durable.log"),
        env={"PYTHONPATH": str(REPOSITORY)},
    )
    with server:
        yield server


def _rows(workspace: Workspace) -> int:
    with sqlite3.connect(workspace.path("durable.db")) as connection:
        (count,) = connection.execute("SELECT count(*) FROM dossiers").fetchone()
    return int(count)


@pytest.mark.parametrize(("batch", "first"), [(None, 1), (intake.BATCH_SIZE, 10**8)])
def test_every_dossier_wrk_sends_is_valid_and_has_a_code_of_its_own(
    workspace: Workspace, durable: Server, batch: int | None, first: int
) -> None:
    before = _rows(workspace)
    run = wrk.run(
        wrk.ensure(),
        f"{durable.url}/v1/dossiers{':batch' if batch else ''}",
        seconds=1,
        connections=2,
        script=workspace.path("intake.lua"),
        requests=intake.requests_script(first=first, batch=batch),
    )
    assert run.requests > 0
    assert run.non_2xx == 0
    stored = _rows(workspace) - before
    assert run.requests * (batch or 1) <= stored <= (run.requests + 2) * (batch or 1)


def test_the_ratios_set_the_gateway_beside_each_reference() -> None:
    runs = {
        "plain_single": {"dossiers_per_second": 8000.0},
        "durable_single": {"dossiers_per_second": 2000.0},
        "gateway_single": {"dossiers_per_second": 3000.0, "events_per_second": 2500.0},
        "plain_batch": {"dossiers_per_second": 30000.0},
    }
    assert intake.ratios(runs) == {
        "single_accepted_to_plain": 0.375,
        "single_end_to_end_to_plain": 0.312,
        "single_accepted_to_durable": 1.5,
        "single_end_to_end_to_durable": 1.25,
    }


def test_the_readme_table_shows_each_run_beside_the_references_and_the_goals() -> None:
    cpu = {"server": 0.5, "wrk": 0.02}
    runs: dict[str, dict[str, Any]] = {
        "plain_single": {"dossiers_per_second": 8000.0, "cpu_ms_per_dossier": cpu},
        "durable_single": {"dossiers_per_second": 2000.0, "cpu_ms_per_dossier": cpu},
        "gateway_single": {
            "dossiers_per_second": 3000.0,
            "events_per_second": 2500.0,
            "cpu_ms_per_dossier": {**cpu, "national mocks": None},
        },
    }
    results = {
        "generated_at": "2026-12-07T09:00:00+00:00",
        "command": "python -m bench",
        "machine": {
            "cpu_count": 2,
            "python": "3.11.7",
            "platform": "Linux",
            "load_average_at_start": [0.5, 0.5, 0.5],
            "python_loop_ms": 61.5,
        },
        "intake": {
            "seconds": 15.0,
            "single_connections": 32,
            "batch_connections": 4,
            "goals_events_per_second": intake.GOALS,
            "goal_single_over_durable": intake.GOAL_OVER_DURABLE,
            "runs": runs,
            "ratios": intake.ratios(runs),
        },
    }
    table = markdown.render(results)
    assert "a fixed pure-Python loop of 1,000,000 steps took 62 ms" in table
    assert "**2,000 dossiers/s**, CPU ms per dossier: server 0.500, wrk 0.020" in table
    assert "**2,500 events/s** (accepted at 3,000/s); **1.25×** durable, 0.31× plain" in table
    assert "3,000 (missed); ≥ 1.5× durable (missed)" in table
    assert "national mocks" not in table
