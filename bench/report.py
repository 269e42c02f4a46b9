"""What a bench run found: the table on the terminal and ``latest.json`` with every figure."""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bench.latency import Latency

GOALS = {"single": 1000.0, "batch": 5000.0}
"""End-to-end events per second the gateway should reach on SQLite, by ingestion mode."""


def machine() -> dict[str, Any]:
    return {
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "load_average_at_start": load_average(),
        "python_loop_ms": python_loop_ms(),
    }


PYTHON_LOOP = 1_000_000


def python_loop_ms() -> float:
    """How fast this machine runs Python now: the best of five timings of one fixed loop
    (``PYTHON_LOOP`` additions and multiplications), in milliseconds. Rates move with the
    machine and its load; this says how fast the machine was when they were measured."""
    best = float("inf")
    for _ in range(5):
        began = time.perf_counter()
        total = 0
        for number in range(PYTHON_LOOP):
            total += number * number
        best = min(best, time.perf_counter() - began)
    return round(best * 1000, 1)


def cpu_model(cpuinfo: Path = Path("/proc/cpuinfo")) -> str | None:
    """The processor's model name as Linux reports it; None where it cannot be read."""
    try:
        lines = cpuinfo.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        name, _, value = line.partition(":")
        if name.strip() == "model name" and value.strip():
            return value.strip()
    return None


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def write(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


def show(console: Console, results: dict[str, Any]) -> None:
    """The figures side by side with the goals and the relay, then the profile's top. Sections
    the run skipped leave no row."""
    for table in (_throughput(results), _latency(results), _cpu(results)):
        if table.row_count:
            console.print(table)
    profile = results.get("profile")
    if profile:
        console.print(_packages(profile))
        console.print(_hotspots(profile))
        console.print(_project(profile))
    box = results["machine"]
    console.print(
        f"[dim]{box['cpu_count']} CPUs ({box.get('cpu_model') or 'model unknown'}), "
        f"Python {box['python']}, {box['platform']}; load average at start "
        f"{box['load_average_at_start']}, at the end {box.get('load_average_at_end')}[/dim]"
    )


STORES = {
    "postgres": "PostgreSQL, 1 replica",
    "postgres_2_replicas": "PostgreSQL, 2 replicas",
}
"""The store configurations of ``bench.stores`` and how the tables name them."""


def _ingestions(results: dict[str, Any]) -> list[tuple[str, dict[str, Any], float | None]]:
    """Every end-to-end run: its name, figures and goal (the goals are SQLite's)."""
    runs: list[tuple[str, dict[str, Any], float | None]] = []
    gateway = results.get("gateway")
    if gateway:
        runs += [(f"SQLite {mode}", gateway[mode], GOALS[mode]) for mode in ("single", "batch")]
    stores = results.get("stores") or {}
    for name, label in STORES.items():
        if name in stores:
            runs += [
                (f"{label}, {mode}", stores[name][mode], None)
                for mode in ("single", "batch")
                if mode in stores[name]
            ]
    return runs


def _throughput(results: dict[str, Any]) -> Table:
    table = Table(
        title="Throughput end to end, beside a naive relay",
        caption="gateway: first request until /v1/status shows every portal event delivered",
    )
    for column in ("run", "items", "conc.", "seconds", "per second", "goal"):
        table.add_column(column, justify="left" if column == "run" else "right")
    for name, run, goal in _ingestions(results):
        verdict = ""
        if goal is not None:
            met = run["events_per_second"] >= goal
            verdict = f"≥ {goal:,.0f} " + ("[green]met[/green]" if met else "[red]missed[/red]")
        table.add_row(
            f"{name}: events delivered",
            f"{run['events']:,}",
            str(run["concurrency"]),
            f"{run['delivered_seconds']:.2f}",
            f"{run['events_per_second']:,.0f}",
            verdict,
        )
        table.add_row(
            "  dossiers accepted (202)",
            f"{run['dossiers']:,}",
            str(run["concurrency"]),
            f"{run['accept_seconds']:.2f}",
            f"{run['accepted_dossiers_per_second']:,.0f}",
            "",
        )
    if "relay" in results:
        relay = results["relay"]["concurrent"]
        table.add_row(
            "relay → sink: requests",
            f"{relay['requests']:,}",
            str(relay["concurrency"]),
            f"{relay['seconds']:.2f}",
            f"{relay['requests_per_second']:,.0f}",
            "reference",
        )
    return table


def _latency(results: dict[str, Any]) -> Table:
    table = Table(title="Latency of one request (ms)")
    for column in ("request", "conc.", "count", "p50", "p99", "max"):
        table.add_column(column, justify="left" if column == "request" else "right")
    rows: list[tuple[str, dict[str, Any]]] = []
    if "gateway" in results:
        gateway = results["gateway"]
        rows += [
            ("gateway POST /v1/dossiers", gateway["single"]),
            ("gateway POST /v1/dossiers", gateway["single_concurrency_1"]),
            ("gateway POST /v1/dossiers:batch", gateway["batch"]),
        ]
    for name, label in STORES.items():
        if "single" in results.get("stores", {}).get(name, {}):
            rows.append((f"{label}: POST /v1/dossiers", results["stores"][name]["single"]))
    if "relay" in results:
        rows += [
            ("relay POST /relay", results["relay"]["concurrent"]),
            ("relay POST /relay", results["relay"]["concurrency_1"]),
        ]
    for name, run in rows:
        latency = Latency(**run["latency"])
        table.add_row(
            name,
            str(run["concurrency"]),
            f"{latency.count:,}",
            f"{latency.p50_ms:,.1f}",
            f"{latency.p99_ms:,.1f}",
            f"{latency.max_ms:,.1f}",
        )
    return table


def _hotspots(profile: dict[str, Any]) -> Table:
    table = Table(
        title=f"Gateway profile ({profile['dossiers']:,} dossiers): heaviest by own time",
        caption=(
            f"share of {profile['serving_seconds']:.1f} s serving "
            f"({profile['cpu_seconds']:.1f} s CPU in {profile['duration_seconds']:.1f} s); "
            f"call tree in {profile['report']}"
        ),
    )
    for column in ("seconds", "share", "function", "where"):
        table.add_column(column, justify="right" if column in ("seconds", "share") else "left")
    for spot in profile["own_time"]:
        table.add_row(
            f"{spot['seconds']:.3f}", f"{spot['share']:.1%}", spot["function"], spot["location"]
        )
    return table


def _packages(profile: dict[str, Any], limit: int = 12) -> Table:
    table = Table(title="Gateway profile: own time by package (built-ins count for their caller)")
    table.add_column("seconds", justify="right")
    table.add_column("share", justify="right")
    table.add_column("package")
    for spot in profile["packages"][:limit]:
        table.add_row(f"{spot['seconds']:.3f}", f"{spot['share']:.1%}", spot["function"])
    return table


def _cpu(results: dict[str, Any]) -> Table:
    table = Table(
        title="CPU milliseconds per item, by process",
        caption=(
            "all processes share the machine's cores; the gateway's event loop thread is part "
            "of the gateway's figure"
        ),
    )
    parts = {
        "gateway": "gateway",
        "gateway event loop thread": "its loop",
        "national mocks": "mocks",
        "postgresql": "postgres",
        "relay": "relay",
        "sink": "sink",
        "load client": "client",
    }
    table.add_column("run")
    for label in parts.values():
        table.add_column(label, justify="right")
    rows = [(name, run["cpu_ms_per_dossier"]) for name, run, _goal in _ingestions(results)]
    if "gateway" in results:
        serial = results["gateway"]["single_concurrency_1"]
        rows.append(("SQLite single, conc. 1", serial["cpu_ms_per_dossier"]))
    if "relay" in results:
        relay = results["relay"]
        rows += [
            ("relay", relay["concurrent"]["cpu_ms_per_request"]),
            ("relay, conc. 1", relay["concurrency_1"]["cpu_ms_per_request"]),
        ]
    for name, used in rows:
        table.add_row(name, *(_ms(used.get(part)) for part in parts))
    return table


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _project(profile: dict[str, Any], limit: int = 15) -> Table:
    table = Table(title="Gateway profile: the project's functions, time inside them")
    for column in ("seconds", "share", "function", "where"):
        table.add_column(column, justify="right" if column in ("seconds", "share") else "left")
    for spot in profile["project_inclusive"][:limit]:
        table.add_row(
            f"{spot['seconds']:.3f}", f"{spot['share']:.1%}", spot["function"], spot["location"]
        )
    return table


def stamp() -> dict[str, Any]:
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, "-m", "bench", *sys.argv[1:]]),
        "machine": machine(),
        "goals_events_per_second": GOALS,
    }
