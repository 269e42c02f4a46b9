"""The National Business Registration Database over HTTP: the ``BusinessRegistry`` adapter."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from adapters.business_registry.config import BusinessRegistryConfig
from adapters.business_registry.port import SYSTEM
from adapters.business_registry.reply import read_branches, read_business, read_reply
from adapters.client import GuardedClient, tagged
from adapters.errors import RefusedError
from adapters.oauth2 import ClientCredentials
from mappings.registries.business import Business

FIND_BUSINESS = "TraCuuThongTinDoanhNghiep"
BRANCHES = "ChiNhanh"
CODE_PARAM = "MaSoDoanhNghiep"


class HttpBusinessRegistry(GuardedClient[BusinessRegistryConfig]):
    """The business registry through a platform proxy, with OAuth2 client credentials.

    What a caller may rely on:

    - Every call is one guarded call (``adapters.client``): breaker, retries under the budget,
      rate limit, deadline; every method raises only ``adapters.errors`` errors (see
      ``reply``). The registry judges the form of a code: a malformed one is
      ``RefusedError`` naming the rule it breaks.
    - A token (``adapters.oauth2``) is fetched on first use, shared by concurrent calls,
      replaced before it expires, and fetched again once when the registry answers 401.
    - ``transport`` replaces the network (e.g. ``httpx.ASGITransport`` around the mock) and
      ``sleep`` the waits between retries (tests pass a fake).
    """

    system: ClassVar[str] = SYSTEM

    def open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        config = self.config
        self._http = ClientCredentials.of(
            SYSTEM,
            config,
            refused=lambda response: response.status_code == httpx.codes.UNAUTHORIZED,
            **self.http_options(transport, base_url=config.url),
        )
        self.closes(self._http.aclose)

    async def find_business(self, code: str) -> Business | None:
        """The full record of a head office or branch, or None when the registry has none."""
        body = await self._call(FIND_BUSINESS, self.config.lookup_path, {CODE_PARAM: code})
        return None if body is None else read_business(body, FIND_BUSINESS)

    async def branches(self, code: str) -> list[Business]:
        """The branches of head office ``code``; empty when it has none or is unknown."""
        path = f"{self.config.lookup_path}/{_segment(code)}{self.config.branches_suffix}"
        body = await self._call(BRANCHES, path)
        return [] if body is None else read_branches(body, BRANCHES)

    async def _call(
        self, operation: str, path: str, params: Mapping[str, str] | None = None
    ) -> Mapping[str, Any] | None:
        return await self.call(operation, lambda: self._attempt(operation, path, params))

    async def _attempt(
        self, operation: str, path: str, params: Mapping[str, str] | None
    ) -> Mapping[str, Any] | None:
        response = await self._http.request(
            "GET", path, params=params, extensions=tagged(operation)
        )
        return read_reply(response, operation)


def _segment(code: str) -> str:
    """``code`` as one path segment; a code that could not be one is refused before sending."""
    if not code or code in {".", ".."}:
        raise RefusedError(SYSTEM, f"{BRANCHES}: {code!r} is not an enterprise code")
    return quote(code, safe="")
