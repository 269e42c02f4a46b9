"""Style 2, through an integration platform (LGSP/NGSP): OAuth2 client credentials, Bearer calls.

authlib's ``AsyncOAuth2Client`` is the channel's HTTP client: it attaches the token, and before
each call replaces a token that expires within ``token_leeway`` seconds (``token_endpoint`` plus
``grant_type="client_credentials"``). The channel adds what authlib leaves to its caller: the
first fetch, and one re-fetch when the platform answers HTTP 401 to a token it revoked or forgot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx
from authlib.integrations.httpx_client import AsyncOAuth2Client

from adapters.national_portal.config import PortalConfig
from adapters.national_portal.connection import client_options, tagged
from adapters.national_portal.reply import check_token_response, refuses_credentials


class PlatformChannel:
    """Sends service calls to ``{base}{services_path}/{service}`` with the unit code in the body.

    A caller may rely on: a token is fetched once and shared by concurrent calls; at most one
    re-fetch per refusal; the reply of the second attempt is returned as is, so a second refusal
    reaches ``read_reply`` and becomes ``AuthError``.
    """

    def __init__(self, config: PortalConfig, transport: httpx.AsyncBaseTransport | None) -> None:
        self._config = config
        self._http: Any = AsyncOAuth2Client(
            client_id=config.client_id,
            client_secret=config.client_secret,
            token_endpoint=config.token_path,
            grant_type="client_credentials",
            leeway=config.token_leeway,
            **client_options(config, transport),
        )
        self._http.register_compliance_hook("access_token_response", check_token_response)
        self._fetching = asyncio.Lock()

    async def send(self, service: str, params: Mapping[str, object]) -> httpx.Response:
        if self._http.token is None:
            await self._fetch_token(stale=None)
        response = await self._post(service, params)
        if refuses_credentials(response):
            await self._fetch_token(stale=_bearer_of(response.request))
            response = await self._post(service, params)
        return response

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _post(self, service: str, params: Mapping[str, object]) -> httpx.Response:
        path = f"{self._config.services_path.rstrip('/')}/{service}"
        body = {"madonvi": self._config.unit_code, **params}
        response: httpx.Response = await self._http.post(
            path, json=body, extensions=tagged(service)
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
