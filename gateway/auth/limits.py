"""A token bucket per client: ``per_minute`` requests a minute, refilled continuously."""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimiter:
    """In memory, per process: a restart forgives every client, which costs nothing promised."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str, per_minute: int) -> float | None:
        """Spend one request of ``client``; None when allowed, else seconds until one is."""
        return self._ask(client, per_minute, spend=True)

    def check(self, client: str, per_minute: int) -> float | None:
        """Like ``take``, without spending: None while ``client`` has a request left."""
        return self._ask(client, per_minute, spend=False)

    def _ask(self, client: str, per_minute: int, *, spend: bool) -> float | None:
        now = self._clock()
        rate = per_minute / 60.0
        tokens, since = self._buckets.get(client, (float(per_minute), now))
        tokens = min(float(per_minute), tokens + (now - since) * rate)
        if tokens >= 1.0:
            self._buckets[client] = (tokens - 1.0 if spend else tokens, now)
            return None
        self._buckets[client] = (tokens, now)
        return (1.0 - tokens) / rate
