"""The National Business Registration Database over HTTP: the ``BusinessRegistry`` adapter."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from adapters.business_registry.config import BusinessRegistryConfig
from adapters.business_registry.connection import RegistryChannel
from adapters.business_registry.port import SYSTEM
from adapters.business_registry.reply import (
    read_branches,
    read_business,
    read_reply,
    translated_failures,
)
from adapters.errors import PermanentError
from adapters.guard import SystemGuard
from adapters.retry import Sleep
from mappings.registries.business import Business

log = logging.getLogger("adapters.business_registry")

FIND_BUSINESS = "TraCuuThongTinDoanhNghiep"
BRANCHES = "ChiNhanh"
CODE_PARAM = "MaSoDoanhNghiep"


class HttpBusinessRegistry:
    """The business registry through a platform proxy, with OAuth2 client credentials.

    What a caller may rely on:

    - One ``httpx.AsyncClient`` carries every call; ``aclose`` releases it. A token is fetched
      on first use, shared by concurrent calls, replaced before it expires, and fetched again
      once when the registry refuses it.
    - Every method raises only ``adapters.errors`` errors (see ``reply``). The registry judges
      the form of a code: a malformed one is ``PermanentError`` naming the rule it breaks.
    - Transient failures are retried ``config.retries`` times in all within the call, each
      attempt bounded by ``config.deadline``; a call that still fails counts once towards the
      circuit breaker, and while the circuit is open calls fail at once (``adapters.breaker``).
      Retries stop early once the registry's retry budget is spent, and each attempt waits for
      the rate limit. Pass ``guard`` (``adapters.guard``) to share the breaker, budget and rate
      limit with the composition root, which shows their state; without one the adapter makes
      its own from the config's breaker settings, with no rate limit.
    - ``transport`` replaces the network (e.g. ``httpx.ASGITransport`` around the mock) and
      ``sleep`` the waits between retries (tests pass a fake).
    """

    def __init__(
        self,
        config: BusinessRegistryConfig,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        guard: SystemGuard | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._config = config
        self._channel = RegistryChannel(config, transport)
        self.guard = guard or SystemGuard.for_system(
            SYSTEM, failure_threshold=config.breaker_failures, cool_down=config.breaker_cool_down
        )
        self._retrying = self.guard.retrying(config, sleep=sleep, log=log)

    async def __aenter__(self) -> HttpBusinessRegistry:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def find_business(self, code: str) -> Business | None:
        """The full record of a head office or branch, or None when the registry has none."""
        body = await self._call(FIND_BUSINESS, self._config.lookup_path, {CODE_PARAM: code})
        return None if body is None else read_business(body, FIND_BUSINESS)

    async def branches(self, code: str) -> list[Business]:
        """The branches of head office ``code``; empty when it has none or is unknown."""
        path = f"{self._config.lookup_path}/{_segment(code)}{self._config.branches_suffix}"
        body = await self._call(BRANCHES, path)
        return [] if body is None else read_branches(body, BRANCHES)

    async def aclose(self) -> None:
        """Close the connection pool; the adapter cannot be used afterwards."""
        await self._channel.aclose()

    async def _call(
        self, operation: str, path: str, params: Mapping[str, str] | None = None
    ) -> Mapping[str, Any] | None:
        return await self.guard.call(self._retrying, lambda: self._attempt(operation, path, params))

    async def _attempt(
        self, operation: str, path: str, params: Mapping[str, str] | None
    ) -> Mapping[str, Any] | None:
        with translated_failures(operation):
            async with asyncio.timeout(self._config.deadline):
                response = await self._channel.get(operation, path, params)
        return read_reply(response, operation)


def _segment(code: str) -> str:
    """``code`` as one path segment; a code that could not be one is refused before sending."""
    if not code or code in {".", ".."}:
        raise PermanentError(SYSTEM, f"{BRANCHES}: {code!r} is not an enterprise code")
    return quote(code, safe="")
