"""Sign-ins already used: a callback is honoured once, so a replayed one is refused.

The login in progress lives in a signed cookie, not on the server, so nothing else would stop
someone who captured a callback (its URL and the cookie) from playing it again while the cookie
is valid. Each login's ``state`` (which travels with its nonce) is remembered here from the first
callback until the cookie would have expired anyway, and a second callback with it is refused
before anything is sent to the provider.

In memory, per process: with several replicas a replay may reach another one, where it still
fails, because the provider's authorization codes are single-use; this is the first line, and
it names the replay.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable

CAPACITY = 100_000
"""Most sign-ins remembered; past it the oldest are forgotten (their cookies expire anyway)."""


class UsedLogins:
    def __init__(self, clock: Callable[[], float] = time.time, capacity: int = CAPACITY) -> None:
        self._clock = clock
        self._capacity = capacity
        self._until: OrderedDict[str, float] = OrderedDict()

    def use(self, state: str, until: float) -> bool:
        """Record ``state`` as used until ``until`` (epoch seconds); False if it already was."""
        now = self._clock()
        while self._until and next(iter(self._until.values())) <= now:
            self._until.popitem(last=False)
        if state in self._until:
            return False
        self._until[state] = until
        if len(self._until) > self._capacity:
            self._until.popitem(last=False)
        return True
