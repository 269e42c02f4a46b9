"""Resident memory of a running process, read from ``/proc/PID/status`` and sampled over time.

``VmRSS`` is what the process holds in RAM now; ``VmHWM`` (high-water mark) is the most it ever
held, kept by the kernel, so a peak between two samples is never missed. A ``Sampler`` reads both
on a thread at a fixed interval while a phase of a run goes on, and says per phase the lowest,
highest and last resident size it saw, and the high-water mark at the phase's end.

Linux only, like the rest of the bench's process figures; elsewhere the readings are None.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

KIB = 1024
MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Reading:
    """One look at a process: seconds since sampling began, resident and peak bytes."""

    at: float
    rss_bytes: int
    hwm_bytes: int


def read(pid: int) -> Reading | None:
    """``VmRSS`` and ``VmHWM`` of ``pid`` now; None when the process is gone or not readable."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    fields: dict[str, int] = {}
    for line in lines:
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) * KIB
    if len(fields) != 2:
        return None
    return Reading(at=0.0, rss_bytes=fields["VmRSS"], hwm_bytes=fields["VmHWM"])


@dataclass(slots=True)
class Phase:
    """The readings taken while one phase of a run lasted."""

    name: str
    readings: list[Reading] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        if not self.readings:
            return {"phase": self.name, "samples": 0}
        rss = [r.rss_bytes for r in self.readings]
        return {
            "phase": self.name,
            "samples": len(rss),
            "seconds": round(self.readings[-1].at - self.readings[0].at, 2),
            "rss_min_mb": _mb(min(rss)),
            "rss_max_mb": _mb(max(rss)),
            "rss_last_mb": _mb(rss[-1]),
            "hwm_mb": _mb(self.readings[-1].hwm_bytes),
        }


class Sampler:
    """Samples ``pid`` every ``interval`` seconds on a thread, into the current phase.

    Use as a context manager; ``phase(name)`` starts a new phase. Readings stop when the process
    is gone (the last one taken stands).
    """

    def __init__(self, pid: int, *, interval: float = 0.25) -> None:
        self.pid = pid
        self.interval = interval
        self.phases: list[Phase] = []
        self._began = time.monotonic()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="memory-sampler", daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def phase(self, name: str) -> None:
        """From now on readings count for ``name``; the first is taken at once."""
        with self._lock:
            self.phases.append(Phase(name))
        self._sample()

    def peak_bytes(self) -> int:
        """The process's high-water mark at the last reading (0 before any)."""
        with self._lock:
            return max((r.hwm_bytes for phase in self.phases for r in phase.readings), default=0)

    def as_json(self) -> list[dict[str, Any]]:
        with self._lock:
            return [phase.as_json() for phase in self.phases]

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        reading = read(self.pid)
        if reading is None:
            return
        stamped = Reading(time.monotonic() - self._began, reading.rss_bytes, reading.hwm_bytes)
        with self._lock:
            if self.phases:
                self.phases[-1].readings.append(stamped)


def _mb(size: int) -> float:
    return round(size / MIB, 1)
