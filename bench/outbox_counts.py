"""What the outbox's counts cost on PostgreSQL (migration 0014), measured on a throwaway server.

Two measurements, on the test server's settings (``fsync`` off: the figures are CPU, not disk):

1. **The triggers' cost on writes.** The same writes on two databases of one server, one with
   the three count triggers and one without: ``rounds`` transactions queueing one event, a tenth
   as many queueing a hundred, half as many cycles of a claim of ten then eight delivered and
   two dead. The two databases take turns, three times; the median of each is kept.
2. **Reading the counts under load.** Three stores (as three replicas would) queue, claim and
   deliver flat out for ``seconds``, each running the compaction as the gateway does (one leads
   and folds every second); a fourth reads ``outbox.counts`` every 50 ms. Reported: the events
   delivered a second, the read's p50, p99 and maximum, and how many change rows the sum went
   over.

``python -m bench.outbox_counts`` runs both (under ``flock /tmp/bench.lock``, like any bench).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import statistics
import time
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from sqlalchemy import Connection, Engine, func, select, text

from gateway import outbox
from gateway.outbox import Failure, NewEvent
from gateway.outbox_count_compaction import CountCompaction
from gateway.store import Store
from gateway.store.engine import create_engines, migrate
from gateway.store.schema import outbox_count_changes
from tests.postgres_server import PostgresServer

TRIGGERS = ("outbox_count_inserted", "outbox_count_deleted", "outbox_count_updated")
TURNS = 3
READ_EVERY = 0.05
REPLICAS = 3
BATCH = 20
"""Events each replica queues, then claims and settles, per round of the load."""

_numbers = itertools.count(1)


def _events(count: int) -> list[NewEvent]:
    """``count`` events for two national systems, each with a key of its own."""
    events = []
    for n in itertools.islice(_numbers, count):
        target = "national_portal" if n % 2 else "monitoring_centre"
        events.append(NewEvent(target, "dossier", f"code-{n}", "{}", f"bench-counts:{n}"))
    return events


def _writes(writer: Engine, rounds: int) -> tuple[float, float, float]:
    """Seconds per transaction queueing one event, per transaction queueing a hundred, and per
    cycle of a claim of ten and their outcomes."""
    started = time.perf_counter()
    for _ in range(rounds):
        with writer.begin() as connection:
            outbox.enqueue(connection, _events(1))
    single = (time.perf_counter() - started) / rounds
    batches = max(rounds // 10, 1)
    started = time.perf_counter()
    for _ in range(batches):
        with writer.begin() as connection:
            outbox.enqueue(connection, _events(100))
    batch = (time.perf_counter() - started) / batches
    cycles = max(rounds // 2, 1)
    started = time.perf_counter()
    for _ in range(cycles):
        with writer.begin() as connection:
            rows = outbox.claim(connection, owner="bench", limit=10, lease_seconds=60)
        with writer.begin() as connection:
            outbox.mark_delivered(connection, "bench", [row.id for row in rows[:8]])
            outbox.mark_dead(connection, "bench", [Failure(row.id, "refused") for row in rows[8:]])
    cycle = (time.perf_counter() - started) / cycles
    return single, batch, cycle


def trigger_cost(postgres: PostgresServer, rounds: int) -> dict[str, Any]:
    """The writes of the module's first measurement with and without the triggers, in us."""
    engines: dict[str, Engine] = {}
    for name in ("with_triggers", "without_triggers"):
        writer, reader = create_engines(postgres.create_database(f"counts_{name}"))
        reader.dispose()
        migrate(writer)
        if name == "without_triggers":
            with writer.begin() as connection:
                for trigger in TRIGGERS:
                    connection.execute(text(f"DROP TRIGGER {trigger} ON outbox"))
        engines[name] = writer
    turns: dict[str, list[tuple[float, float, float]]] = {name: [] for name in engines}
    try:
        for _ in range(TURNS):
            for name, writer in engines.items():
                turns[name].append(_writes(writer, rounds))
    finally:
        for writer in engines.values():
            writer.dispose()
    figures: dict[str, Any] = {"rounds": rounds, "turns": TURNS}
    for name, runs in turns.items():
        single, batch, cycle = (statistics.median(run[k] for run in runs) * 1e6 for k in range(3))
        figures[name] = {
            "enqueue_one_us": round(single, 1),
            "enqueue_hundred_us": round(batch, 1),
            "claim_and_outcomes_us": round(cycle, 1),
        }
    return figures


async def _replica(store: Store, owner: str, stop: asyncio.Event) -> int:
    """Queue, claim and settle ``BATCH`` events a round until ``stop``; how many were settled."""
    settled = 0
    while not stop.is_set():
        await store.write(partial(outbox.enqueue, events=_events(BATCH)))
        rows = await store.write(partial(outbox.claim, owner=owner, limit=BATCH, lease_seconds=60))
        delivered = [row.id for row in rows[:-2]]
        dead = [Failure(row.id, "refused") for row in rows[-2:]]
        await store.write(partial(outbox.mark_delivered, owner=owner, ids=delivered))
        await store.write(partial(outbox.mark_dead, owner=owner, failures=dead))
        settled += len(rows)
    return settled


def _read(connection: Connection) -> tuple[float, int]:
    began = time.perf_counter()
    outbox.counts(connection)
    seconds = time.perf_counter() - began
    rows = connection.execute(select(func.count()).select_from(outbox_count_changes))
    return seconds, int(rows.scalar_one())


async def _under_load(url: str, seconds: float) -> dict[str, Any]:
    stores = [Store(url) for _ in range(REPLICAS)]
    reader = Store(url)
    await stores[0].migrate()
    folders = [CountCompaction(store) for store in stores]
    folding = [asyncio.create_task(folder.run()) for folder in folders]
    stop = asyncio.Event()
    replicas = [
        asyncio.create_task(_replica(store, f"replica-{n}", stop)) for n, store in enumerate(stores)
    ]
    reads: list[float] = []
    rows: list[int] = []
    started = time.perf_counter()
    try:
        while time.perf_counter() - started < seconds:
            read, seen = await reader.read(_read)
            reads.append(read)
            rows.append(seen)
            await asyncio.sleep(READ_EVERY)
    finally:
        stop.set()
        settled = sum(await asyncio.gather(*replicas))
        elapsed = time.perf_counter() - started
        for folder in folders:
            folder.stop()
        await asyncio.gather(*folding)
        for store in (*stores, reader):
            await store.dispose()
    reads.sort()
    return {
        "seconds": seconds,
        "replicas": REPLICAS,
        "events_settled_per_second": round(settled / elapsed, 1),
        "reads": len(reads),
        "counts_p50_ms": round(_quantile(reads, 0.5) * 1000, 2),
        "counts_p99_ms": round(_quantile(reads, 0.99) * 1000, 2),
        "counts_max_ms": round(reads[-1] * 1000, 2),
        "change_rows_median": statistics.median(rows),
        "change_rows_max": max(rows),
    }


def _quantile(ordered: Sequence[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(console: Console, *, rounds: int, seconds: float) -> dict[str, Any]:
    """Both measurements of the module, as JSON."""
    with PostgresServer() as postgres:
        console.print(f"[bold]outbox counts[/bold]: the triggers' cost, {rounds:,} rounds a turn")
        cost = trigger_cost(postgres, rounds)
        console.print(f"[bold]outbox counts[/bold]: read under load for {seconds:.0f}s")
        load = asyncio.run(_under_load(postgres.create_database("counts_load"), seconds))
    return {"trigger_cost": cost, "under_load": load}


def _lines(figures: dict[str, Any]) -> Iterator[str]:
    cost = figures["trigger_cost"]
    with_, without = cost["with_triggers"], cost["without_triggers"]
    for key, label in (
        ("enqueue_one_us", "queueing one event"),
        ("enqueue_hundred_us", "queueing a hundred"),
        ("claim_and_outcomes_us", "a claim of ten and their outcomes"),
    ):
        extra = (with_[key] / without[key] - 1) * 100
        yield (
            f"{label}: {with_[key]:,.0f} us with the triggers, {without[key]:,.0f} us without "
            f"({extra:+.1f} %)"
        )
    load = figures["under_load"]
    yield (
        f"under load ({load['replicas']} stores, {load['events_settled_per_second']:,.0f} events "
        f"settled/s): outbox.counts p50 {load['counts_p50_ms']:.2f} ms, p99 "
        f"{load['counts_p99_ms']:.2f} ms, max {load['counts_max_ms']:.2f} ms over "
        f"{load['reads']} reads; change rows median {load['change_rows_median']:.0f}, "
        f"max {load['change_rows_max']}"
    )


def show(console: Console, figures: dict[str, Any]) -> None:
    for line in _lines(figures):
        console.print(line)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.outbox_counts", description=__doc__)
    parser.add_argument(
        "--rounds", type=int, default=1000, help="transactions of one event a turn (1,000)"
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds of load (20)")
    parser.add_argument("--output", type=Path, help="also write the figures here as JSON")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.seconds <= 0:
        parser.error("--rounds must be at least 1 and --seconds more than 0")
    console = Console()
    figures = measure(console, rounds=args.rounds, seconds=args.seconds)
    if args.output:
        args.output.write_text(json.dumps(figures, indent=2) + "\n")
    show(console, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
