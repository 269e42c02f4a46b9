"""Short retries of one call to a national system: tenacity, honouring ``Retry-After``.

Every adapter retries the same way, so the policy lives here once. Only ``TransientError`` is
retried, and not ``AuthError``: by the time one is raised the adapter has already refreshed its
credentials where it can, so another attempt would only repeat the refusal. Waits grow
exponentially (``initial_wait`` doubling, at most ``max_wait``) plus up to ``initial_wait`` of
jitter, or follow ``retry_after`` when the national side gave one. A ``Retry-After`` longer than
``max_wait`` ends the retries at once: waiting that long belongs to the delivery worker, whose
backoff is stored and survives restarts, and the raised error carries ``retry_after`` for it.

Given the national system's ``RetryBudget`` (``adapters.retry_budget``), every call deposits in it
as its first attempt starts, and a retry is taken only while the budget allows: once it is spent
a failed call is not retried here but fails at once, and the delivery worker's stored backoff
takes over. The budget is asked last, after the other stop conditions, so that it is charged
only for retries that would otherwise really happen.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    before_nothing,
    retry_if_exception_type,
    retry_if_not_exception_type,
    stop_after_attempt,
)
from tenacity.stop import stop_base
from tenacity.wait import wait_base, wait_exponential, wait_random

from adapters.errors import AuthError, TransientError
from adapters.retry_budget import RetryBudget

Sleep = Callable[[float], Awaitable[None]]
"""How to wait between attempts; ``asyncio.sleep`` in service, a recording fake in tests."""


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _asked_wait(retry_state: RetryCallState) -> float | None:
    outcome = retry_state.outcome
    error = outcome.exception() if outcome is not None and outcome.failed else None
    return error.retry_after if isinstance(error, TransientError) else None


class WaitRetryAfter(wait_base):
    """Wait what the national side asked for in ``Retry-After`` (at most ``cap``), else
    ``fallback``."""

    def __init__(self, fallback: wait_base, cap: float) -> None:
        self.fallback = fallback
        self.cap = cap

    def __call__(self, retry_state: RetryCallState) -> float:
        asked = _asked_wait(retry_state)
        return self.fallback(retry_state) if asked is None else min(asked, self.cap)


class StopWhenRetryAfterExceeds(stop_base):
    """Stop when the national side asks for a longer wait than ``limit``, leaving it to the
    caller."""

    def __init__(self, limit: float) -> None:
        self.limit = limit

    def __call__(self, retry_state: RetryCallState) -> bool:
        asked = _asked_wait(retry_state)
        return asked is not None and asked > self.limit


class StopWhenBudgetSpent(stop_base):
    """Stop when ``budget`` has no retry left; otherwise take one from it."""

    def __init__(self, budget: RetryBudget, log: logging.Logger) -> None:
        self.budget = budget
        self.log = log

    def __call__(self, retry_state: RetryCallState) -> bool:
        if self.budget.try_retry():
            return False
        self.log.warning(
            "%s: retry budget spent (%.0f %% of recent calls); not retrying in the call",
            self.budget.system,
            self.budget.ratio * 100,
        )
        return True


def _deposit(budget: RetryBudget) -> Callable[[RetryCallState], None]:
    def record_first_attempt(retry_state: RetryCallState) -> None:
        if retry_state.attempt_number == 1:
            budget.record_call()

    return record_first_attempt


def _retry_logger(system: str, log: logging.Logger) -> Callable[[RetryCallState], None]:
    def log_retry(retry_state: RetryCallState) -> None:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome is not None else None
        delay = retry_state.next_action.sleep if retry_state.next_action is not None else 0.0
        log.warning(
            "%s: attempt %d failed (%s), retrying in %.1f s",
            system,
            retry_state.attempt_number,
            error.reason if isinstance(error, TransientError) else type(error).__name__,
            delay,
        )

    return log_retry


def retrying(
    *,
    system: str,
    attempts: int,
    initial_wait: float,
    max_wait: float,
    sleep: Sleep,
    log: logging.Logger,
    budget: RetryBudget | None = None,
) -> AsyncRetrying:
    """The retry policy for one call to ``system``: at most ``attempts`` attempts in all, and
    retries only while ``budget`` (the system's, shared by all its calls) has some left.

    Call ``.copy()`` of the result per call, so concurrent calls keep separate statistics.
    ``sleep`` is injectable for tests; each retry is logged as a warning on ``log``.
    """
    stop: stop_base = stop_after_attempt(attempts) | StopWhenRetryAfterExceeds(max_wait)
    before: Callable[[RetryCallState], None] = before_nothing
    if budget is not None:
        stop = stop | StopWhenBudgetSpent(budget, log)
        before = _deposit(budget)
    return AsyncRetrying(
        sleep=sleep,
        stop=stop,
        before=before,
        wait=WaitRetryAfter(
            wait_exponential(multiplier=initial_wait, max=max_wait) + wait_random(0, initial_wait),
            cap=max_wait,
        ),
        retry=retry_if_exception_type(TransientError) & retry_if_not_exception_type(AuthError),
        before_sleep=_retry_logger(system, log),
        reraise=True,
    )
