"""``GET /v1/indicators`` for a year over a million dossiers, on SQLite and on PostgreSQL.

A province that receives a million dossiers a year asks for the year's figures; they must come
back well under a second. The run, for each store:

1. **Seed.** A fresh store is migrated and filled with ``dossiers`` rows of facts for 2026
   (``indicator_facts``, as the intake writes them), in bulk: ``executemany`` on SQLite, ``COPY``
   on PostgreSQL; then their sums per day and unit, per month, unit, procedure and field, and
   per month, province, procedure and field, in one ``INSERT ... SELECT ... GROUP BY`` each:
   the same sums the intake keeps one change at a time, made at once (the intake path is not
   what this measures). The dossiers spread over the working days of the year, 188 handling
   units (20 departments, 168 communes under 6 units of level 2) and 300 procedures in 40
   fields, procedures drawn with a long tail (the first ones take most dossiers, as births and
   certifications do); half of those of the last month, and 3% of the others, are still in
   progress.
2. **The service call.** ``gateway.indicators.figures`` for the year, in one transaction of its
   own, for the whole province, by unit of level 2, by handling unit, by month, by procedure, by
   field, and for one unit of level 2: the best and the median of ``repeat`` calls each.
3. **The route.** ``lienthong serve`` on that store; ``GET /v1/indicators`` for the year (whole,
   by level-2 unit, by procedure) timed ``repeat`` times each from a client on loopback, after
   one call to warm up.

``python -m bench --only indicators`` runs this section alone.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import Connection, Engine, Insert, func, insert, select, text

from bench import load
from bench.scenarios import Workspace
from bench.servers import Server, free_port, lienthong
from gateway.indicators.figures import GroupBy, figures
from gateway.indicators.periods import Period
from gateway.store.engine import create_engines, migrate
from gateway.store.schema import (
    COUNT_COLUMNS,
    indicator_days,
    indicator_facts,
    indicator_months,
    indicator_procedures,
)
from mappings.canonical import VIETNAM
from tests.postgres_server import PostgresServer

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
GOAL_SECONDS = 0.5
"""'Well under a second' for the year's figures through the route."""
CHUNK = 50_000
PROVINCE = "H56"
DEPARTMENTS = [f"000.00.{n:02d}.{PROVINCE}" for n in range(1, 21)]
COMMUNES = [
    f"000.{commune:02d}.{district:02d}.{PROVINCE}"
    for district in range(30, 36)
    for commune in range(1, 29)
]
PROCEDURES = [f"1.{n:06d}" for n in range(1, 301)]
ONE_DISTRICT = f"000.00.31.{PROVINCE}"
SERVICE_CALLS: dict[str, tuple[GroupBy | None, str | None]] = {
    "whole province": (None, None),
    "by level-2 unit": (GroupBy.district, None),
    "by handling unit": (GroupBy.unit, None),
    "by month": (GroupBy.month, None),
    "by procedure": (GroupBy.procedure, None),
    "by field": (GroupBy.field, None),
    "one level-2 unit": (None, ONE_DISTRICT),
}
ROUTE_CALLS: dict[str, dict[str, str]] = {
    "whole province": {},
    "by level-2 unit": {"group_by": "district"},
    "by procedure": {"group_by": "procedure"},
}


def measure(
    console: Console, workspace: Workspace, *, dossiers: int, repeat: int
) -> dict[str, Any]:
    """Seed, call, serve (see the module), on SQLite then PostgreSQL; every figure as JSON."""
    runs: dict[str, Any] = {}
    database = workspace.path("indicators.db")
    runs["sqlite"] = _run(console, workspace, f"sqlite:///{database}", dossiers, repeat)
    with PostgresServer() as postgres:
        url = postgres.create_database("indicators")
        runs["postgresql"] = _run(console, workspace, url, dossiers, repeat)
    return {"dossiers": dossiers, "repeat": repeat, "goal_seconds": GOAL_SECONDS, **runs}


def _run(
    console: Console, workspace: Workspace, url: str, dossiers: int, repeat: int
) -> dict[str, Any]:
    store = url.split(":", 1)[0].split("+", 1)[0]
    console.print(f"[bold]indicators[/bold]: {store}, seeding {dossiers:,} dossiers of 2026")
    writer, reader = create_engines(url, sqlite_synchronous="OFF")
    try:
        migrate(writer)
        seeded = _seed(writer, dossiers)
        calls = {
            name: _timed(repeat, _call(reader, group_by, unit))
            for name, (group_by, unit) in SERVICE_CALLS.items()
        }
    finally:
        writer.dispose()
        reader.dispose()
    console.print(f"[bold]indicators[/bold]: {store}, GET /v1/indicators through lienthong serve")
    route = _route(workspace, url, store, repeat)
    return {"seed": seeded, "service_seconds": calls, "route_seconds": route}


def _facts(count: int) -> Iterator[list[dict[str, Any]]]:
    chance = random.Random(766)
    days = [
        YEAR.start + timedelta(days=n)
        for n in range(YEAR.days)
        if (YEAR.start + timedelta(days=n)).weekday() < 5
    ]
    units = DEPARTMENTS + COMMUNES
    weights = [1 / rank for rank in range(1, len(PROCEDURES) + 1)]
    last_month = datetime(2026, 12, 1, tzinfo=VIETNAM).timestamp()
    chunk: list[dict[str, Any]] = []
    for sequence in range(count):
        day = chance.choice(days)
        received = datetime(day.year, day.month, day.day, 8, tzinfo=VIETNAM).timestamp()
        received += chance.uniform(0, 9 * 3600)
        due = received + chance.choice((3, 5, 7, 10, 15, 20)) * 86400
        recent = received >= last_month
        resolved = chance.random() < (0.5 if recent else 0.97)
        finished = received + chance.expovariate(1 / (6 * 86400)) if resolved else None
        on_time = resolved and finished is not None and finished <= due
        unit = chance.choice(units)
        _v, z, y, h = unit.split(".")
        procedure = chance.choices(range(len(PROCEDURES)), weights)[0]
        synced = chance.random() < 0.98
        lag = chance.uniform(1, 120) if synced else 0.0
        evaluated = chance.random() < 0.08
        fact = {
            "code": f"{unit}-{day:%y%m%d}-{sequence:07d}",
            "province": f"000.00.00.{h}",
            "district": f"000.00.{y}.{h}",
            "commune": f"000.{z}.{y}.{h}",
            "unit": unit,
            "procedure_code": PROCEDURES[procedure],
            "field_code": f"F{procedure % 40:02d}",
            "day": day.isoformat(),
            "received_at": received,
            "due_at": due,
            "finished_at": finished,
            "accepted_at": received + 60,
            "synced_at": received + 60 + lag if synced else None,
            "score": 2.5 if evaluated else None,
            "received": 1,
            "online": int(chance.random() < 0.55),
            "paid_online": int(chance.random() < 0.3),
            "digitised": int(chance.random() < 0.7),
            "results_digitised": int(resolved and chance.random() < 0.6),
            "reused": int(chance.random() < 0.2),
            "prefilled": int(chance.random() < 0.4),
            "vneid": int(chance.random() < 0.5),
            "resolved": int(resolved),
            "on_time": int(on_time),
            "late": int(resolved and not on_time),
            "open": int(not resolved),
            "synced": int(synced),
            "sync_lag": lag,
            "evaluated": int(evaluated),
            "satisfied": int(evaluated and chance.random() < 0.95),
        }
        chunk.append(fact)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _sums_from_facts() -> list[Insert]:
    """The sums per day and unit and per month, unit, procedure and field, from the facts."""
    facts = indicator_facts
    sums = [func.sum(facts.c[name]) for name in COUNT_COLUMNS]
    levels = [func.min(facts.c[name]) for name in ("province", "district", "commune")]
    month = func.substr(facts.c.day, 1, 7)
    keys = ("province", "district", "commune", *COUNT_COLUMNS)
    by_day = select(facts.c.day, facts.c.unit, *levels, *sums).group_by(facts.c.day, facts.c.unit)
    by_month = select(
        month, facts.c.unit, facts.c.procedure_code, facts.c.field_code, *levels, *sums
    ).group_by(month, facts.c.unit, facts.c.procedure_code, facts.c.field_code)
    by_procedure = select(
        month, facts.c.province, facts.c.procedure_code, facts.c.field_code, *sums
    ).group_by(month, facts.c.province, facts.c.procedure_code, facts.c.field_code)
    return [
        insert(indicator_days).from_select(["day", "unit", *keys], by_day),
        insert(indicator_procedures).from_select(
            ["month", "province", "procedure_code", "field_code", *COUNT_COLUMNS], by_procedure
        ),
        insert(indicator_months).from_select(
            ["month", "unit", "procedure_code", "field_code", *keys], by_month
        ),
    ]


def _seed(engine: Engine, count: int) -> dict[str, Any]:
    started = time.perf_counter()
    columns = [column.name for column in indicator_facts.columns]
    for chunk in _facts(count):
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                _copy(connection, columns, chunk)
            else:
                connection.execute(indicator_facts.insert(), chunk)
    facts_seconds = time.perf_counter() - started
    with engine.begin() as connection:
        for statement in _sums_from_facts():
            connection.execute(statement)
        connection.execute(text("ANALYZE"))
        days, months, procedures = (
            connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (indicator_days, indicator_months, indicator_procedures)
        )
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "facts_seconds": round(facts_seconds, 1),
        "rows_per_day_and_unit": days,
        "rows_per_month_unit_procedure_field": months,
        "rows_per_month_province_procedure_field": procedures,
    }


def _copy(connection: Connection, columns: list[str], chunk: list[dict[str, Any]]) -> None:
    raw: Any = connection.connection.driver_connection
    names = ", ".join(f'"{name}"' for name in columns)
    with raw.cursor().copy(f"COPY indicator_facts ({names}) FROM STDIN") as copy:
        for fact in chunk:
            copy.write_row([fact[name] for name in columns])


def _call(engine: Engine, group_by: GroupBy | None, unit: str | None) -> Callable[[], int]:
    now = datetime(2026, 12, 31, 12, tzinfo=UTC).timestamp()

    def call() -> int:
        with engine.connect() as connection:
            return len(figures(connection, YEAR, unit=unit, group_by=group_by, now=now))

    return call


def _timed(repeat: int, call: Callable[[], Any]) -> dict[str, float]:
    call()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return {"best": round(min(times), 4), "median": round(statistics.median(times), 4)}


def _route(workspace: Workspace, url: str, store: str, repeat: int) -> dict[str, Any]:
    port = free_port()
    gateway = Server(
        f"gateway (indicators, {store})",
        [lienthong(), "serve"],
        port=port,
        log=workspace.path(f"gateway-indicators-{store}.log"),
        ready_path="/readyz",
        env={
            "LIENTHONG_DATABASE_URL": url,
            "LIENTHONG_PORT": str(port),
            "LIENTHONG_WORKER_ENABLED": "false",
            "LIENTHONG_DOCUMENT_POLLER_ENABLED": "false",
            "LIENTHONG_LOG_LEVEL": "WARNING",
        },
    )
    year = {"from": YEAR.start.isoformat(), "to": YEAR.end.isoformat()}
    figures_of: dict[str, Any] = {}
    with gateway, httpx.Client(auth=load.DemoToken(), timeout=600.0, trust_env=False) as http:

        def get(params: dict[str, str]) -> Callable[[], Any]:
            def call() -> Any:
                reply = http.get(f"{gateway.url}/v1/indicators", params={**year, **params})
                reply.raise_for_status()
                return reply.json()

            return call

        for name, params in ROUTE_CALLS.items():
            figures_of[name] = _timed(repeat, get(params))
        received = get({})()["total"]["counts"]["received"]
    return {"received_answered": received, **figures_of}


def show(console: Console, results: dict[str, Any]) -> None:
    table = Table(title=f"indicators: a year over {results['dossiers']:,} dossiers (seconds)")
    table.add_column("store")
    table.add_column("call")
    table.add_column("best", justify="right")
    table.add_column("median", justify="right")
    for store in ("sqlite", "postgresql"):
        run = results[store]
        for name, figure in run["service_seconds"].items():
            table.add_row(store, f"service: {name}", f"{figure['best']}", f"{figure['median']}")
        for name in ROUTE_CALLS:
            figure = run["route_seconds"][name]
            table.add_row(store, f"GET: {name}", f"{figure['best']}", f"{figure['median']}")
    console.print(table)
