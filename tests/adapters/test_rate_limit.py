"""The rate limit: a burst goes at once, then requests are paced; every attempt takes a permit.

The limiter reads the event loop's clock, so these tests give the loop a fake one: nothing
waits for real time, and a paced request goes only when the test moves the clock on.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
import respx

from adapters import HttpNationalPortal
from adapters.breaker import CircuitBreaker
from adapters.guard import SystemGuard
from adapters.rate_limit import RateLimit
from adapters.retry_budget import RetryBudget

PROCEDURES = {"error_code": 0, "message": "thành công", "result": [{"MaTTHC": "1.001193"}]}


class LoopClock:
    """The running loop's clock, moved by hand."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.now = loop.time()

    def __call__(self) -> float:
        return self.now

    async def advance(self, seconds: float) -> None:
        self.now += seconds
        for _ in range(5):
            await asyncio.sleep(0)


@pytest.fixture
async def loop_clock() -> AsyncIterator[LoopClock]:
    loop = asyncio.get_running_loop()
    clock = LoopClock(loop)
    loop.time = clock  # type: ignore[method-assign]
    try:
        yield clock
    finally:
        del loop.time


async def settle() -> None:
    """Let every task that can run, run."""
    for _ in range(10):
        await asyncio.sleep(0)


async def test_without_a_rate_nothing_waits() -> None:
    limit = RateLimit("portal")
    for _ in range(1000):
        await limit.acquire()
    assert not limit.limited
    assert limit.paced_calls == 0


async def test_a_burst_goes_at_once_then_requests_are_paced(loop_clock: LoopClock) -> None:
    limit = RateLimit("portal", rate=2.0, burst=3)
    for _ in range(3):
        await limit.acquire()
    assert limit.paced_calls == 0

    fourth = asyncio.create_task(limit.acquire())
    await settle()
    assert not fourth.done()
    assert limit.paced_calls == 1

    await loop_clock.advance(0.25)
    assert not fourth.done(), "half a permit has leaked out, not one"
    await loop_clock.advance(0.25)
    await fourth


def test_refuses_a_meaningless_configuration() -> None:
    with pytest.raises(ValueError, match="rate"):
        RateLimit("portal", rate=-1)
    with pytest.raises(ValueError, match="burst"):
        RateLimit("portal", rate=1, burst=0)


@pytest.fixture(autouse=True)
def logged_in(portal: respx.MockRouter) -> None:
    portal.post("/login").mock(
        return_value=httpx.Response(200, json={"session": "s", "error_code": 0})
    )


async def test_every_attempt_of_a_call_takes_a_permit(
    portal: respx.MockRouter,
    make_adapter: Callable[..., HttpNationalPortal],
    loop_clock: LoopClock,
) -> None:
    api = portal.post("/api").mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(200, json=PROCEDURES),
            httpx.Response(200, json=PROCEDURES),
        ]
    )
    limit = RateLimit("national_portal", rate=1.0, burst=2)
    guard = SystemGuard(
        CircuitBreaker("national_portal"), limit, RetryBudget("national_portal", clock=loop_clock)
    )
    adapter = make_adapter(retries=2, guard=guard)

    await adapter.list_procedures()
    assert api.call_count == 2
    assert limit.paced_calls == 0

    next_call = asyncio.create_task(adapter.list_procedures())
    await settle()
    assert api.call_count == 2, "the burst was spent by one call and its retry"
    assert limit.paced_calls == 1

    await loop_clock.advance(1.0)
    await next_call
    assert api.call_count == 3
