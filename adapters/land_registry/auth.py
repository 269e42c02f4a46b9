"""OAuth2 resource-owner password grant over authlib, as the land systems ask for it.

The land system's token endpoint takes the province's account (``username``, ``password``)
with the client's id and secret (``grant_type=password``) and hands out a bearer token
(``NATIONAL-SYSTEMS.md`` §1d). authlib's ``AsyncOAuth2Client`` attaches the token and reads the
token endpoint's replies (through ``adapters.oauth2.token_response_check``, so its failures
fall in the error tree as every adapter's do); what it leaves to its caller is done here: the
first fetch and each renewal before the token expires (within ``leeway`` seconds, checked here:
authlib, which would refuse a token within its own leeway for want of a refresh token, is given
none; no refresh token is counted on), shared by concurrent calls, and one fresh token when the
system refuses one it forgot. The reply to the second attempt is returned as is, so the reply
reader sees a second refusal.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from adapters.authlib_httpx import AsyncOAuth2Client
from adapters.land_registry.config import LandRegistryConfig
from adapters.land_registry.port import SYSTEM
from adapters.oauth2 import token_response_check


class PasswordGrant:
    """An HTTP client whose calls carry a password-grant bearer token of the province's
    account; ``options`` go to ``httpx.AsyncClient``."""

    def __init__(self, config: LandRegistryConfig, **options: Any) -> None:
        self._config = config
        self._http: Any = AsyncOAuth2Client(
            client_id=config.client_id,
            client_secret=config.client_secret,
            token_endpoint=config.token_path,
            grant_type="password",
            leeway=0,
            **options,
        )
        self._http.register_compliance_hook("access_token_response", token_response_check(SYSTEM))
        self._fetching = asyncio.Lock()

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """``httpx.AsyncClient.request`` with the token, fetched anew once if refused."""
        token = self._http.token
        if token is None or token.is_expired(leeway=self._config.token_leeway):
            await self._fetch_token(stale=None if token is None else token["access_token"])
        response: httpx.Response = await self._http.request(method, url, **kwargs)
        if response.status_code == httpx.codes.UNAUTHORIZED:
            await self._fetch_token(stale=_bearer_of(response.request))
            response = await self._http.request(method, url, **kwargs)
        return response

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _fetch_token(self, stale: str | None) -> None:
        async with self._fetching:
            current = self._http.token
            if (
                current is not None
                and current.get("access_token") != stale
                and not current.is_expired(leeway=self._config.token_leeway)
            ):
                return
            await self._http.fetch_token(
                grant_type="password",
                username=self._config.username,
                password=self._config.password,
            )


def _bearer_of(request: httpx.Request) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token if scheme.lower() == "bearer" and token else None
