"""The one HTTP client towards the business registry: OAuth2 client credentials, Bearer calls.

authlib's ``AsyncOAuth2Client`` is the client: it attaches the token and, before each call,
replaces one that expires within ``token_leeway`` seconds. This module adds what authlib leaves
to its caller: the first fetch, shared by concurrent calls, and one re-fetch when the registry
answers 401 to a token it revoked or forgot. Time-outs and the pool come from the config;
redirects are not followed. The log records the operation, the status and the duration of each
exchange, never a body or a query (they carry enterprise codes and representatives' names).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any

import httpx
from authlib.integrations.httpx_client import AsyncOAuth2Client

from adapters.business_registry.config import BusinessRegistryConfig
from adapters.business_registry.reply import check_token_response

log = logging.getLogger("adapters.business_registry")

_OPERATION = "lienthong.operation"
_STARTED = "lienthong.started"


class RegistryChannel:
    """Authenticated GETs to the registry, re-fetching the token once if it is refused.

    The reply to the second attempt is returned as is, so a second refusal reaches the reply
    reader and becomes ``AuthError``.
    """

    def __init__(
        self, config: BusinessRegistryConfig, transport: httpx.AsyncBaseTransport | None
    ) -> None:
        self._http: Any = AsyncOAuth2Client(
            client_id=config.client_id,
            client_secret=config.client_secret,
            token_endpoint=config.token_path,
            grant_type="client_credentials",
            leeway=config.token_leeway,
            base_url=config.base_url,
            timeout=httpx.Timeout(config.timeout),
            limits=httpx.Limits(
                max_connections=config.max_connections,
                max_keepalive_connections=config.max_connections,
            ),
            event_hooks={"request": [_record_start], "response": [_log_exchange]},
            transport=transport,
        )
        self._http.register_compliance_hook("access_token_response", check_token_response)
        self._fetching = asyncio.Lock()

    async def get(
        self, operation: str, path: str, params: Mapping[str, str] | None = None
    ) -> httpx.Response:
        if self._http.token is None:
            await self._fetch_token(stale=None)
        response = await self._get(operation, path, params)
        if response.status_code == httpx.codes.UNAUTHORIZED:
            await self._fetch_token(stale=_bearer_of(response.request))
            response = await self._get(operation, path, params)
        return response

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _get(
        self, operation: str, path: str, params: Mapping[str, str] | None
    ) -> httpx.Response:
        response: httpx.Response = await self._http.get(
            path, params=params, extensions={_OPERATION: operation}
        )
        return response

    async def _fetch_token(self, stale: str | None) -> None:
        async with self._fetching:
            current = self._http.token
            if current is not None and current.get("access_token") != stale:
                return
            await self._http.fetch_token(grant_type="client_credentials")


def _bearer_of(request: httpx.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None


async def _record_start(request: httpx.Request) -> None:
    request.extensions[_STARTED] = time.perf_counter()


async def _log_exchange(response: httpx.Response) -> None:
    request = response.request
    started = request.extensions.get(_STARTED)
    elapsed_ms = (time.perf_counter() - started) * 1000 if isinstance(started, float) else -1.0
    log.log(
        logging.INFO if response.is_success else logging.WARNING,
        "business_registry %s: HTTP %d in %.0f ms",
        request.extensions.get(_OPERATION) or "token",
        response.status_code,
        elapsed_ms,
    )
