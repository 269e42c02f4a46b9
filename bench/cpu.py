"""CPU time each process of a run used, per item: what the throughput costs on this machine.

On a small machine the load generator, the mocks and the server under test share the cores, so
events per second alone can mislead; CPU milliseconds per dossier say what each part costs and
how far the same code would go with the cores to itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

CLIENT = "load client"

Clock = Callable[[], float | None]
"""CPU seconds used so far by one process or thread; None where it cannot be read."""


@dataclass(slots=True)
class CpuMeter:
    """Started before a run and read after it; the bench's own process counts as the client."""

    clocks: Mapping[str, Clock]
    _start: dict[str, float | None] = field(default_factory=dict)

    def start(self) -> None:
        self._start = self._now()

    def ms_per_item(self, items: int) -> dict[str, float | None]:
        end = self._now()
        used: dict[str, float | None] = {}
        for name, before in self._start.items():
            after = end.get(name)
            used[name] = (
                None
                if before is None or after is None
                else round((after - before) * 1000 / max(items, 1), 3)
            )
        return used

    def _now(self) -> dict[str, float | None]:
        readings = {name: clock() for name, clock in self.clocks.items()}
        readings[CLIENT] = time.process_time()
        return readings
