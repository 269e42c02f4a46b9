"""The gateway with a backlog of a million events: its resident memory, and how fast it drains.

A national outage of a few days leaves the outbox with a large backlog; the gateway must hold it
without its memory growing with it, and work it off at full speed once the portal is back. The
run:

1. **Fill.** A fresh SQLite store is migrated and filled with ``events`` pending portal events
   straight through ``gateway.outbox.enqueue``, 50,000 a transaction (the same rows the API
   writes for a dossier, without the API: going through ``POST /v1/dossiers:batch`` would
   take many minutes for a million, and the API is not what this measures). Each row holds the
   portal's ``DongBoHoSoMC`` of a distinct dossier; the ``dossiers`` table stays empty, which the
   worker never reads.
2. **The claim query.** Before any gateway runs, the worker's claim (``outbox.claim``, 500
   rows) runs once in a transaction rolled back: its time with the full backlog, and SQLite's
   ``EXPLAIN QUERY PLAN`` of it, so a slow drain can be told from a slow plan.
3. **The backlog sits.** ``lienthong serve`` starts on that store with the portal's address
   pointing at a port where nothing listens yet (the worker tries, fails and backs off, as in an
   outage); its resident memory is sampled (``bench.memory``) for ``sit_seconds``, and
   ``GET /v1/status`` is timed once, as an operator would call it.
4. **The portal comes back.** ``lienthong mocks`` starts on that port; the run times how long
   the portal mock takes to hold ``drain`` dossiers, sampling memory all along. A drain slower
   than ``drain_seconds`` is cut there: the figure is then what arrived in that time.
5. **Status on PostgreSQL.** A throwaway PostgreSQL server (``tests.postgres_server``) gets a
   database filled with as many pending portal events, 50,000 a statement, built by the server
   (``INSERT ... SELECT`` over ``generate_series``, through the outbox's triggers like any
   insert). The queries status and the back-pressure check ran there before migration 0014 (the
   outbox grouped by national system and state, the pending rows counted) are timed on it, and
   ``outbox.counts``, what they run now; then ``lienthong serve`` starts on it, portal down, and
   ``GET /v1/status`` is timed ``STATUS_REPEAT`` times.

The document-axis poller is switched off so that only the worker runs beside the API. While the
portal is down the worker's calls fail and the portal's circuit breaker opens (for
``LIENTHONG_NATIONAL_PORTAL_BREAKER_COOL_DOWN``, 30 s by default), so the first delivery after
the portal is back can wait that long: the drain is reported both from the portal's return and
from the first delivery.
``python -m bench --only backlog`` runs this section alone.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, event, text

from bench import dossiers, load
from bench.memory import MIB, Sampler
from bench.scenarios import PORTAL_PATH, TARGET, Workspace
from bench.servers import HOST, Server, free_port, lienthong
from gateway import outbox
from gateway.dossiers import SNAPSHOT
from gateway.operations.status import system_status
from gateway.store.engine import create_engines, migrate
from mappings.dossier import Dossier
from mappings.national_portal import to_portal_dossier
from tests.postgres_server import PostgresServer

FILL_TRANSACTION = 50_000
CLAIM_LIMIT = 500
FIRST_SEQUENCE = 10**9
"""Ten-digit sequence numbers: every dossier code of the backlog has the same length."""
POLL_SECONDS = 0.5
GOAL_RSS_MB = 200.0
STATUS_REPEAT = 5
"""Times each status query and ``GET /v1/status`` is run on PostgreSQL; the median is kept."""

FILL_POSTGRESQL = text(
    """
    INSERT INTO outbox (target, kind, ordering_key, payload, idempotency_key, state, attempts,
                        due_at, created_at)
    SELECT :target, :kind, code, replace(:payload, :template, code),
           :key_prefix || code || :key_suffix, 'pending', 0, :now, :now
    FROM (SELECT :prefix || n AS code FROM generate_series(:first, :last) AS n) AS codes
    """
)
GROUPED_BEFORE_0014 = text(
    "SELECT target, state, count(*), sum((attempts > 1)::integer) FROM outbox "
    "GROUP BY target, state"
)
PENDING_BEFORE_0014 = text("SELECT count(*) FROM outbox WHERE state = 'pending'")


@dataclass(frozen=True, slots=True)
class ClaimPlan:
    """One claim with the backlog in place: how long it took and how SQLite went about it."""

    rows: int
    seconds: float
    plan: list[str]

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "ms": round(self.seconds * 1000, 1),
            "query_plan": self.plan,
        }


def measure(
    console: Console,
    workspace: Workspace,
    *,
    events: int,
    drain: int,
    sit_seconds: float,
    drain_seconds: float,
    settings: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Fill, sit, drain (see the module); every figure as JSON. The drain is timed until
    ``drain`` events are delivered or ``drain_seconds`` passed, whichever comes first.
    ``settings`` (``LIENTHONG_*`` variables) are given to the gateway over the bench's."""
    drain = min(drain, events)
    database = workspace.path("backlog.db")
    console.print(f"[bold]backlog[/bold]: filling the outbox with {events:,} pending events")
    filled = fill(database, events)
    plan = claim_plan(database)
    overview = overview_seconds(database)
    portal_port = free_port()
    gateway = backlog_gateway(
        workspace, f"sqlite:///{database}", f"http://{HOST}:{portal_port}{PORTAL_PATH}", settings
    )
    console.print(
        f"[bold]backlog[/bold]: gateway up, portal down for {sit_seconds:.0f}s, then "
        f"draining the first {drain:,}"
    )
    started = time.perf_counter()
    with gateway:
        startup = time.perf_counter() - started
        with Sampler(gateway.pid) as memory:
            memory.phase("backlog waiting, portal down")
            status_seconds = _sit(gateway, sit_seconds)
            memory.phase("portal mock starting")
            mocks = Server(
                "national mocks (portal back)",
                [lienthong(), "mocks", "--port", str(portal_port)],
                port=portal_port,
                log=workspace.path("backlog-mocks.log"),
            )
            with mocks:
                memory.phase("draining")
                drained = _drain(gateway, mocks, drain, drain_seconds)
            memory.phase("after the drain")
    final = _counts(database)
    peak = memory.peak_bytes() / MIB
    on_postgresql = status_on_postgresql(console, workspace, events, settings)
    return {
        "events": events,
        "gateway_settings": dict(settings or {}),
        "fill": {
            "seconds": round(filled, 1),
            "events_per_second": round(events / filled, 1),
            "how": f"gateway.outbox.enqueue, {FILL_TRANSACTION:,} a transaction",
            "database_mb": round(database.stat().st_size / MIB, 1),
        },
        "claim_with_backlog": plan.as_json(),
        "gateway_startup_seconds": round(startup, 2),
        "status_seconds_with_backlog": round(status_seconds, 3),
        "overview_seconds_with_backlog": round(overview, 4),
        "memory": memory.as_json(),
        "peak_rss_mb": round(peak, 1),
        "goal_rss_mb": GOAL_RSS_MB,
        "drain": drained,
        "outbox_after": final,
        "status_on_postgresql": on_postgresql,
    }


def fill(database: Path, events: int) -> float:
    """Migrate a fresh store at ``database`` and queue ``events`` portal events; the seconds
    filling took (migration excluded)."""
    writer, reader = create_engines(f"sqlite:///{database}", sqlite_synchronous="OFF")
    try:
        migrate(writer)
        started = time.perf_counter()
        for chunk in _events(events):
            with writer.begin() as connection:
                outbox.enqueue(connection, chunk)
        return time.perf_counter() - started
    finally:
        writer.dispose()
        reader.dispose()


def _template() -> tuple[str, str]:
    """The portal's ``DongBoHoSoMC`` of one template dossier, mapped once, and the dossier code
    it names exactly once, for a distinct code to be put in for each event (codes of equal
    length, so the JSON stays valid)."""
    template_code = dossiers.code(FIRST_SEQUENCE)
    dossier = Dossier.model_validate(dossiers.dossier(FIRST_SEQUENCE))
    payload = to_portal_dossier(dossier).model_dump_json()
    if payload.count(template_code) != 1:
        raise ValueError(f"the portal payload should name {template_code} exactly once: {payload}")
    return payload, template_code


def _events(count: int) -> Iterator[list[outbox.NewEvent]]:
    """The template's events, ``FILL_TRANSACTION`` a list."""
    payload, template_code = _template()
    for start in range(0, count, FILL_TRANSACTION):
        chunk = []
        for sequence in range(
            FIRST_SEQUENCE + start, FIRST_SEQUENCE + min(count, start + FILL_TRANSACTION)
        ):
            code = dossiers.code(sequence)
            chunk.append(
                outbox.NewEvent(
                    target=TARGET,
                    kind=SNAPSHOT,
                    ordering_key=code,
                    payload=payload.replace(template_code, code),
                    idempotency_key=f"{TARGET}:{code}:{SNAPSHOT}:bench-backlog",
                )
            )
        yield chunk


def claim_plan(database: Path) -> ClaimPlan:
    """Run the worker's claim once and roll it back; its time and SQLite's plan for it."""
    writer, reader = create_engines(f"sqlite:///{database}")
    statements: list[tuple[str, Any]] = []

    def capture(
        connection: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
    ) -> None:
        if statement.lstrip().upper().startswith("UPDATE"):
            statements.append((statement, parameters))

    try:
        event.listen(writer, "before_cursor_execute", capture)
        with writer.connect() as connection:
            transaction = connection.begin()
            began = time.perf_counter()
            rows = outbox.claim(
                connection, owner="bench-plan", limit=CLAIM_LIMIT, lease_seconds=60.0
            )
            seconds = time.perf_counter() - began
            transaction.rollback()
        event.remove(writer, "before_cursor_execute", capture)
        return ClaimPlan(rows=len(rows), seconds=seconds, plan=_plan(writer, statements))
    finally:
        writer.dispose()
        reader.dispose()


def overview_seconds(database: Path) -> float:
    """How long the console's overview takes to learn how each national system stands
    (``gateway.operations.status.system_status``) on the store at ``database``, warm."""
    writer, reader = create_engines(f"sqlite:///{database}")
    try:
        with reader.connect() as connection:
            system_status(connection, [TARGET], now=time.time())
            began = time.perf_counter()
            system_status(connection, [TARGET], now=time.time())
            return time.perf_counter() - began
    finally:
        writer.dispose()
        reader.dispose()


def _plan(engine: Engine, statements: list[tuple[str, Any]]) -> list[str]:
    if not statements:
        return []
    statement, parameters = statements[0]
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        return [str(row[-1]) for row in rows]


def status_on_postgresql(
    console: Console,
    workspace: Workspace,
    events: int,
    settings: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Fill a PostgreSQL store with ``events`` pending events; the status queries of before and
    after migration 0014 timed on it, then ``GET /v1/status`` of a gateway serving it."""
    console.print(f"[bold]backlog[/bold]: PostgreSQL, filling the outbox with {events:,} events")
    with PostgresServer() as postgres:
        url = postgres.create_database("backlog")
        filled = fill_postgresql(url, events)
        queries = _status_queries(url)
        gateway = backlog_gateway(
            workspace,
            url,
            f"http://{HOST}:{free_port()}{PORTAL_PATH}",
            settings,
            name="gateway-backlog-postgresql",
        )
        with gateway:
            first, median = _status_timings(gateway, STATUS_REPEAT)
        change_rows = _scalar(url, "SELECT count(*) FROM outbox_count_changes")
    return {
        "fill_seconds": round(filled, 1),
        "repeat": STATUS_REPEAT,
        "grouped_before_0014_seconds": round(queries["grouped"], 4),
        "pending_count_before_0014_seconds": round(queries["pending"], 4),
        "counts_seconds": round(queries["counts"], 4),
        "status_first_seconds": round(first, 4),
        "status_seconds": round(median, 4),
        "count_change_rows_after": change_rows,
    }


def fill_postgresql(url: str, events: int) -> float:
    """Migrate the store at ``url`` and queue ``events`` portal events, ``FILL_TRANSACTION`` a
    statement built by the server, then vacuum the outbox as autovacuum would have by the time
    anyone asks; the seconds filling took (migration and vacuum excluded)."""
    payload, template_code = _template()
    prefix = template_code.removesuffix(str(FIRST_SEQUENCE))
    if prefix == template_code:
        raise ValueError(f"{template_code} should end with its sequence {FIRST_SEQUENCE}")
    writer, reader = create_engines(url)
    try:
        migrate(writer)
        started = time.perf_counter()
        for start in range(0, events, FILL_TRANSACTION):
            with writer.begin() as connection:
                connection.execute(
                    FILL_POSTGRESQL,
                    {
                        "target": TARGET,
                        "kind": SNAPSHOT,
                        "key_prefix": f"{TARGET}:",
                        "key_suffix": f":{SNAPSHOT}:bench-backlog",
                        "payload": payload,
                        "template": template_code,
                        "prefix": prefix,
                        "now": time.time(),
                        "first": FIRST_SEQUENCE + start,
                        "last": FIRST_SEQUENCE + min(events, start + FILL_TRANSACTION) - 1,
                    },
                )
        seconds = time.perf_counter() - started
        with writer.connect() as connection:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "VACUUM ANALYZE outbox"
            )
        return seconds
    finally:
        writer.dispose()
        reader.dispose()


def _status_queries(url: str) -> dict[str, float]:
    """The median seconds of the status queries of before migration 0014 and of now."""
    writer, reader = create_engines(url)
    runs: dict[str, list[float]] = {"grouped": [], "pending": [], "counts": []}
    try:
        with reader.connect() as connection:
            for _ in range(STATUS_REPEAT):
                for name, run in (
                    ("grouped", lambda: connection.execute(GROUPED_BEFORE_0014).all()),
                    ("pending", lambda: connection.execute(PENDING_BEFORE_0014).scalar_one()),
                    ("counts", lambda: outbox.counts(connection)),
                ):
                    began = time.perf_counter()
                    run()
                    runs[name].append(time.perf_counter() - began)
                connection.rollback()
    finally:
        writer.dispose()
        reader.dispose()
    return {name: statistics.median(seconds) for name, seconds in runs.items()}


def _status_timings(gateway: Server, repeat: int) -> tuple[float, float]:
    """``GET /v1/status`` ``repeat`` times: the first call's seconds and the median."""
    seconds = []
    with httpx.Client(auth=load.DemoToken(), timeout=600.0, trust_env=False) as http:
        for _ in range(repeat):
            began = time.perf_counter()
            http.get(f"{gateway.url}/v1/status").raise_for_status()
            seconds.append(time.perf_counter() - began)
    return seconds[0], statistics.median(seconds)


def _scalar(url: str, statement: str) -> int:
    writer, reader = create_engines(url)
    try:
        with reader.connect() as connection:
            return int(connection.exec_driver_sql(statement).scalar_one())
    finally:
        writer.dispose()
        reader.dispose()


def backlog_gateway(
    workspace: Workspace,
    database_url: str,
    portal_url: str,
    settings: Mapping[str, str] | None = None,
    *,
    name: str = "gateway-backlog",
) -> Server:
    """``lienthong serve`` on the filled store, the portal at ``portal_url``, no axis poller."""
    port = free_port()
    return Server(
        f"gateway (backlog, {database_url.split(':', 1)[0]})",
        [lienthong(), "serve"],
        port=port,
        log=workspace.path(f"{name}.log"),
        ready_path="/readyz",
        env={
            "LIENTHONG_DATABASE_URL": database_url,
            "LIENTHONG_PORT": str(port),
            "LIENTHONG_NATIONAL_PORTAL_URL": portal_url,
            "LIENTHONG_DOCUMENT_POLLER_ENABLED": "false",
            "LIENTHONG_LOG_LEVEL": "WARNING",
            **(settings or {}),
        },
    )


def _sit(gateway: Server, seconds: float) -> float:
    """Let the backlog sit while the portal is down; ``GET /v1/status`` timed once in it."""
    deadline = time.monotonic() + seconds
    with httpx.Client(auth=load.DemoToken(), timeout=600.0, trust_env=False) as http:
        began = time.perf_counter()
        reply = http.get(f"{gateway.url}/v1/status")
        status_seconds = time.perf_counter() - began
        reply.raise_for_status()
    while time.monotonic() < deadline:
        gateway.check_alive()
        time.sleep(min(POLL_SECONDS, max(deadline - time.monotonic(), 0.0)))
    return status_seconds


def _drain(gateway: Server, mocks: Server, target: int, limit_seconds: float) -> dict[str, Any]:
    """Poll the portal mock until it holds ``target`` dossiers, or ``limit_seconds`` passed;
    how many arrived, the rate and its course."""
    started = time.perf_counter()
    course: list[tuple[float, int]] = []
    held = 0
    with httpx.Client(timeout=30.0, trust_env=False) as http:
        while held < target and time.perf_counter() - started < limit_seconds:
            gateway.check_alive()
            time.sleep(POLL_SECONDS)
            reply = http.get(f"{mocks.url}{PORTAL_PATH}/__admin/state")
            reply.raise_for_status()
            held = int(reply.json()["dossiers"])
            course.append((time.perf_counter() - started, held))
    seconds = course[-1][0] if course else time.perf_counter() - started
    first = next((at for at, count in course if count > 0), seconds)
    return {
        "target": target,
        "delivered": held,
        "complete": held >= target,
        "limit_seconds": limit_seconds,
        "seconds": round(seconds, 2),
        "events_per_second": round(held / seconds, 1) if seconds else 0.0,
        "seconds_to_first_delivery": round(first, 2),
        "events_per_second_after_first": round(held / max(seconds - first, 1e-9), 1)
        if held
        else 0.0,
        "course": [[round(at, 1), count] for at, count in course[:: max(len(course) // 20, 1)]],
    }


def _counts(database: Path) -> dict[str, int]:
    """The portal events by state once the gateway stopped, and how many were tried twice."""
    writer, reader = create_engines(f"sqlite:///{database}")
    try:
        with reader.connect() as connection:
            found = outbox.counts(connection).get(TARGET, outbox.TargetCounts())
        return {
            "pending": found.pending,
            "delivered": found.delivered,
            "dead": found.dead,
            "retried": found.retried,
        }
    finally:
        writer.dispose()
        reader.dispose()


def show(console: Console, figures: dict[str, Any]) -> None:
    table = Table(
        title=f"Gateway with {figures['events']:,} pending events (SQLite)",
        caption=(
            f"filled in {figures['fill']['seconds']:.0f}s "
            f"({figures['fill']['events_per_second']:,.0f}/s, {figures['fill']['how']}); "
            f"one claim of {CLAIM_LIMIT} with the backlog: "
            f"{figures['claim_with_backlog']['ms']:,.1f} ms"
        ),
    )
    for column in ("phase", "seconds", "RSS min MB", "RSS max MB", "peak (HWM) MB"):
        table.add_column(column, justify="left" if column == "phase" else "right")
    for phase in figures["memory"]:
        if not phase.get("samples"):
            continue
        table.add_row(
            phase["phase"],
            f"{phase['seconds']:.1f}",
            f"{phase['rss_min_mb']:.1f}",
            f"{phase['rss_max_mb']:.1f}",
            f"{phase['hwm_mb']:.1f}",
        )
    console.print(table)
    drain = figures["drain"]
    verdict = "met" if figures["peak_rss_mb"] < GOAL_RSS_MB else "missed"
    console.print(
        f"peak resident {figures['peak_rss_mb']:.1f} MB (goal < {GOAL_RSS_MB:.0f} MB: {verdict}); "
        f"drained {drain['delivered']:,} of {drain['target']:,} in {drain['seconds']:.1f}s = "
        f"[bold]{drain['events_per_second']:,.0f} events/s[/bold] "
        f"(first delivery after {drain['seconds_to_first_delivery']:.1f}s); "
        f"GET /v1/status with the backlog took {figures['status_seconds_with_backlog']:.2f}s"
    )
    console.print("claim query plan: " + " | ".join(figures["claim_with_backlog"]["query_plan"]))
    pg = {name: value * 1000 for name, value in figures["status_on_postgresql"].items()}
    console.print(
        f"PostgreSQL with {figures['events']:,} pending: GET /v1/status "
        f"[bold]{pg['status_seconds']:,.1f} ms[/bold] (median of {STATUS_REPEAT}, first "
        f"{pg['status_first_seconds']:,.1f} ms); the counts {pg['counts_seconds']:,.2f} ms, "
        f"where grouping the outbox took {pg['grouped_before_0014_seconds']:,.0f} ms and "
        f"counting the pending rows {pg['pending_count_before_0014_seconds']:,.0f} ms"
    )
