"""A circuit breaker per national system: stop calling a system that keeps failing, for a while.

::

    closed ──(failure_threshold consecutive transient failures)──▶ open
    open ──(cool_down seconds pass)──▶ half-open: the next call goes through as the one trial
    half-open ──(trial answered)──▶ closed
    half-open ──(trial failed transiently)──▶ open again, for another cool_down

What counts: a call that ends in ``TransientError`` (time-out, connection error, 5xx, 429)
is a failure; a call that returns, or ends in ``PermanentError`` or ``AuthError``, is an answer
(the system is up, it refused the content or the credentials) and closes the circuit. Any other
exception (a bug, a cancellation) counts as neither. While the circuit is open, or a trial is in
flight, calls fail at once with ``TransientError`` and nothing reaches the system; its
``retry_after`` is the cool-down left, so the delivery worker waits that long.

The breaker wraps a whole call, retries included, so one call that failed after all its attempts
is one failure. ``state``, ``consecutive_failures``, ``open_since`` and ``refused_calls`` are for
``/readyz``, metrics and the console. Both clocks are injectable: ``clock`` (``time.monotonic``)
times the cool-down and ``opened_at``; ``wall_clock`` (``time.time``) stamps ``open_since``, the
moment an operator reads as "down since".

Written here rather than taken from a library: ``aiobreaker`` has had no release since 2021,
``pybreaker`` supports coroutines only through tornado, and ``purgatory`` reads the wall clock
with no way to inject one, lets every call through while half-open, and raises its own error
type; the state machine above is about eighty lines.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TypeVar

from adapters.errors import AuthError, PermanentError, TransientError

log = logging.getLogger("adapters.breaker")

T = TypeVar("T")

Clock = Callable[[], float]
"""Seconds as a float: ``time.monotonic`` or ``time.time`` in service, a fake in tests."""


class CircuitState(StrEnum):
    closed = "closed"
    open = "open"
    half_open = "half-open"


class CircuitBreaker:
    """The breaker for one national system, shared by every call to it.

    The composition root builds one per system, inside that system's guard
    (``adapters.guard.SystemGuard``), and hands the guard to the system's adapter; adapters
    build their own when given none. Safe for concurrent calls on one event loop.
    """

    def __init__(
        self,
        system: str,
        *,
        failure_threshold: int = 5,
        cool_down: float = 30.0,
        clock: Clock = time.monotonic,
        wall_clock: Clock = time.time,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError(f"failure_threshold must be at least 1, not {failure_threshold}")
        if cool_down <= 0:
            raise ValueError(f"cool_down must be positive, not {cool_down}")
        self.system = system
        self.failure_threshold = failure_threshold
        self.cool_down = cool_down
        self._clock = clock
        self._wall_clock = wall_clock
        self._failures = 0
        self._opened_at: float | None = None
        self._open_since: float | None = None
        self._trial_in_flight = False
        self._refused = 0

    @property
    def state(self) -> CircuitState:
        """``closed``; ``open`` during the cool-down; ``half-open`` once it is over, until a
        trial call has answered or failed."""
        if self._opened_at is None:
            return CircuitState.closed
        if self._trial_in_flight or self._remaining() <= 0:
            return CircuitState.half_open
        return CircuitState.open

    @property
    def opened_at(self) -> float | None:
        """When the circuit last opened, on the breaker's clock; None while closed."""
        return self._opened_at

    @property
    def open_since(self) -> float | None:
        """When the circuit opened, in epoch seconds (``wall_clock``), kept through half-open
        trials that fail; None while closed."""
        return self._open_since

    @property
    def consecutive_failures(self) -> int:
        """Transient failures since the last answer."""
        return self._failures

    @property
    def refused_calls(self) -> int:
        """Calls failed at once, never sent, because the circuit was open or a trial in flight;
        counted since the breaker was made."""
        return self._refused

    async def call(self, action: Callable[[], Awaitable[T]]) -> T:
        """Await ``action()`` unless the circuit is open; record how it ended."""
        trial = self._admit()
        try:
            result = await action()
        except (AuthError, PermanentError):
            self._answered()
            raise
        except TransientError:
            self._failed(trial)
            raise
        except BaseException:
            self._release(trial)
            raise
        self._answered()
        return result

    def _admit(self) -> bool:
        """Whether this call is the half-open trial; raises while the circuit is open."""
        if self._opened_at is None:
            return False
        remaining = self._remaining()
        if remaining > 0:
            self._refused += 1
            raise TransientError(
                self.system,
                f"circuit open after {self._failures} consecutive failures; "
                f"not calling for another {remaining:.1f} s",
                retry_after=remaining,
            )
        if self._trial_in_flight:
            self._refused += 1
            raise TransientError(
                self.system, "circuit half-open: a trial call is in flight, not calling"
            )
        self._trial_in_flight = True
        return True

    def _remaining(self) -> float:
        assert self._opened_at is not None
        return max(0.0, self._opened_at + self.cool_down - self._clock())

    def _failed(self, trial: bool) -> None:
        self._trial_in_flight = False
        self._failures += 1
        if trial or (self._opened_at is None and self._failures >= self.failure_threshold):
            self._opened_at = self._clock()
            if self._open_since is None:
                self._open_since = self._wall_clock()
            log.warning(
                "%s: circuit open after %d consecutive failures, for %.0f s",
                self.system,
                self._failures,
                self.cool_down,
            )

    def _answered(self) -> None:
        if self._opened_at is not None:
            log.info("%s: circuit closed, the system answered again", self.system)
        self._failures = 0
        self._opened_at = None
        self._open_since = None
        self._trial_in_flight = False

    def _release(self, trial: bool) -> None:
        if trial:
            self._trial_in_flight = False
