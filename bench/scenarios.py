"""The measured runs: the gateway end to end (single and batch ingestion) and the naive relay.

A gateway run times from the first request until ``GET /v1/status`` shows every event accepted
for the National Public Service Portal delivered there, so the figure covers validation, the
durable store, the worker and the portal mock's replies. Each run gets a fresh gateway process
with its own SQLite file, against a portal mock reset beforehand.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench import dossiers, load
from bench.cpu import Clock, CpuMeter
from bench.latency import Latency
from bench.servers import REPOSITORY, Server, free_port, lienthong

TARGET = "national_portal"
PORTAL_PATH = "/national-portal"
BATCH_SIZE = 1000
STATUS_POLL_SECONDS = 0.05
SEND_DEADLINE_SECONDS = 900.0
DELIVERY_DEADLINE_SECONDS = 900.0


class DeliveryError(RuntimeError):
    """The gateway did not deliver what it accepted, or let events die."""


@dataclass(frozen=True, slots=True)
class Workspace:
    """Where the runs of one bench keep their databases and server logs."""

    root: Path

    def path(self, name: str) -> Path:
        return self.root / name


@dataclass(frozen=True, slots=True)
class IngestionResult:
    mode: str
    dossiers: int
    requests: int
    concurrency: int
    events: int
    accept_seconds: float
    delivered_seconds: float
    latency: Latency
    cpu_ms_per_dossier: dict[str, float | None] = field(default_factory=dict)
    portal: dict[str, Any] = field(default_factory=dict)

    @property
    def events_per_second(self) -> float:
        return self.events / self.delivered_seconds

    @property
    def accepted_per_second(self) -> float:
        return self.dossiers / self.accept_seconds

    def as_json(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "dossiers": self.dossiers,
            "requests": self.requests,
            "concurrency": self.concurrency,
            "events": self.events,
            "accept_seconds": round(self.accept_seconds, 3),
            "delivered_seconds": round(self.delivered_seconds, 3),
            "events_per_second": round(self.events_per_second, 1),
            "accepted_dossiers_per_second": round(self.accepted_per_second, 1),
            "latency": self.latency.as_json(),
            "cpu_ms_per_dossier": self.cpu_ms_per_dossier,
            "portal_mock": self.portal,
        }


@dataclass(frozen=True, slots=True)
class RelayResult:
    requests: int
    concurrency: int
    seconds: float
    latency: Latency
    cpu_ms_per_request: dict[str, float | None] = field(default_factory=dict)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds

    def as_json(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "concurrency": self.concurrency,
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(self.requests_per_second, 1),
            "latency": self.latency.as_json(),
            "cpu_ms_per_request": self.cpu_ms_per_request,
        }


def mocks(workspace: Workspace) -> Server:
    """``lienthong mocks``: every national mock on one port."""
    port = free_port()
    return Server(
        "national mocks",
        [lienthong(), "mocks", "--port", str(port)],
        port=port,
        log=workspace.path("mocks.log"),
    )


def gateway(
    workspace: Workspace,
    name: str,
    mocks_url: str,
    *,
    profile: Path | None = None,
    database_url: str | None = None,
) -> Server:
    """``lienthong serve`` on a fresh SQLite file, or on ``database_url`` when given; under
    pyinstrument when ``profile`` is given (a pyinstrument session file, written when the
    gateway stops on SIGINT)."""
    port = free_port()
    if profile is None:
        command = [lienthong(), "serve"]
    else:
        command = [sys.executable, "-m", "pyinstrument", "-r", "session", "-o", str(profile)]
        command += ["-m", "gateway", "serve"]
    return Server(
        f"gateway ({name})",
        command,
        port=port,
        log=workspace.path(f"gateway-{name}.log"),
        ready_path="/readyz",
        env={
            "LIENTHONG_DATABASE_URL": database_url
            or f"sqlite+aiosqlite:///{workspace.path(f'{name}.db')}",
            "LIENTHONG_PORT": str(port),
            "LIENTHONG_NATIONAL_PORTAL_URL": f"{mocks_url}{PORTAL_PATH}",
            "LIENTHONG_LOG_LEVEL": "WARNING",
        },
    )


def ingest(
    server: Server | Sequence[Server],
    mocks: Server,
    *,
    mode: str,
    count: int,
    concurrency: int,
    first_sequence: int = 1,
    clocks: Mapping[str, Clock] | None = None,
) -> IngestionResult:
    """Push ``count`` distinct dossiers (``mode`` ``single`` or ``batch``) and wait for delivery.

    Given several servers (replicas on one database), the load is split evenly across them and
    their CPU time is summed. ``clocks`` adds other processes' CPU to the figures (a database
    server, say)."""
    servers = [server] if isinstance(server, Server) else list(server)
    numbers = dossiers.sequences(first_sequence, count)
    if mode == "single":
        bodies, path = dossiers.single_bodies(numbers), "/v1/dossiers"
    else:
        bodies, path = dossiers.batch_bodies(numbers, BATCH_SIZE), "/v1/dossiers:batch"
    return asyncio.run(
        _ingest(
            servers,
            mocks,
            mode,
            path,
            bodies,
            count=count,
            concurrency=concurrency,
            clocks=clocks or {},
        )
    )


async def _ingest(
    servers: Sequence[Server],
    mocks: Server,
    mode: str,
    path: str,
    bodies: list[bytes],
    *,
    count: int,
    concurrency: int,
    clocks: Mapping[str, Clock],
) -> IngestionResult:
    cpu = CpuMeter(
        {
            "gateway": _summed([s.cpu_seconds for s in servers]),
            "gateway event loop thread": _summed([s.main_thread_cpu_seconds for s in servers]),
            "national mocks": mocks.cpu_seconds,
            **clocks,
        }
    )
    async with load.client() as http:
        await _reset_portal(http, mocks.url)
        cpu.start()
        sent = await load.send(
            [f"{server.url}{path}" for server in servers],
            bodies,
            concurrency=concurrency,
            expect=202,
            deadline_seconds=SEND_DEADLINE_SECONDS,
        )
        events, delivered_at = await _delivered(http, servers, count)
        cpu_ms = cpu.ms_per_item(count)
        portal = await _portal_state(http, mocks.url)
    return IngestionResult(
        mode=mode,
        dossiers=count,
        requests=len(bodies),
        concurrency=concurrency,
        events=events,
        accept_seconds=sent.seconds,
        delivered_seconds=delivered_at - sent.started,
        latency=Latency.of(sent.latencies),
        cpu_ms_per_dossier=cpu_ms,
        portal=portal,
    )


async def _delivered(
    http: httpx.AsyncClient, servers: Sequence[Server], expected: int
) -> tuple[int, float]:
    """Poll ``/v1/status`` until every accepted portal event is delivered; the count and when.
    Replicas share one store, so the first one's status stands for all."""
    deadline = time.monotonic() + DELIVERY_DEADLINE_SECONDS
    seen: dict[str, Any] = {}
    while time.monotonic() < deadline:
        reply = await http.get(f"{servers[0].url}/v1/status")
        reply.raise_for_status()
        seen = reply.json()["targets"].get(TARGET, {})
        accepted, delivered = seen.get("accepted", 0), seen.get("delivered", 0)
        if seen.get("dead"):
            raise DeliveryError(f"{seen['dead']} events to {TARGET} are dead: {seen}")
        if accepted >= expected and delivered == accepted:
            return accepted, time.perf_counter()
        for server in servers:
            server.check_alive()
        await asyncio.sleep(STATUS_POLL_SECONDS)
    raise DeliveryError(
        f"events to {TARGET} not all delivered within {DELIVERY_DEADLINE_SECONDS:.0f}s: {seen}"
    )


def _summed(clocks: Sequence[Clock]) -> Clock:
    """One clock reading the sum of several processes' clocks (None if any cannot be read)."""

    def total() -> float | None:
        readings = [clock() for clock in clocks]
        return None if any(r is None for r in readings) else sum(r or 0.0 for r in readings)

    return total


async def _reset_portal(http: httpx.AsyncClient, mocks_url: str) -> None:
    reply = await http.post(f"{mocks_url}{PORTAL_PATH}/__admin/reset")
    reply.raise_for_status()


async def _portal_state(http: httpx.AsyncClient, mocks_url: str) -> dict[str, Any]:
    """What the portal mock holds after a run (dossiers, writes), as a check on the figures."""
    reply = await http.get(f"{mocks_url}{PORTAL_PATH}/__admin/state")
    reply.raise_for_status()
    state: dict[str, Any] = reply.json()
    return {k: v for k, v in state.items() if isinstance(v, int | float)}


def relay_servers(workspace: Workspace) -> tuple[Server, Server]:
    """The sink and the relay in front of it, each its own process; start the sink first."""
    sink_port, relay_port = free_port(), free_port()
    module = [sys.executable, "-m", "bench.relay"]
    importable = {"PYTHONPATH": str(REPOSITORY)}
    sink = Server(
        "relay sink",
        [*module, "sink", "--port", str(sink_port)],
        port=sink_port,
        log=workspace.path("sink.log"),
        env=importable,
    )
    relay = Server(
        "relay",
        [*module, "relay", "--port", str(relay_port), "--sink", sink.url],
        port=relay_port,
        log=workspace.path("relay.log"),
        env=importable,
    )
    return sink, relay


def drive_relay(relay: Server, sink: Server, *, count: int, concurrency: int) -> RelayResult:
    """``count`` dossiers through ``POST /relay``; done when the last reply is in."""
    bodies = dossiers.single_bodies(dossiers.sequences(1, count))
    return asyncio.run(_drive_relay(relay, sink, bodies, concurrency))


async def _drive_relay(
    relay: Server, sink: Server, bodies: list[bytes], concurrency: int
) -> RelayResult:
    cpu = CpuMeter({"relay": relay.cpu_seconds, "sink": sink.cpu_seconds})
    cpu.start()
    sent = await load.send(
        f"{relay.url}/relay",
        bodies,
        concurrency=concurrency,
        expect=200,
        deadline_seconds=SEND_DEADLINE_SECONDS,
    )
    return RelayResult(
        requests=len(bodies),
        concurrency=concurrency,
        seconds=sent.seconds,
        latency=Latency.of(sent.latencies),
        cpu_ms_per_request=cpu.ms_per_item(len(bodies)),
    )
