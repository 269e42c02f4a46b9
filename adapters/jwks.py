"""A provider's published keys (JWKS), read again when it rotates them, but never on demand.

A token names its key (``kid``). When the cached set lacks it, the provider may have rotated,
so the set is fetched again at once; but a stream of tokens naming made-up keys must not turn
into a stream of fetches at the provider. So fetches for an unknown key, or for a token that did
not verify against the set held (``again``), are at most one per ``refetch_interval`` seconds
(failed ones count), and concurrent tokens share one fetch. The set is also fetched again once it
is older than ``max_age``, so a key the provider withdrew stops being trusted.

Used by the national SSO adapter (ID tokens) and the gateway's check of its province's identity
provider (API tokens).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from joserfc.jwk import KeySet

REFETCH_INTERVAL = 30.0
"""Least seconds between two fetches of the set because a token named an unknown key."""
MAX_AGE = 3600.0
"""Seconds after which the set is fetched again before it is used."""


class JwksCache:
    def __init__(
        self,
        fetch: Callable[[], Awaitable[KeySet]],
        *,
        clock: Callable[[], float] = time.monotonic,
        refetch_interval: float = REFETCH_INTERVAL,
        max_age: float = MAX_AGE,
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._refetch_interval = refetch_interval
        self._max_age = max_age
        self._keys: KeySet | None = None
        self._fetched_at = 0.0
        self._unknown_kid_fetch_at = float("-inf")
        self._lock = asyncio.Lock()
        self.fetches = 0

    async def current(self) -> KeySet:
        """The set held, fetched first when there is none or it is older than ``max_age``.
        Errors of ``fetch`` propagate."""
        keys = self._keys
        if keys is not None and self._fresh():
            return keys
        async with self._lock:
            keys = self._keys
            if keys is None or not self._fresh():
                return await self._refetch()
            return keys

    async def for_kid(self, kid: object) -> KeySet:
        """The set to verify a token naming ``kid`` with; it may still lack that key, when the
        provider does not have it or was asked too recently (the caller then refuses the token).
        Errors of ``fetch`` propagate."""
        keys = self._keys
        if keys is not None and self._fresh() and _holds(keys, kid):
            return keys
        async with self._lock:
            keys = self._keys
            if keys is None or not self._fresh():
                return await self._refetch()
            if _holds(keys, kid):
                return keys
            return await self._refetch_at_most_once_per_interval(keys)

    async def again(self) -> KeySet:
        """The set fetched again because a token did not verify against the one held, as for an
        unknown key: at most once per ``refetch_interval``, else the set held. Errors of
        ``fetch`` propagate."""
        async with self._lock:
            keys = self._keys
            if keys is None or not self._fresh():
                return await self._refetch()
            return await self._refetch_at_most_once_per_interval(keys)

    def _fresh(self) -> bool:
        return self._keys is not None and self._clock() - self._fetched_at < self._max_age

    async def _refetch_at_most_once_per_interval(self, held: KeySet) -> KeySet:
        if self._clock() - self._unknown_kid_fetch_at < self._refetch_interval:
            return held
        self._unknown_kid_fetch_at = self._clock()
        return await self._refetch()

    async def _refetch(self) -> KeySet:
        self.fetches += 1
        self._keys = await self._fetch()
        self._fetched_at = self._clock()
        return self._keys


def _holds(keys: KeySet | None, kid: object) -> bool:
    return keys is not None and any(key.kid == kid for key in keys.keys)
