"""Short retries of one portal call: tenacity, honouring the portal's ``Retry-After``.

Only ``TransientError`` is retried, and not ``AuthError``: the auth modules have already logged
in or fetched a token again once, so another attempt would only repeat the refusal. Waits grow
exponentially (``retry_initial_wait`` doubling, at most ``retry_max_wait``) plus up to
``retry_initial_wait`` of jitter, or follow ``retry_after`` when the portal gave one. A
``Retry-After`` longer than ``retry_max_wait`` ends the retries at once: waiting that long belongs
to the delivery worker, whose backoff is stored and survives restarts, and the raised error
carries ``retry_after`` for it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    retry_if_not_exception_type,
    stop_after_attempt,
)
from tenacity.stop import stop_base
from tenacity.wait import wait_base, wait_exponential, wait_random

from adapters.errors import AuthError, TransientError
from adapters.national_portal.config import PortalConfig

log = logging.getLogger("adapters.national_portal")

Sleep = Callable[[float], Awaitable[None]]


def _asked_wait(retry_state: RetryCallState) -> float | None:
    outcome = retry_state.outcome
    error = outcome.exception() if outcome is not None and outcome.failed else None
    return error.retry_after if isinstance(error, TransientError) else None


class WaitRetryAfter(wait_base):
    """Wait what the portal asked for in ``Retry-After`` (at most ``cap``), else ``fallback``."""

    def __init__(self, fallback: wait_base, cap: float) -> None:
        self.fallback = fallback
        self.cap = cap

    def __call__(self, retry_state: RetryCallState) -> float:
        asked = _asked_wait(retry_state)
        return self.fallback(retry_state) if asked is None else min(asked, self.cap)


class StopWhenRetryAfterExceeds(stop_base):
    """Stop when the portal asks for a longer wait than ``limit``, leaving it to the caller."""

    def __init__(self, limit: float) -> None:
        self.limit = limit

    def __call__(self, retry_state: RetryCallState) -> bool:
        asked = _asked_wait(retry_state)
        return asked is not None and asked > self.limit


def _log_retry(retry_state: RetryCallState) -> None:
    outcome = retry_state.outcome
    error = outcome.exception() if outcome is not None else None
    delay = retry_state.next_action.sleep if retry_state.next_action is not None else 0.0
    log.warning(
        "national_portal: attempt %d failed (%s), retrying in %.1f s",
        retry_state.attempt_number,
        error.reason if isinstance(error, TransientError) else type(error).__name__,
        delay,
    )


def retrying(config: PortalConfig, sleep: Sleep) -> AsyncRetrying:
    """The retry policy for one call, from ``config``; ``sleep`` is injectable for tests."""
    return AsyncRetrying(
        sleep=sleep,
        stop=stop_after_attempt(config.retries) | StopWhenRetryAfterExceeds(config.retry_max_wait),
        wait=WaitRetryAfter(
            wait_exponential(multiplier=config.retry_initial_wait, max=config.retry_max_wait)
            + wait_random(0, config.retry_initial_wait),
            cap=config.retry_max_wait,
        ),
        retry=retry_if_exception_type(TransientError) & retry_if_not_exception_type(AuthError),
        before_sleep=_log_retry,
        reraise=True,
    )
