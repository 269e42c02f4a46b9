"""A retry budget per national system, so that an outage cannot become a retry storm.

Retrying a failed call is cheap for one caller and ruinous for a system in trouble: when every
call fails, three attempts per call triple the load on a system that is already down, right when
it tries to come back. A budget caps the extra calls that retries may add, as a share of the
calls first made, the way Finagle's ``RetryBudget``, gRPC's retry throttling and Envoy's retry
budgets do:

- every call to the system deposits (``record_call``) when its first attempt starts;
- every retry withdraws (``try_retry``), and is allowed only while the retries of the last
  ``window`` seconds stay under ``ratio`` of the calls of the same window, plus
  ``min_per_second`` × ``window`` so that a system called rarely can still be retried.

With the defaults (20 %, 10 s, 1 a second) a gateway making 100 calls in 10 s may add up to
30 retries in that window; past that a failed call is not retried in the call but fails at once
with its ``TransientError``, and the delivery worker's stored backoff takes over. Counting is
in one-second slices of the window (Finagle's ``WindowedAdder``), so memory stays constant
however many calls are made. ``retries_refused`` counts the retries the budget refused, for the
gateway's metrics.

The clock is injectable (``time.monotonic`` by default); safe for concurrent calls on one event
loop (nothing here awaits).
"""

from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass

from adapters.breaker import Clock

SLICES = 10
"""How many slices the window is counted in: calls age out of the window a slice at a time."""


@dataclass(slots=True)
class _Slice:
    index: int
    calls: int = 0
    retries: int = 0


class RetryBudget:
    """The retries one national system may still take, shared by every call to it."""

    def __init__(
        self,
        system: str,
        *,
        ratio: float = 0.2,
        min_per_second: float = 1.0,
        window: float = 10.0,
        clock: Clock = time.monotonic,
    ) -> None:
        if ratio < 0:
            raise ValueError(f"ratio must not be negative, not {ratio}")
        if min_per_second < 0:
            raise ValueError(f"min_per_second must not be negative, not {min_per_second}")
        if window <= 0:
            raise ValueError(f"window must be positive, not {window}")
        self.system = system
        self.ratio = ratio
        self.min_per_second = min_per_second
        self.window = window
        self._slice_seconds = window / SLICES
        self._clock = clock
        self._slices: deque[_Slice] = deque()
        self._granted = 0
        self._refused = 0

    @property
    def retries_granted(self) -> int:
        """Retries the budget allowed since it was made."""
        return self._granted

    @property
    def retries_refused(self) -> int:
        """Retries the budget refused since it was made: calls that failed at once instead."""
        return self._refused

    def record_call(self) -> None:
        """A call's first attempt is starting: it earns ``ratio`` of a retry for the window."""
        self._current().calls += 1

    def try_retry(self) -> bool:
        """Take one retry from the budget if one is left; False when it is spent."""
        current = self._current()
        calls = sum(piece.calls for piece in self._slices)
        retries = sum(piece.retries for piece in self._slices)
        allowed = self.min_per_second * self.window + self.ratio * calls
        if retries + 1 > allowed:
            self._refused += 1
            return False
        current.retries += 1
        self._granted += 1
        return True

    def _current(self) -> _Slice:
        """The slice for now, after dropping the slices that have left the window."""
        index = math.floor(self._clock() / self._slice_seconds)
        while self._slices and self._slices[0].index <= index - SLICES:
            self._slices.popleft()
        if not self._slices or self._slices[-1].index != index:
            self._slices.append(_Slice(index))
        return self._slices[-1]
