"""The retry budget: retries only while they stay a small share of recent calls, on a fake clock."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
import respx

from adapters import HttpNationalPortal, TransientError
from adapters.breaker import CircuitBreaker
from adapters.guard import SystemGuard
from adapters.rate_limit import RateLimit
from adapters.retry_budget import RetryBudget

PROCEDURES = {"error_code": 0, "message": "thành công", "result": [{"MaTTHC": "1.001193"}]}


class FakeClock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def spend(budget: RetryBudget) -> int:
    """Take retries until the budget refuses one; how many it granted."""
    granted = 0
    while budget.try_retry():
        granted += 1
        assert granted < 10_000, "the budget never ran out"
    return granted


def test_retries_are_a_share_of_the_calls_made(clock: FakeClock) -> None:
    budget = RetryBudget("portal", ratio=0.2, min_per_second=0, window=10, clock=clock)
    for _ in range(10):
        budget.record_call()

    assert spend(budget) == 2
    assert (budget.retries_granted, budget.retries_refused) == (2, 1)


def test_a_system_called_rarely_still_gets_its_minimum(clock: FakeClock) -> None:
    budget = RetryBudget("portal", ratio=0.2, min_per_second=1, window=10, clock=clock)
    assert spend(budget) == 10

    for _ in range(15):
        budget.record_call()
    assert spend(budget) == 3


def test_calls_and_retries_leave_the_window_as_it_slides(clock: FakeClock) -> None:
    budget = RetryBudget("portal", ratio=0.5, min_per_second=0, window=10, clock=clock)
    for _ in range(4):
        budget.record_call()
    assert spend(budget) == 2

    clock.now += 5
    for _ in range(4):
        budget.record_call()
    assert spend(budget) == 2

    clock.now += 5.5
    assert spend(budget) == 0, "the first calls left the window, but so did the first retries"

    clock.now += 5
    assert spend(budget) == 0
    budget.record_call()
    budget.record_call()
    assert spend(budget) == 1


def test_refuses_a_meaningless_configuration() -> None:
    with pytest.raises(ValueError, match="ratio"):
        RetryBudget("portal", ratio=-0.1)
    with pytest.raises(ValueError, match="window"):
        RetryBudget("portal", window=0)
    with pytest.raises(ValueError, match="min_per_second"):
        RetryBudget("portal", min_per_second=-1)


@pytest.fixture(autouse=True)
def logged_in(portal: respx.MockRouter) -> None:
    portal.post("/login").mock(
        return_value=httpx.Response(200, json={"session": "s", "error_code": 0})
    )


def guard_with(budget: RetryBudget) -> SystemGuard:
    return SystemGuard(
        CircuitBreaker("national_portal", failure_threshold=100),
        RateLimit("national_portal"),
        budget,
    )


async def test_a_spent_budget_fails_the_call_at_once_for_the_worker_to_retry(
    portal: respx.MockRouter,
    make_adapter: Callable[..., HttpNationalPortal],
    sleeps: list[float],
    clock: FakeClock,
) -> None:
    api = portal.post("/api").mock(return_value=httpx.Response(503, headers={"Retry-After": "2"}))
    budget = RetryBudget("national_portal", ratio=0.25, min_per_second=0, clock=clock)
    adapter = make_adapter(retries=3, guard=guard_with(budget))

    for _ in range(4):
        with pytest.raises(TransientError, match="HTTP 503") as raised:
            await adapter.list_procedures()
        assert raised.value.retry_after == 2.0

    assert api.call_count == 5, "four first attempts, and the one retry a quarter of them earn"
    assert sleeps == [2.0]
    assert (budget.retries_granted, budget.retries_refused) == (1, 4)


async def test_a_call_that_answers_earns_retries_without_spending_any(
    portal: respx.MockRouter,
    make_adapter: Callable[..., HttpNationalPortal],
    clock: FakeClock,
) -> None:
    api = portal.post("/api")
    budget = RetryBudget("national_portal", ratio=0.5, min_per_second=0, clock=clock)
    adapter = make_adapter(retries=3, guard=guard_with(budget))

    api.mock(return_value=httpx.Response(200, json=PROCEDURES))
    for _ in range(4):
        await adapter.list_procedures()
    assert (budget.retries_granted, budget.retries_refused) == (0, 0)

    api.mock(
        side_effect=[httpx.Response(503), httpx.Response(503), httpx.Response(200, json=PROCEDURES)]
    )
    await adapter.list_procedures()
    assert budget.retries_granted == 2
