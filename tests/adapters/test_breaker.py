"""The circuit breaker: opens after consecutive transient failures, fails fast, tries once."""

from __future__ import annotations

import asyncio

import pytest

from adapters.breaker import CircuitBreaker, CircuitState
from adapters.errors import AuthError, PermanentError, TransientError


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def breaker(clock: FakeClock) -> CircuitBreaker:
    return CircuitBreaker("registry", failure_threshold=3, cool_down=30.0, clock=clock)


class System:
    """A national system that fails transiently while ``down``; counts the calls it got."""

    def __init__(self) -> None:
        self.down = True
        self.calls = 0

    async def __call__(self) -> str:
        self.calls += 1
        if self.down:
            raise TransientError("registry", "HTTP 503")
        return "answer"


async def fail(breaker: CircuitBreaker, system: System, times: int) -> None:
    for _ in range(times):
        with pytest.raises(TransientError):
            await breaker.call(system)


async def test_opens_after_threshold_consecutive_failures_and_fails_fast(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    system = System()
    await fail(breaker, system, 2)
    assert breaker.state == CircuitState.closed
    await fail(breaker, system, 1)
    assert breaker.state == CircuitState.open
    assert breaker.opened_at == clock.now

    clock.now += 10
    with pytest.raises(TransientError, match="circuit open") as raised:
        await breaker.call(system)
    assert system.calls == 3
    assert raised.value.system == "registry"
    assert raised.value.retry_after == pytest.approx(20.0)


async def test_an_answer_resets_the_count_of_failures(breaker: CircuitBreaker) -> None:
    system = System()
    await fail(breaker, system, 2)
    system.down = False
    assert await breaker.call(system) == "answer"
    system.down = True
    await fail(breaker, system, 2)
    assert breaker.state == CircuitState.closed
    assert breaker.consecutive_failures == 2


@pytest.mark.parametrize("refusal", [PermanentError, AuthError])
async def test_a_refusal_is_an_answer_not_a_failure(
    breaker: CircuitBreaker, refusal: type[PermanentError] | type[AuthError]
) -> None:
    system = System()
    await fail(breaker, system, 2)

    async def refuse() -> None:
        raise refusal("registry", "refused")

    with pytest.raises(refusal):
        await breaker.call(refuse)
    assert breaker.consecutive_failures == 0


async def test_half_open_trial_success_closes_the_circuit(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    system = System()
    await fail(breaker, system, 3)
    clock.now += 30
    assert breaker.state == CircuitState.half_open
    system.down = False
    assert await breaker.call(system) == "answer"
    assert breaker.state == CircuitState.closed
    assert breaker.opened_at is None


async def test_half_open_trial_failure_opens_again_for_a_full_cool_down(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    system = System()
    await fail(breaker, system, 3)
    clock.now += 31
    await fail(breaker, system, 1)
    assert system.calls == 4
    assert breaker.state == CircuitState.open
    assert breaker.opened_at == clock.now
    with pytest.raises(TransientError) as raised:
        await breaker.call(system)
    assert raised.value.retry_after == pytest.approx(30.0)
    assert system.calls == 4


async def test_only_one_trial_goes_through_while_half_open(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    system = System()
    await fail(breaker, system, 3)
    clock.now += 30
    release = asyncio.Event()

    async def slow_answer() -> str:
        await release.wait()
        return "answer"

    trial = asyncio.create_task(breaker.call(slow_answer))
    await asyncio.sleep(0)
    with pytest.raises(TransientError, match="trial call is in flight"):
        await breaker.call(system)
    release.set()
    assert await trial == "answer"
    assert breaker.state == CircuitState.closed


async def test_a_cancelled_trial_lets_the_next_call_try(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    system = System()
    await fail(breaker, system, 3)
    clock.now += 30

    async def hang() -> str:
        await asyncio.Event().wait()
        return "never"

    trial = asyncio.create_task(breaker.call(hang))
    await asyncio.sleep(0)
    trial.cancel()
    with pytest.raises(asyncio.CancelledError):
        await trial
    system.down = False
    assert await breaker.call(system) == "answer"


def test_refuses_a_meaningless_configuration() -> None:
    with pytest.raises(ValueError, match="failure_threshold"):
        CircuitBreaker("registry", failure_threshold=0)
    with pytest.raises(ValueError, match="cool_down"):
        CircuitBreaker("registry", cool_down=0)


async def test_shows_since_when_it_is_open_in_wall_time_through_failed_trials(
    clock: FakeClock,
) -> None:
    wall = FakeClock()
    wall.now = 1_767_225_600.0  # 2026-01-01 00:00 UTC
    breaker = CircuitBreaker(
        "registry", failure_threshold=2, cool_down=30.0, clock=clock, wall_clock=wall
    )
    system = System()
    await fail(breaker, system, 2)
    assert breaker.open_since == 1_767_225_600.0

    clock.now += 30
    wall.now += 30
    await fail(breaker, system, 1)
    assert breaker.state == CircuitState.open
    assert breaker.open_since == 1_767_225_600.0

    clock.now += 30
    system.down = False
    await breaker.call(system)
    assert breaker.open_since is None


async def test_counts_the_calls_it_refused(breaker: CircuitBreaker, clock: FakeClock) -> None:
    system = System()
    await fail(breaker, system, 3)
    for _ in range(2):
        with pytest.raises(TransientError, match="circuit open"):
            await breaker.call(system)
    assert (breaker.refused_calls, system.calls) == (2, 3)

    clock.now += 30
    release = asyncio.Event()

    async def slow_answer() -> str:
        await release.wait()
        return "answer"

    trial = asyncio.create_task(breaker.call(slow_answer))
    await asyncio.sleep(0)
    with pytest.raises(TransientError, match="trial call is in flight"):
        await breaker.call(system)
    release.set()
    await trial
    assert breaker.refused_calls == 3
