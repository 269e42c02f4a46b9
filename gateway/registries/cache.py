"""A time-limited cache that can serve an expired answer, marked stale, while its source is down.

Registry records change rarely and a one-stop officer would rather see yesterday's company record,
clearly marked, than nothing while the registry is down (stale-if-error, RFC 5861). Absent
records are cached too, so a wrong code does not cost a registry call each time. The cache lives
in memory: losing it on restart loses nothing a caller was promised.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from adapters.errors import TransientError

K = TypeVar("K")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class Answer(Generic[V]):
    value: V
    stale: bool
    age: float
    """Seconds since the value was fetched from its source."""


class StaleIfErrorCache(Generic[K, V]):
    def __init__(
        self,
        *,
        ttl: float,
        stale_for: float,
        max_entries: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl, self._stale_for, self._max = ttl, stale_for, max_entries
        self._clock = clock
        self._entries: OrderedDict[K, tuple[V, float]] = OrderedDict()

    async def get(self, key: K, fetch: Callable[[], Awaitable[V]]) -> Answer[V]:
        """The cached value while fresh; else a fetched one; else, if fetching fails
        transiently, the expired value (``stale``) while it is within ``stale_for``."""
        now = self._clock()
        held = self._entries.get(key)
        if held is not None and now - held[1] < self._ttl:
            return Answer(held[0], stale=False, age=now - held[1])
        try:
            value = await fetch()
        except TransientError:
            if held is not None and now - held[1] < self._ttl + self._stale_for:
                return Answer(held[0], stale=True, age=now - held[1])
            raise
        self._entries[key] = (value, now)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
        return Answer(value, stale=False, age=0.0)
