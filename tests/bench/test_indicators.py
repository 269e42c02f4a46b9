"""The indicators section seeds a year of facts on SQLite and PostgreSQL, answers the year's
figures for every dossier seeded, and puts its timings in the figures table."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from bench import indicators, markdown
from bench.scenarios import Workspace

pytestmark = pytest.mark.e2e


def test_a_small_year_is_seeded_counted_and_timed(tmp_path: Path) -> None:
    figures = indicators.measure(Console(quiet=True), Workspace(tmp_path), dossiers=3000, repeat=1)
    for store in ("sqlite", "postgresql"):
        run = figures[store]
        assert run["route_seconds"]["received_answered"] == 3000
        assert run["seed"]["rows_per_month_province_procedure_field"] > 0
        assert set(run["service_seconds"]) == set(indicators.SERVICE_CALLS)
        assert all(t["median"] > 0 for t in run["service_seconds"].values())
    rows = list(markdown._indicators({"indicators": figures}))
    stores = ["SQLite", "SQLite", "PostgreSQL", "PostgreSQL"]
    assert [store in row[0] for row, store in zip(rows, stores, strict=True)] == [True] * 4
    assert rows[0][2].startswith("< 500 ms")
