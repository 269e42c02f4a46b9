"""A system's guard: the breaker before the retries, the retries under the budget, each attempt
paced; and one snapshot of all three."""

from __future__ import annotations

import logging

import pytest
from tenacity import AsyncRetrying

from adapters.breaker import CircuitBreaker, CircuitState
from adapters.errors import TransientError
from adapters.guard import SystemGuard
from adapters.rate_limit import RateLimit
from adapters.retry import retrying
from adapters.retry_budget import RetryBudget


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class System:
    """A national system that fails transiently while ``down``; counts the attempts it got."""

    def __init__(self) -> None:
        self.down = True
        self.attempts = 0

    async def __call__(self) -> str:
        self.attempts += 1
        if self.down:
            raise TransientError("registry", "HTTP 503")
        return "answer"


async def no_sleep(seconds: float) -> None:
    return None


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def guard(clock: FakeClock) -> SystemGuard:
    wall = FakeClock()
    wall.now = 1_767_225_600.0
    return SystemGuard(
        CircuitBreaker("registry", failure_threshold=2, cool_down=30, clock=clock, wall_clock=wall),
        RateLimit("registry", rate=1000.0, burst=1000),
        RetryBudget("registry", ratio=0.5, min_per_second=0, clock=clock),
    )


def policy(guard: SystemGuard, attempts: int = 3) -> AsyncRetrying:
    return retrying(
        system="registry",
        attempts=attempts,
        initial_wait=0.0,
        max_wait=1.0,
        sleep=no_sleep,
        log=logging.getLogger("tests"),
        budget=guard.retry_budget,
    )


async def test_one_call_is_one_breaker_failure_whatever_its_retries(guard: SystemGuard) -> None:
    system = System()
    for _ in range(2):
        guard.retry_budget.record_call()
    with pytest.raises(TransientError, match="HTTP 503"):
        await guard.call(policy(guard), system)

    assert system.attempts == 2, "one first attempt and the one retry the budget allowed"
    assert guard.breaker.consecutive_failures == 1
    assert guard.breaker.state == CircuitState.closed


async def test_an_open_circuit_spends_neither_budget_nor_permits(guard: SystemGuard) -> None:
    system = System()
    for _ in range(2):
        with pytest.raises(TransientError, match="HTTP 503"):
            await guard.call(policy(guard, attempts=1), system)
    before = guard.snapshot()

    with pytest.raises(TransientError, match="circuit open"):
        await guard.call(policy(guard), system)

    after = guard.snapshot()
    assert system.attempts == 2
    assert after.refused_calls == before.refused_calls + 1
    assert (after.retries_granted, after.retries_refused) == (0, 0)


async def test_the_snapshot_shows_the_breaker_the_budget_and_the_limit(
    guard: SystemGuard,
) -> None:
    system = System()
    for _ in range(2):
        with pytest.raises(TransientError):
            await guard.call(policy(guard), system)

    snapshot = guard.snapshot()

    assert snapshot.system == "registry"
    assert snapshot.state == CircuitState.open
    assert snapshot.consecutive_failures == 2
    assert snapshot.open_since == 1_767_225_600.0
    assert (snapshot.retries_granted, snapshot.retries_refused) == (1, 2)
    assert (snapshot.rate, snapshot.burst) == (1000.0, 1000)


def test_the_parts_of_a_guard_are_of_one_system() -> None:
    with pytest.raises(ValueError, match="different systems"):
        SystemGuard(CircuitBreaker("a"), RateLimit("a"), RetryBudget("b"))
