"""``wrk``, the HTTP load generator written in C, driven from the bench and read back as JSON.

Comparing two servers' throughput needs a client that is not itself the bottleneck: the bench's
own Python client spends about a millisecond of CPU per request, which caps it near 1,000
requests/s a core, below what a plain stub server answers. wrk spends a few microseconds per
request on one thread, so the figure is the server's.

wrk comes from the distribution's packages (Debian's ``wrk``). When it is missing and the bench
runs as root, ``ensure()`` installs it with ``apt-get install -y wrk`` and says so; otherwise it
raises ``WrkUnavailable`` with the command to run.

Each run loads a small Lua script whose ``done`` hook prints one line of JSON (requests,
duration, errors, latency percentiles), so nothing depends on wrk's human-readable summary.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

MARKER = "WRK_JSON "
APT_SECONDS = 600.0

REPORT_SCRIPT = f"""\
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{MARKER}{{"requests":%d,"duration_us":%d,"bytes":%d,'
    .. '"connect_errors":%d,"read_errors":%d,"write_errors":%d,'
    .. '"status_errors":%d,"timeouts":%d,'
    .. '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}}\\n',
    summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""
"""wrk's ``done`` hook: the run's summary as one JSON line after ``MARKER``."""


class WrkUnavailable(RuntimeError):
    """wrk is not installed and could not be installed here; the message says how to."""


class WrkFailed(RuntimeError):
    """wrk ran but the run is not usable: it failed, or the server answered with errors."""


@dataclass(frozen=True, slots=True)
class Wrk:
    """The wrk binary found or installed, and whether this run installed it."""

    path: str
    installed_now: bool

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "installed_now": self.installed_now}


@dataclass(frozen=True, slots=True)
class Run:
    """What one wrk run measured. ``non_2xx`` counts replies with a status of 400 or more
    (wrk's ``status`` errors); socket errors and time-outs are counted apart."""

    requests: int
    seconds: float
    threads: int
    connections: int
    socket_errors: int
    non_2xx: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "requests_per_second": round(self.requests_per_second, 1)}


def ensure() -> Wrk:
    """wrk on ``PATH``, installed from the distribution's packages first if need be."""
    found = shutil.which("wrk")
    if found:
        return Wrk(found, installed_now=False)
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        raise WrkUnavailable(
            "wrk is not installed; install it (Debian, Ubuntu: sudo apt-get install -y wrk) "
            "and run the bench again"
        )
    install = [apt, "install", "-y", "--no-install-recommends", "wrk"]
    done = subprocess.run(install, capture_output=True, text=True, timeout=APT_SECONDS)
    if done.returncode != 0:  # an image without package lists: fetch them once, then again
        subprocess.run([apt, "update"], capture_output=True, text=True, timeout=APT_SECONDS)
        done = subprocess.run(install, capture_output=True, text=True, timeout=APT_SECONDS)
    found = shutil.which("wrk")
    if done.returncode != 0 or found is None:
        raise WrkUnavailable(f"apt-get install wrk failed: {(done.stderr or done.stdout)[-1000:]}")
    return Wrk(found, installed_now=True)


def run(
    wrk: Wrk,
    url: str,
    *,
    seconds: float,
    connections: int,
    threads: int = 1,
    headers: Mapping[str, str] | None = None,
    script: Path,
    requests: str = "",
    allow_errors: bool = False,
) -> Run:
    """``GET url`` for ``seconds`` over ``connections`` kept-alive connections, or the requests
    that the Lua code ``requests`` makes (its ``request`` hook, say, building a new body each
    time).

    ``script`` is where the Lua script is written (any writable path). Unless
    ``allow_errors``, a run with a socket error or a reply of 400 or more raises ``WrkFailed``:
    a server answering errors fast must not pass for a fast server.
    """
    script.write_text(requests + REPORT_SCRIPT)
    command = [
        wrk.path,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(round(seconds), 1)}s",
        "--timeout=10s",
        f"--script={script}",
    ]
    for name, value in (headers or {}).items():
        command += ["--header", f"{name}: {value}"]
    command.append(url)
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60.0, check=False
    )
    if done.returncode != 0:
        raise WrkFailed(f"wrk exited with {done.returncode}: {done.stderr[-1000:]}")
    result = parse(done.stdout, threads=threads, connections=connections)
    if not allow_errors and (result.socket_errors or result.non_2xx):
        raise WrkFailed(
            f"{url}: {result.non_2xx} error replies and {result.socket_errors} socket "
            f"errors in {result.requests} requests; wrk said:\n{done.stdout[-1500:]}"
        )
    return result


def parse(output: str, *, threads: int, connections: int) -> Run:
    """The ``Run`` in wrk's output, from the line the reporting script printed."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            figures = json.loads(line[len(MARKER) :])
            break
    else:
        raise WrkFailed(f"wrk printed no summary line ({MARKER.strip()}):\n{output[-1500:]}")
    return Run(
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        threads=threads,
        connections=connections,
        socket_errors=sum(
            figures[name] for name in ("connect_errors", "read_errors", "write_errors", "timeouts")
        ),
        non_2xx=figures["status_errors"],
        p50_ms=figures["p50_us"] / 1000,
        p90_ms=figures["p90_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        max_ms=figures["max_us"] / 1000,
        mean_ms=round(figures["mean_us"] / 1000, 3),
    )
