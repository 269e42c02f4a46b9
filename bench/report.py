"""What a bench run found: the table on the terminal and ``latest.json`` with every figure."""

from __future__ import annotations

import json
import os
import platform
import sys
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
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def write(path: Path, results: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


def show(console: Console, results: dict[str, Any]) -> None:
    """The figures side by side with the goals and the relay, then the profile's top."""
    console.print(_throughput(results))
    console.print(_latency(results))
    console.print(_cpu(results))
    profile = results.get("profile")
    if profile:
        console.print(_packages(profile))
        console.print(_hotspots(profile))
        console.print(_project(profile))
    box = results["machine"]
    console.print(
        f"[dim]{box['cpu_count']} CPUs, Python {box['python']}, {box['platform']}; "
        f"load average at start {box['load_average_at_start']}[/dim]"
    )


def _throughput(results: dict[str, Any]) -> Table:
    table = Table(
        title="Throughput on SQLite, end to end, beside a naive relay",
        caption="gateway: first request until /v1/status shows every portal event delivered",
    )
    for column in ("run", "items", "conc.", "seconds", "per second", "goal"):
        table.add_column(column, justify="left" if column == "run" else "right")
    gateway = results["gateway"]
    for mode in ("single", "batch"):
        run = gateway[mode]
        goal = GOALS[mode]
        verdict = "[green]met[/green]" if run["events_per_second"] >= goal else "[red]missed[/red]"
        table.add_row(
            f"gateway {mode}: events delivered",
            f"{run['events']:,}",
            str(run["concurrency"]),
            f"{run['delivered_seconds']:.2f}",
            f"{run['events_per_second']:,.0f}",
            f"≥ {goal:,.0f} {verdict}",
        )
        table.add_row(
            "  dossiers accepted (202)",
            f"{run['dossiers']:,}",
            str(run["concurrency"]),
            f"{run['accept_seconds']:.2f}",
            f"{run['accepted_dossiers_per_second']:,.0f}",
            "",
        )
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
    rows = [
        ("gateway POST /v1/dossiers", results["gateway"]["single"]),
        ("gateway POST /v1/dossiers", results["gateway"]["single_concurrency_1"]),
        ("gateway POST /v1/dossiers:batch", results["gateway"]["batch"]),
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
        "relay": "relay",
        "sink": "sink",
        "load client": "client",
    }
    table.add_column("run")
    for label in parts.values():
        table.add_column(label, justify="right")
    gateway, relay = results["gateway"], results["relay"]
    rows = [
        ("gateway single", gateway["single"]["cpu_ms_per_dossier"]),
        ("gateway batch", gateway["batch"]["cpu_ms_per_dossier"]),
        ("gateway single, conc. 1", gateway["single_concurrency_1"]["cpu_ms_per_dossier"]),
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
