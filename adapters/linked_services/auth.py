"""The system's own sign-in: ``userName`` and ``password`` for a token and a refresh token.

Not OAuth2, so it is an ``httpx.Auth`` of its own, as httpx means custom schemes to be written:
every request carries ``Authorization: Bearer <token>``; the first request signs in; a request
answered 401 trades the refresh token for a new token (or, when that is refused or there is
none, signs in again) and is sent once more. Concurrent requests share one sign-in: whoever finds
the token stale renews it, the others wait and use the new one. A second 401 is returned as is,
for the reply reader to make an ``AuthError`` of it. Sign-in requests go through the same client,
so they are logged and counted as ``token`` and ``refresh``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator

import httpx

from adapters.client import tagged
from adapters.errors import AuthError
from adapters.linked_services.config import LinkedServicesConfig
from adapters.linked_services.reply import read_token


class TokenAuth(httpx.Auth):
    def __init__(self, config: LinkedServicesConfig) -> None:
        self._config = config
        self._base = config.url.rstrip("/")
        self._token: str | None = None
        self._refresh: str | None = None
        self._renewing = asyncio.Lock()

    def _sign_in(self) -> httpx.Request:
        return httpx.Request(
            "POST",
            self._base + self._config.token_path,
            json={"userName": self._config.username, "password": self._config.password},
            extensions=tagged("token"),
        )

    def _refreshing(self, stale: str, refresh: str) -> httpx.Request:
        return httpx.Request(
            "POST",
            self._base + self._config.refresh_path,
            json={"token": stale, "refreshToken": refresh},
            extensions=tagged("refresh"),
        )

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._token is None:
            async with self._renewing:
                if self._token is None:
                    self._token, self._refresh = read_token(await _read((yield self._sign_in())))
        sent_with = self._token
        request.headers["Authorization"] = f"Bearer {sent_with}"
        response = yield request
        if response.status_code != httpx.codes.UNAUTHORIZED:
            return
        async with self._renewing:
            if self._token == sent_with:
                self._token = None
                if self._refresh is not None:
                    refreshed = yield self._refreshing(sent_with, self._refresh)
                    try:
                        self._token, self._refresh = read_token(await _read(refreshed))
                    except AuthError:
                        self._refresh = None
                if self._token is None:
                    self._token, self._refresh = read_token(await _read((yield self._sign_in())))
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request

    def forget(self) -> None:
        """Drop the token (sign in again at the next request)."""
        self._token = self._refresh = None


async def _read(response: httpx.Response) -> httpx.Response:
    await response.aread()
    return response
