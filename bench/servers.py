"""Servers as child processes on loopback: started, awaited until ready, always stopped.

Each server writes its output to a log file; when one fails to start, the error quotes the end
of that log. ``stop()`` sends SIGINT first, the signal uvicorn (and a profiler wrapping it) shuts
down cleanly on, and kills only what does not stop in time.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

import httpx

HOST = "127.0.0.1"
STARTUP_SECONDS = 60.0
SHUTDOWN_SECONDS = 30.0
VENV_BIN = Path(sys.executable).parent
REPOSITORY = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


class ServerError(RuntimeError):
    """A server did not start or stopped on its own; the message quotes its log."""


def free_port() -> int:
    """A port nobody listens on now: the one the kernel gives to a socket bound to port 0."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def lienthong() -> str:
    """The ``lienthong`` command of the interpreter running the bench."""
    command = VENV_BIN / "lienthong"
    return str(command) if command.exists() else "lienthong"


class Server:
    """One command serving HTTP on ``port``, ready when ``ready_path`` answers 200.

    It runs in ``cwd`` (by default the folder of its log), so no ``.env`` of the checkout leaks
    into the measured configuration.
    """

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        *,
        port: int,
        log: Path,
        ready_path: str = "/",
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.port = port
        self.url = f"http://{HOST}:{port}"
        self._command = list(command)
        self._log = log
        self._ready_path = ready_path
        self._env = {**os.environ, **(env or {})}
        self._cwd = cwd or log.parent
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        with self._log.open("ab") as log:
            self._process = subprocess.Popen(
                self._command,
                env=self._env,
                cwd=self._cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerError(f"the {self.name} exited while starting:\n{self.log_tail()}")
            try:
                answer = httpx.get(f"{self.url}{self._ready_path}", timeout=1.0)
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise ServerError(
            f"the {self.name} was not ready within {STARTUP_SECONDS:.0f}s:\n{self.log_tail()}"
        )

    def check_alive(self) -> None:
        if self._process is None or self._process.poll() is not None:
            raise ServerError(f"the {self.name} stopped:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGINT, then SIGKILL after ``SHUTDOWN_SECONDS``; harmless when already stopped."""
        process = self._process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=SHUTDOWN_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=SHUTDOWN_SECONDS)

    @property
    def pid(self) -> int:
        """The server's process id; the server must have been started."""
        if self._process is None:
            raise ServerError(f"the {self.name} has not been started")
        return self._process.pid

    def cpu_seconds(self) -> float | None:
        """CPU time the server's process has used so far, all threads (Linux ``/proc``); None
        where that cannot be read."""
        if self._process is None:
            return None
        return _cpu_seconds(Path(f"/proc/{self._process.pid}/stat"))

    def main_thread_cpu_seconds(self) -> float | None:
        """CPU time of the process's main thread alone, where its event loop runs."""
        if self._process is None:
            return None
        pid = self._process.pid
        return _cpu_seconds(Path(f"/proc/{pid}/task/{pid}/stat"))

    def log_tail(self, characters: int = 3000) -> str:
        try:
            return self._log.read_text(errors="replace")[-characters:]
        except OSError:
            return "(no log)"


def process_tree_cpu_seconds(pid: int) -> float | None:
    """CPU time of ``pid`` and its children, living and ended: its own time, the time of the
    children it has reaped (``cutime``, ``cstime``) and that of those still running. Fits a
    server that forks a process per connection, as PostgreSQL does; None if ``pid`` is gone."""
    own = _stat_fields(Path(f"/proc/{pid}/stat"))
    if own is None:
        return None
    total = sum(int(field) for field in own[11:15])
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or entry.name == str(pid):
            continue
        fields = _stat_fields(entry / "stat")
        if fields is not None and fields[1] == str(pid):
            total += int(fields[11]) + int(fields[12])
    return total / CLOCK_TICKS


def _stat_fields(stat: Path) -> list[str] | None:
    """The fields of a ``/proc`` ``stat`` file after the command name (state first)."""
    try:
        return stat.read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _cpu_seconds(stat: Path) -> float | None:
    """User plus system time from a ``/proc`` ``stat`` file (fields 14 and 15)."""
    try:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    except (OSError, IndexError, ValueError):
        return None
