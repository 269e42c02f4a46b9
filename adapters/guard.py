"""What stands between the gateway's calls and one national system: breaker, rate limit, budget.

Each national system gets one ``SystemGuard``, built once in the composition root and handed to
that system's adapter, so every call to the system (deliveries, lookups, polls) shares it. One
call goes through its parts in this order::

    breaker ──▶ retries (tenacity, under the retry budget) ──▶ rate limit ──▶ one attempt

- the circuit breaker (``adapters.breaker``) fails the call at once while the system is known
  to be down, and counts the call as one failure or one answer, retries included;
- the retries of ``adapters.retry`` stop early once the system's retry budget
  (``adapters.retry_budget``) is spent, leaving later attempts to the delivery worker;
- every attempt, the first and each retry, waits for a permit of the rate limit
  (``adapters.rate_limit``) before it is sent.

``snapshot()`` reads all three at once for ``/readyz``, the status page, the metrics and the
console. An adapter built without a guard makes its own, with no rate limit.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from tenacity import AsyncRetrying

from adapters.breaker import CircuitBreaker, CircuitState
from adapters.rate_limit import RateLimit
from adapters.retry import Sleep, retrying
from adapters.retry_budget import RetryBudget

T = TypeVar("T")


class RetrySettings(Protocol):
    """The retry fields every adapter's config has."""

    @property
    def retries(self) -> int: ...
    @property
    def retry_initial_wait(self) -> float: ...
    @property
    def retry_max_wait(self) -> float: ...


@dataclass(frozen=True, slots=True)
class GuardSnapshot:
    """How one national system's guard stands at one moment.

    ``open_since`` is epoch seconds (None while closed); the counts run from when the guard was
    made: calls the breaker refused, retries the budget refused or granted, attempts the rate
    limit made wait. ``rate`` is requests a second (0: no limit) and ``burst`` the most at once.
    """

    system: str
    state: CircuitState
    consecutive_failures: int
    open_since: float | None
    refused_calls: int
    retries_granted: int
    retries_refused: int
    paced_calls: int
    rate: float
    burst: int


@dataclass(frozen=True, slots=True)
class SystemGuard:
    """The breaker, rate limit and retry budget of one national system."""

    breaker: CircuitBreaker
    rate_limit: RateLimit
    retry_budget: RetryBudget

    def __post_init__(self) -> None:
        systems = {self.breaker.system, self.rate_limit.system, self.retry_budget.system}
        if len(systems) != 1:
            raise ValueError(f"the parts of one guard name different systems: {sorted(systems)}")

    @classmethod
    def for_system(
        cls,
        system: str,
        *,
        failure_threshold: int = 5,
        cool_down: float = 30.0,
        rate: float = 0.0,
        burst: int = 10,
    ) -> SystemGuard:
        """A guard for ``system`` with the clocks of the service and the default budget."""
        return cls(
            breaker=CircuitBreaker(
                system, failure_threshold=failure_threshold, cool_down=cool_down
            ),
            rate_limit=RateLimit(system, rate=rate, burst=burst),
            retry_budget=RetryBudget(system),
        )

    @property
    def system(self) -> str:
        return self.breaker.system

    def retrying(
        self, config: RetrySettings, *, sleep: Sleep, log: logging.Logger
    ) -> AsyncRetrying:
        """The retry policy of ``adapters.retry`` for this system's calls, from ``config``,
        under this guard's retry budget: what ``call`` takes."""
        return retrying(
            system=self.system,
            attempts=config.retries,
            initial_wait=config.retry_initial_wait,
            max_wait=config.retry_max_wait,
            sleep=sleep,
            log=log,
            budget=self.retry_budget,
        )

    async def call(self, retrying: AsyncRetrying, attempt: Callable[[], Awaitable[T]]) -> T:
        """One call to the system: ``attempt`` paced by the rate limit, retried by ``retrying``
        (a policy from ``adapters.retry.retrying`` given this guard's budget), all of it through
        the breaker."""

        async def paced() -> T:
            await self.rate_limit.acquire()
            return await attempt()

        async def retried() -> T:
            result: T = await retrying.copy()(paced)
            return result

        return await self.breaker.call(retried)

    def snapshot(self) -> GuardSnapshot:
        breaker, budget = self.breaker, self.retry_budget
        return GuardSnapshot(
            system=self.system,
            state=breaker.state,
            consecutive_failures=breaker.consecutive_failures,
            open_since=breaker.open_since,
            refused_calls=breaker.refused_calls,
            retries_granted=budget.retries_granted,
            retries_refused=budget.retries_refused,
            paced_calls=self.rate_limit.paced_calls,
            rate=self.rate_limit.rate,
            burst=self.rate_limit.burst,
        )
