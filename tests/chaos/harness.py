"""The chaos suite's moving parts: the national mocks and the gateway replicas as real processes,
the faults the portal mock injects, and the schedule that kills a replica under load.

Everything runs for real on loopback: ``lienthong mocks`` in a child process of its own (so the
mock does not share an interpreter with the load client), each replica a ``lienthong serve``
process killed with SIGKILL and started again on the same port and the same database. Times are
wall-clock seconds since the epoch on both sides, so a kill recorded here lines up with the
``received_at`` / ``finished_at`` of the mock's journal."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.servers import free_port, gateway_client, gateway_get

JOURNAL_CAPACITY = 200_000
"""Entries the portal mock's journal keeps: far more than a run makes, so none is forgotten."""

REPLICA_NICENESS = 5
"""Replicas run at a lower CPU priority than the mocks: the national side stands for other
machines, and starved of CPU by the system under test it would take requests up late, after
the gateway stopped waiting for them, which a real portal on its own hardware rarely does."""

START_DEADLINE = 120.0
"""Seconds a process may take to answer after it was started (a deadline, not a measure)."""

HOSTNAME = socket.gethostname()


def replica_env(
    database_url: str, portal_url: str, keys_dir: Path, *, max_backlog: int
) -> dict[str, str]:
    """``LIENTHONG_`` settings of every replica: short time-outs and backoff, so that hangs,
    resets and kills resolve in seconds.

    Three seconds per portal call is short enough for hangs to cost little and long enough that
    the mock, busy on a small machine, takes up every request before its sender gives up on it.

    A worker beats its leases every third of the lease while it delivers, so a live replica
    keeps its rows however slow the portal is, and a killed replica's rows come back to the
    others ten seconds after its last beat. Small claims (25 rows) make many portal calls, so
    the faults strike often; the portal batch is as large as a claim, so one claim is one call
    per service (and a second for dossiers the portal already holds, resent as updates). Six
    delivery loops per process keep the portal busy while some of them wait out a time-out.
    ``max_backlog`` makes intake push back (503, Retry-After) when delivery falls behind.
    """
    return {
        "LIENTHONG_DATABASE_URL": database_url,
        "LIENTHONG_NATIONAL_PORTAL_URL": portal_url,
        "LIENTHONG_NATIONAL_PORTAL_TIMEOUT": "3.0",
        "LIENTHONG_NATIONAL_PORTAL_RETRIES": "3",
        "LIENTHONG_NATIONAL_PORTAL_BATCH_SIZE": "25",
        "LIENTHONG_WORKER_BATCH_SIZE": "25",
        "LIENTHONG_WORKER_CONCURRENCY": "6",
        "LIENTHONG_WORKER_LEASE_SECONDS": "10",
        "LIENTHONG_WORKER_POLL_INTERVAL": "0.2",
        "LIENTHONG_RETRY_BASE_SECONDS": "0.2",
        "LIENTHONG_RETRY_MAX_SECONDS": "2",
        "LIENTHONG_MAX_BACKLOG": str(max_backlog),
        "LIENTHONG_DOCUMENT_POLLER_ENABLED": "false",
        "LIENTHONG_KEYS_DIR": str(keys_dir),
        "LIENTHONG_LOG_LEVEL": "WARNING",
    }


class MocksProcess:
    """``lienthong mocks`` in a child process on a free loopback port."""

    def __init__(self, log: Path, *, journal_capacity: int = JOURNAL_CAPACITY) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.portal = f"{self.url}/national-portal"
        self.portal_admin = f"{self.portal}/__admin"
        self._log = log
        self._capacity = journal_capacity
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> MocksProcess:
        command = [sys.executable, "-m", "gateway", "mocks", "--port", str(self.port)]
        command += ["--journal-capacity", str(self._capacity)]
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        _wait_ready(f"{self.url}/", self._process, self._log, what="the mocks")
        return self

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


@dataclass(frozen=True, slots=True)
class Kill:
    """One SIGKILL: which process, when (epoch seconds), how many events were pending and
    delivered then, and how long until the replica answered again."""

    replica: str
    pid: int
    at: float
    pending: int
    delivered: int
    down_seconds: float = 0.0

    @property
    def identity(self) -> str:
        """The process as its ``X-Lienthong-Replica`` header names it."""
        return f"{HOSTNAME}:{self.pid}"


@dataclass(slots=True)
class Replica:
    """One gateway replica: a ``lienthong serve`` process that may be killed and started again
    on the same port and database; ``pids`` lists every process it has been.

    Like ``tests.e2e.servers.GatewayProcess``, with a start deadline of ``START_DEADLINE``: on a
    busy machine a fresh interpreter takes a while to import the gateway.
    """

    name: str
    env: Mapping[str, str]
    log: Path
    port: int = field(default_factory=free_port)
    pids: list[int] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Replica:
        env = {**os.environ, **self.env, "LIENTHONG_PORT": str(self.port)}
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gateway", "serve"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.pids.append(self.process.pid)
        os.setpriority(os.PRIO_PROCESS, self.process.pid, REPLICA_NICENESS)
        _wait_ready(f"{self.url}/readyz", self.process, self.log, what=self.name)
        return self

    def kill(self) -> int:
        """SIGKILL, as a crash or an OOM kill would do: no shutdown, no cleanup; the pid."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        return self.process.pid

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path, *, what: str) -> None:
    deadline = time.monotonic() + START_DEADLINE
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited at start: {log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} was not ready in {START_DEADLINE:.0f} s: {log.read_text()[-2000:]}")


def portal_counts(url: str) -> dict[str, Any]:
    """The national portal's line of ``GET /v1/status`` at the replica ``url``."""
    reply = gateway_get(url, "/v1/status")
    reply.raise_for_status()
    counts: dict[str, Any] = reply.json()["targets"].get("national_portal", {})
    return counts


class KillSchedule:
    """Kills ``victim`` with SIGKILL each time the load passes one of ``at`` (fractions of its
    requests answered), and starts it again ``down_for`` seconds later.

    ``witness`` is the replica whose ``/v1/status`` records what was pending at each kill (the
    victim itself when it is alone: the status is read just before the kill).
    """

    def __init__(
        self,
        victim: Replica,
        witness: Replica,
        at: Sequence[float],
        *,
        down_for: float = 1.5,
    ) -> None:
        self.victim = victim
        self.witness = witness
        self._thresholds = sorted(at)
        self._down_for = down_for
        self._tasks: list[asyncio.Task[None]] = []
        self._busy = asyncio.Lock()
        self.kills: list[Kill] = []

    def on_progress(self, fraction: float) -> None:
        if self._thresholds and fraction >= self._thresholds[0]:
            self._thresholds.pop(0)
            self._tasks.append(asyncio.create_task(self._kill_and_restart()))

    async def finish(self) -> list[Kill]:
        """Wait for every kill and restart under way; the kills done."""
        await asyncio.gather(*self._tasks)
        if self._thresholds:
            raise AssertionError(f"the load ended before the kills planned at {self._thresholds}")
        return self.kills

    async def _kill_and_restart(self) -> None:
        async with self._busy:
            counts = await asyncio.to_thread(portal_counts, self.witness.url)
            at = time.time()
            pid = await asyncio.to_thread(self.victim.kill)
            await asyncio.sleep(self._down_for)
            await asyncio.to_thread(self.victim.start)
            pending, delivered = int(counts["pending"]), int(counts["delivered"])
            down = round(time.time() - at, 1)
            self.kills.append(Kill(self.victim.name, pid, at, pending, delivered, down))


def install_portal_faults(admin: str, seed: int, faults: Sequence[Mapping[str, Any]]) -> None:
    """A fresh portal mock (state, journal), its dice seeded, and ``faults`` registered."""
    with httpx.Client(base_url=admin, timeout=10) as client:
        client.post("/reset", json={"seed": seed}).raise_for_status()
        for fault in faults:
            reply = client.post("/faults", json=dict(fault))
            assert reply.status_code == 201, f"fault {fault} refused: {reply.text}"


def read_portal(admin: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The portal mock's whole journal and its faults with how often each fired."""
    with httpx.Client(base_url=admin, timeout=120) as client:
        journal = client.get("/journal", params={"limit": JOURNAL_CAPACITY}).json()["entries"]
        faults = client.get("/faults").json()["faults"]
    return journal, faults


def portal_dossiers(admin: str, codes: Sequence[str]) -> dict[str, dict[str, Any] | None]:
    """What the portal mock holds of each dossier (``None`` for one it never received)."""
    held: dict[str, dict[str, Any] | None] = {}
    with httpx.Client(base_url=admin, timeout=30) as client:
        for code in codes:
            reply = client.get(f"/dossiers/{code}")
            held[code] = reply.json() if reply.status_code == 200 else None
    return held


def still_pending(url: str, codes: Sequence[str], limit: int = 10) -> list[dict[str, Any]]:
    """The gateway's sync state of the first ``limit`` dossiers with events not yet delivered."""
    found: list[dict[str, Any]] = []
    with gateway_client(url) as client:
        for code in codes:
            reply = client.get(f"/v1/dossiers/{code}")
            if reply.status_code != 200:
                found.append({"code": code, "gateway": f"HTTP {reply.status_code}"})
            else:
                sync = [s for s in reply.json()["sync"] if s["pending"] or s["dead"]]
                if sync:
                    found.append({"code": code, "sync": sync})
            if len(found) >= limit:
                break
    return found


def wait_drained(replicas: Sequence[Replica], codes: Sequence[str], *, deadline: float) -> None:
    """Wait until ``/v1/status`` shows nothing pending for the portal; past ``deadline`` seconds,
    fail naming the dossiers still waiting and why (a deadline, not a measure of speed)."""
    give_up = time.monotonic() + deadline
    counts: dict[str, Any] = {}
    url = replicas[0].url
    while time.monotonic() < give_up:
        for replica in replicas:
            try:
                counts = portal_counts(replica.url)
                url = replica.url
                break
            except httpx.HTTPError:
                continue
        if counts.get("accepted") and counts.get("pending") == 0:
            return
        time.sleep(1.0)
    raise AssertionError(
        f"events still pending after {deadline:.0f} s: {counts}; "
        f"for example: {still_pending(url, codes)}"
    )
