"""A rate limit per national system: at most so many requests a second, after a burst.

National systems publish quotas per connected unit (the portal and the data-sharing platform
answer 429 past theirs) and the province's own integration platform may set lower ones. Pacing
our side to the quota is kinder than being refused: a call waits for its turn instead of failing
and being retried. One limiter per system is shared by every call to it (deliveries, lookups,
polls), so the quota holds however many workers and requests run side by side in the process.

Each attempt takes one permit just before it is sent, retries included, and before the attempt's
deadline starts, so a wait for the limit never counts as the national system being slow. The
occasional token fetch or login that goes with an attempt rides on its permit.

The bucket is aiolimiter's ``AsyncLimiter``, a leaky bucket that holds ``burst`` permits and
drains at ``rate`` a second: ``AsyncLimiter(burst, burst / rate)``. It reads the event loop's
clock and must be used on one loop; ``rate`` 0 means no limit. ``paced_calls`` counts the
attempts that found no permit free and had to wait, for the gateway's metrics.
"""

from __future__ import annotations

from aiolimiter import AsyncLimiter


class RateLimit:
    """At most ``rate`` requests a second to one national system, and ``burst`` at once."""

    def __init__(self, system: str, *, rate: float = 0.0, burst: int = 10) -> None:
        if rate < 0:
            raise ValueError(f"rate must not be negative (0 is no limit), not {rate}")
        if burst < 1:
            raise ValueError(f"burst must be at least 1, not {burst}")
        self.system = system
        self.rate = rate
        self.burst = burst
        self._bucket = AsyncLimiter(burst, burst / rate) if rate > 0 else None
        self._paced = 0

    @property
    def limited(self) -> bool:
        """Whether there is a limit at all (``rate`` above 0)."""
        return self._bucket is not None

    @property
    def paced_calls(self) -> int:
        """Attempts that had to wait for a permit, since the limit was made."""
        return self._paced

    async def acquire(self) -> None:
        """Wait, if need be, until one more request may be sent now."""
        if self._bucket is None:
            return
        if not self._bucket.has_capacity():
            self._paced += 1
        await self._bucket.acquire()
