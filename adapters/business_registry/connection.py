"""The one HTTP client towards the business registry: OAuth2 client credentials, Bearer calls.

``adapters.oauth2.ClientCredentials`` is the client: it attaches the token, replaces one that
expires within ``token_leeway`` seconds, and fetches a new one once when the registry answers
401 to a token it revoked or forgot. Time-outs and the pool come from the config;
redirects are not followed. The log records the operation, the status and the duration of each
exchange, never a body or a query (they carry enterprise codes and representatives' names).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

import httpx

from adapters.business_registry.config import BusinessRegistryConfig
from adapters.business_registry.reply import check_token_response
from adapters.oauth2 import ClientCredentials

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
        self._http = ClientCredentials(
            client_id=config.client_id,
            client_secret=config.client_secret,
            token_endpoint=config.token_path,
            leeway=config.token_leeway,
            check_token_response=check_token_response,
            refused=_unauthorized,
            base_url=config.base_url,
            timeout=httpx.Timeout(config.timeout),
            limits=httpx.Limits(
                max_connections=config.max_connections,
                max_keepalive_connections=config.max_connections,
            ),
            event_hooks={"request": [_record_start], "response": [_log_exchange]},
            transport=transport,
        )

    async def get(
        self, operation: str, path: str, params: Mapping[str, str] | None = None
    ) -> httpx.Response:
        return await self._http.request(
            "GET", path, params=params, extensions={_OPERATION: operation}
        )

    async def aclose(self) -> None:
        await self._http.aclose()


def _unauthorized(response: httpx.Response) -> bool:
    return response.status_code == httpx.codes.UNAUTHORIZED


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
