"""End to end on PostgreSQL, with one gateway replica and with two on the same database.

SQLite keeps the gateway in one process, so one core; PostgreSQL is the store for several
replicas, each an API and a delivery worker (``lienthong serve``), claiming work with
``FOR UPDATE SKIP LOCKED``. The same ingestion runs as on SQLite (``bench.scenarios.ingest``:
first request until every portal event is delivered at the portal mock) against a throwaway
PostgreSQL server (``tests.postgres_server``), a fresh database per run:

- one replica, the load on it;
- two replicas started one after the other on the same database (the first migrates it), the
  load's connections dealt out between them, both workers delivering.

The server keeps PostgreSQL's durable defaults (``fsync``, ``synchronous_commit`` and
``full_page_writes`` on), so the comparison with SQLite at ``synchronous=FULL`` is like for
like; the test suite's server switches them off, the bench switches them back on. Everything
shares the machine's cores: the replicas, PostgreSQL, the portal mock and the load client; the
CPU figures count PostgreSQL's too (its main process and every backend it forked).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

import psycopg
from rich.console import Console

from bench import scenarios
from bench.scenarios import Workspace
from bench.servers import Server, process_tree_cpu_seconds
from tests.postgres_server import PostgresServer

DURABLE = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}
"""PostgreSQL's own defaults, restored over the test server's fast and disposable settings."""

REPLICA_COUNTS = (1, 2)


@dataclass(frozen=True, slots=True)
class Plan:
    """What each store configuration is given: dossiers one by one and in batches (``modes``
    says which of the two run; a smoke run may keep one)."""

    single: int
    batch: int
    concurrency: int
    batch_concurrency: int
    modes: tuple[str, ...] = ("single", "batch")

    def runs(self) -> tuple[tuple[str, int, int], ...]:
        every = (
            ("single", self.single, self.concurrency),
            ("batch", self.batch, self.batch_concurrency),
        )
        return tuple(run for run in every if run[0] in self.modes)


def configuration(replicas: int) -> str:
    """The name a configuration's figures go under: ``postgres`` or ``postgres_2_replicas``."""
    return "postgres" if replicas == 1 else f"postgres_{replicas}_replicas"


def measure(console: Console, workspace: Workspace, mocks: Server, plan: Plan) -> dict[str, Any]:
    """Every run on PostgreSQL, by configuration and ingestion mode, as JSON."""
    figures: dict[str, Any] = {"postgres_settings": {**DURABLE}}
    with PostgresServer(settings=DURABLE) as postgres:
        figures["postgres_settings"]["server_version"] = _version(postgres)
        postmaster = _postmaster(postgres)
        sequence = 5 * 10**9
        for replicas in REPLICA_COUNTS:
            name = configuration(replicas)
            runs: dict[str, Any] = {"replicas": replicas}
            for mode, count, concurrency in plan.runs():
                database = f"bench_{name}_{mode}"
                console.print(
                    f"[bold]PostgreSQL[/bold], {replicas} replica(s), {mode}: {count:,} dossiers "
                    f"at concurrency {concurrency}"
                )
                url = postgres.create_database(database)
                with _replicas(workspace, f"{name}-{mode}", mocks.url, url, replicas) as servers:
                    result = scenarios.ingest(
                        servers,
                        mocks,
                        mode=mode,
                        count=count,
                        concurrency=concurrency,
                        first_sequence=sequence,
                        clocks={"postgresql": partial(process_tree_cpu_seconds, postmaster)},
                    )
                postgres.drop_database(database)
                sequence += count
                runs[mode] = result.as_json()
            figures[name] = runs
    return figures


@contextmanager
def _replicas(
    workspace: Workspace, name: str, mocks_url: str, database_url: str, count: int
) -> Iterator[list[Server]]:
    """``count`` gateways on ``database_url``, started in turn (the first one migrates)."""
    with ExitStack() as stack:
        servers = [
            stack.enter_context(
                scenarios.gateway(
                    workspace, f"{name}-{index + 1}", mocks_url, database_url=database_url
                )
            )
            for index in range(count)
        ]
        yield servers


def _postmaster(postgres: PostgresServer) -> int:
    """The server's main process, from the first line of ``postmaster.pid`` in its data folder
    (beside the socket folder); each connection's backend is a child of it."""
    lines = (postgres.socket_dir.parent / "data" / "postmaster.pid").read_text().splitlines()
    return int(lines[0])


def _version(postgres: PostgresServer) -> str:
    conninfo = postgres.url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]) if row else "unknown"
