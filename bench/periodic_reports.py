"""The periodic one-stop report (II.05a) of the province for a year, a quarter and a month over a
million dossiers, on SQLite and on PostgreSQL.

The store is seeded as the indicators' section seeds it (``bench.indicators``: ``dossiers`` rows
of facts for 2026 and their sums), then ``gateway.reports.figures.unit_rows`` is timed for the
province's year 2026, its fourth quarter and November (counted from the 15th, TT 01/2020), rows
by unit of level 2: the best and the median of ``repeat`` calls each, after one to warm up.
Unlike ``GET /v1/indicators``, the report counts what happened in the period to every dossier
still open or ended in it, whenever received, so it reads the facts themselves.

``python -m bench.periodic_reports [--dossiers N] [--repeat R]`` runs it on its own.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Engine

from bench.indicators import _seed
from gateway.reports.figures import unit_rows
from gateway.store.engine import create_engines, migrate
from mappings.periods import Counting, parse_period
from tests.postgres_server import PostgresServer

PERIODS = ("2026", "2026-Q4", "2026-11")
PROVINCE = "000.00.00.H56"
NOW = datetime(2026, 12, 31, 12, tzinfo=UTC).timestamp()


def _timed(engine: Engine, code: str, repeat: int) -> dict[str, Any]:
    counting, period = Counting(), parse_period(code)
    first, last = counting.first_day(period), counting.last_day(period)

    def call() -> int:
        with engine.connect() as connection:
            rows = unit_rows(connection, first, last, PROVINCE, now=NOW)
        return sum(row.received for row in rows)

    counted = call()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return {
        "dossiers_counted": counted,
        "best": round(min(times), 3),
        "median": round(statistics.median(times), 3),
    }


def _run(url: str, dossiers: int, repeat: int) -> dict[str, Any]:
    writer, reader = create_engines(url, sqlite_synchronous="OFF")
    try:
        migrate(writer)
        seeded = _seed(writer, dossiers)
        return {"seed": seeded, **{code: _timed(reader, code, repeat) for code in PERIODS}}
    finally:
        writer.dispose()
        reader.dispose()


def main(
    dossiers: Annotated[int, typer.Option(help="Dossiers of 2026 in the store.")] = 1_000_000,
    repeat: Annotated[int, typer.Option(help="Timed calls per period.")] = 5,
) -> None:
    """Time the province's periodic report on SQLite and PostgreSQL; print the figures as JSON."""
    results: dict[str, Any] = {"dossiers": dossiers, "repeat": repeat}
    with tempfile.TemporaryDirectory(prefix="lienthong-bench-") as folder:
        results["sqlite"] = _run(f"sqlite:///{Path(folder) / 'reports.db'}", dossiers, repeat)
    with PostgresServer() as postgres:
        results["postgresql"] = _run(postgres.create_database("reports"), dossiers, repeat)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    typer.run(main)
