"""Intake under wrk: the gateway beside its two references, in one run, as ratios.

Every server here takes ``POST /v1/dossiers`` (one dossier) and ``POST /v1/dossiers:batch``
(1,000) and is driven the same way: wrk, one thread, for a fixed time, with a Lua ``request``
hook that gives every dossier a code no other request of the run has (the bench's template
dossier, ``bench.dossiers``). Single requests go over 32 connections, batches over 4.

The servers, each a fresh process:

- ``plain``: validation and 202 (``bench.references``), the stack's ceiling;
- ``durable``: validation, ``INSERT`` and ``COMMIT`` per request into SQLite (WAL,
  ``synchronous=FULL``), what naive durability costs;
- ``gateway``: ``lienthong serve`` on a fresh SQLite file (``synchronous=FULL``), its delivery
  worker sending to the portal mock. Its run is timed twice: accepted (wrk's own rate) and end to
  end, from wrk's start until ``GET /v1/status`` shows every accepted portal event delivered.

Each run records the CPU time of every process (the server's and the mocks' from ``/proc``, wrk's
from the kernel's accounting of the children the bench waited for), per dossier.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from bench import dossiers, wrk
from bench.cpu import Clock
from bench.scenarios import PORTAL_PATH, TARGET, DeliveryError, Workspace
from bench.servers import REPOSITORY, Server, free_port, lienthong

BATCH_SIZE = 1000
SINGLE_CONNECTIONS = 32
BATCH_CONNECTIONS = 4
DELIVERY_DEADLINE_SECONDS = 600.0
STATUS_POLL_SECONDS = 0.1
SEQUENCES_PER_RUN = 10**8
"""Dossier codes of one run are ``first`` to ``first + SEQUENCES_PER_RUN``; runs do not overlap."""
DEMO_CLIENT = ("demo", "demo-secret")

GOALS = {"single": 3000.0, "batch": 15000.0}
"""End-to-end dossiers per second the gateway should reach on SQLite, by mode."""
GOAL_OVER_DURABLE = 1.5
"""Single requests end to end, over the naive durable service: group commit should cost less
than a commit per request."""

SERVERS = ("plain", "durable", "gateway")
MODES = ("single", "batch")


@dataclass(frozen=True, slots=True)
class Plan:
    seconds: float = 15.0
    single_connections: int = SINGLE_CONNECTIONS
    batch_connections: int = BATCH_CONNECTIONS


def requests_script(*, first: int, batch: int | None) -> str:
    """wrk's Lua ``request`` hook: ``POST`` one dossier (or ``{"dossiers": [...]}`` of
    ``batch``), each with the next code from ``first`` on."""
    template = dossiers.encoded(dossiers.dossier(0)).decode()
    prefix, suffix = template.split(dossiers.code(0))
    unit_and_day = dossiers.code(0).rsplit("-", 1)[0]
    body = "prefix .. next_code() .. suffix" if batch is None else "batch_body()"
    return f"""\
local prefix = [==[{prefix}]==]
local suffix = [==[{suffix}]==]
local counter = {first - 1}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local function next_code()
  counter = counter + 1
  return string.format("{unit_and_day}-%05d", counter)
end

local function batch_body()
  local parts = {{}}
  for i = 1, {batch or 0} do
    parts[i] = prefix .. next_code() .. suffix
  end
  return '{{"dossiers":[' .. table.concat(parts, ",") .. ']}}'
end

request = function()
  return wrk.format(nil, nil, nil, {body})
end

"""


def measure(console: Console, workspace: Workspace, plan: Plan) -> dict[str, Any]:
    """Every server in both modes, one after another; the figures and their ratios."""
    tool = wrk.ensure()
    if tool.installed_now:
        console.print(f"[dim]installed wrk from the distribution's packages: {tool.path}[/dim]")
    runs: dict[str, dict[str, Any]] = {}
    first = 1
    for mode in MODES:
        for name in SERVERS:
            console.print(f"[bold]intake[/bold] {name}, {mode}: wrk for {plan.seconds:.0f} s")
            with _server(workspace, name, mode) as (server, mocks):
                runs[f"{name}_{mode}"] = _run(tool, workspace, server, mocks, mode, first, plan)
            first += SEQUENCES_PER_RUN
    return {
        "seconds": plan.seconds,
        "single_connections": plan.single_connections,
        "batch_connections": plan.batch_connections,
        "batch_size": BATCH_SIZE,
        "goals_events_per_second": GOALS,
        "goal_single_over_durable": GOAL_OVER_DURABLE,
        "runs": runs,
        "ratios": ratios(runs),
    }


def ratios(runs: dict[str, dict[str, Any]]) -> dict[str, float]:
    """The gateway's rates over each reference's, per mode: accepted and end to end."""
    found: dict[str, float] = {}
    for mode in MODES:
        gateway = runs.get(f"gateway_{mode}")
        if not gateway:
            continue
        for reference in ("plain", "durable"):
            other = runs.get(f"{reference}_{mode}")
            if not other or not other["dossiers_per_second"]:
                continue
            rate = other["dossiers_per_second"]
            found[f"{mode}_accepted_to_{reference}"] = round(
                gateway["dossiers_per_second"] / rate, 3
            )
            found[f"{mode}_end_to_end_to_{reference}"] = round(
                gateway["events_per_second"] / rate, 3
            )
    return found


@contextmanager
def _server(workspace: Workspace, name: str, mode: str) -> Iterator[tuple[Server, Server | None]]:
    """The server under test, started (with the national mocks for the gateway)."""
    if name != "gateway":
        port = free_port()
        command = [sys.executable, "-m", "bench.references", name, "--port", str(port)]
        if name == "durable":
            command += ["--database", str(workspace.path(f"durable-{mode}.db"))]
        reference = Server(
            f"{name} reference",
            command,
            port=port,
            log=workspace.path(f"reference-{name}-{mode}.log"),
            env={"PYTHONPATH": str(REPOSITORY)},
        )
        with reference:
            yield reference, None
        return
    mocks_port, port = free_port(), free_port()
    mocks = Server(
        "national mocks",
        [lienthong(), "mocks", "--port", str(mocks_port)],
        port=mocks_port,
        log=workspace.path(f"intake-mocks-{mode}.log"),
    )
    gateway = Server(
        "gateway",
        [lienthong(), "serve"],
        port=port,
        log=workspace.path(f"intake-gateway-{mode}.log"),
        ready_path="/readyz",
        env={
            "LIENTHONG_DATABASE_URL": f"sqlite+aiosqlite:///{workspace.path(f'intake-{mode}.db')}",
            "LIENTHONG_PORT": str(port),
            "LIENTHONG_NATIONAL_PORTAL_URL": f"{mocks.url}{PORTAL_PATH}",
            "LIENTHONG_LOG_LEVEL": "WARNING",
        },
    )
    with mocks, gateway:
        yield gateway, mocks


def _run(
    tool: wrk.Wrk,
    workspace: Workspace,
    server: Server,
    mocks: Server | None,
    mode: str,
    first: int,
    plan: Plan,
) -> dict[str, Any]:
    batch = BATCH_SIZE if mode == "batch" else None
    path = "/v1/dossiers:batch" if batch else "/v1/dossiers"
    headers = {}
    http = httpx.Client(base_url=server.url, timeout=60.0, trust_env=False)
    if mocks is not None:
        token = demo_token(http)
        headers["Authorization"] = f"Bearer {token}"
        http.headers["Authorization"] = f"Bearer {token}"
        http.post(f"{mocks.url}{PORTAL_PATH}/__admin/reset").raise_for_status()
    clocks: dict[str, Clock] = {"server": server.cpu_seconds}
    if mocks is not None:
        clocks["server event loop thread"] = server.main_thread_cpu_seconds
        clocks["national mocks"] = mocks.cpu_seconds
    before = {name: clock() for name, clock in clocks.items()}
    wrk_before = _children_cpu_seconds()
    started = time.perf_counter()
    run = wrk.run(
        tool,
        f"{server.url}{path}",
        seconds=plan.seconds,
        connections=plan.batch_connections if batch else plan.single_connections,
        headers=headers,
        script=workspace.path(f"intake-{mode}.lua"),
        requests=requests_script(first=first, batch=batch),
    )
    accepted_cpu = _used(clocks, before)
    wrk_seconds = _children_cpu_seconds() - wrk_before
    dossiers_sent = run.requests * (batch or 1)
    figures: dict[str, Any] = {
        "requests": run.requests,
        "dossiers": dossiers_sent,
        "seconds": round(run.seconds, 3),
        "dossiers_per_second": round(dossiers_sent / run.seconds, 1),
        "latency_ms": {"p50": run.p50_ms, "p90": run.p90_ms, "p99": run.p99_ms},
    }
    cpu = {name: _per(used, dossiers_sent) for name, used in accepted_cpu.items()}
    cpu["wrk"] = _per(wrk_seconds, dossiers_sent)
    if mocks is not None:
        events, delivered_at = wait_delivered(http, server, dossiers_sent)
        figures["events"] = events
        figures["delivered_seconds"] = round(delivered_at - started, 3)
        figures["events_per_second"] = round(events / (delivered_at - started), 1)
        figures["cpu_ms_per_dossier_accepted"] = cpu
        cpu = {name: _per(used, dossiers_sent) for name, used in _used(clocks, before).items()} | {
            "wrk": cpu["wrk"]
        }
    http.close()
    figures["cpu_ms_per_dossier"] = cpu
    return figures


def demo_token(http: httpx.Client) -> str:
    """A bearer token of the demo client from the gateway behind ``http``."""
    reply = http.post("/oauth/token", data={"grant_type": "client_credentials"}, auth=DEMO_CLIENT)
    reply.raise_for_status()
    token: str = reply.json()["access_token"]
    return token


def wait_delivered(
    http: httpx.Client, server: Server, expected: int, *, poll: float = STATUS_POLL_SECONDS
) -> tuple[int, float]:
    """Poll ``/v1/status`` every ``poll`` seconds until every accepted portal event is
    delivered; the count and when."""
    deadline = time.monotonic() + DELIVERY_DEADLINE_SECONDS
    seen: dict[str, Any] = {}
    while time.monotonic() < deadline:
        reply = http.get("/v1/status")
        reply.raise_for_status()
        seen = reply.json()["targets"].get(TARGET, {})
        accepted, delivered = seen.get("accepted", 0), seen.get("delivered", 0)
        if seen.get("dead"):
            raise DeliveryError(f"{seen['dead']} events to {TARGET} are dead: {seen}")
        if accepted >= expected and delivered == accepted:
            return accepted, time.perf_counter()
        server.check_alive()
        time.sleep(poll)
    raise DeliveryError(
        f"events to {TARGET} not all delivered within {DELIVERY_DEADLINE_SECONDS:.0f}s: {seen}"
    )


def _used(clocks: dict[str, Clock], before: dict[str, float | None]) -> dict[str, float | None]:
    used: dict[str, float | None] = {}
    for name, clock in clocks.items():
        now, then = clock(), before[name]
        used[name] = None if now is None or then is None else now - then
    return used


def _per(seconds: float | None, items: int) -> float | None:
    return None if seconds is None else round(seconds * 1000 / max(items, 1), 4)


def _children_cpu_seconds() -> float:
    """CPU time of the children the bench has waited for (wrk, once its run returns)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def show(console: Console, figures: dict[str, Any]) -> None:
    table = Table(title="Intake under wrk (per dossier)")
    for column in ("run", "dossiers/s", "end to end/s", "p50 ms", "CPU ms per dossier"):
        table.add_column(column)
    for name, run in figures["runs"].items():
        cpu = ", ".join(
            f"{process} {ms:.3f}" for process, ms in run["cpu_ms_per_dossier"].items() if ms
        )
        table.add_row(
            name,
            f"{run['dossiers_per_second']:,.0f}",
            f"{run['events_per_second']:,.0f}" if "events_per_second" in run else "",
            f"{run['latency_ms']['p50']:.1f}",
            cpu,
        )
    console.print(table)
    console.print("ratios: " + json.dumps(figures["ratios"]))
