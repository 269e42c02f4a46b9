"""Short retries of one portal call: the shared policy of ``adapters.retry``, from ``PortalConfig``.

Only ``TransientError`` is retried, and not ``AuthError``: the auth modules have already logged
in or fetched a token again once, so another attempt would only repeat the refusal. Waits grow
exponentially (``retry_initial_wait`` doubling, at most ``retry_max_wait``) plus jitter, or follow
``retry_after`` when the portal gave one; a longer ``Retry-After`` is left to the caller, and so
are retries past the portal's retry budget.
"""

from __future__ import annotations

import logging

from tenacity import AsyncRetrying

from adapters import retry
from adapters.national_portal.config import PortalConfig
from adapters.retry import Sleep
from adapters.retry_budget import RetryBudget

__all__ = ["Sleep", "retrying"]

log = logging.getLogger("adapters.national_portal")


def retrying(config: PortalConfig, sleep: Sleep, budget: RetryBudget) -> AsyncRetrying:
    """The retry policy for one call, from ``config``, under the portal's retry ``budget``;
    ``sleep`` is injectable for tests."""
    return retry.retrying(
        system="national_portal",
        attempts=config.retries,
        initial_wait=config.retry_initial_wait,
        max_wait=config.retry_max_wait,
        sleep=sleep,
        log=log,
        budget=budget,
    )
