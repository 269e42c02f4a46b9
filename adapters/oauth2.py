"""OAuth2 client credentials over authlib, with what authlib leaves to its caller.

authlib's ``AsyncOAuth2Client`` attaches the token and, before each call, replaces one that
expires within ``leeway`` seconds. ``ClientCredentials`` adds the first fetch, shared by
concurrent calls, one re-fetch when the server refuses a token it revoked or forgot, and the
reading of token endpoint failures authlib would misread (``token_response_check``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, Protocol

import httpx

from adapters.authlib_httpx import AsyncOAuth2Client
from adapters.errors import AuthError, TransientError
from adapters.failures import response_failure

TokenHook = Callable[[httpx.Response], httpx.Response]
Refusal = Callable[[httpx.Response], bool]


class ClientSettings(Protocol):
    """The OAuth2 client fields of an adapter's config."""

    @property
    def client_id(self) -> str: ...
    @property
    def client_secret(self) -> str: ...
    @property
    def token_path(self) -> str: ...
    @property
    def token_leeway(self) -> float: ...


def token_response_check(system: str) -> TokenHook:
    """A hook on token endpoint replies (authlib's ``access_token_response`` compliance hook):
    overload and outage become transient with ``Retry-After``, a 2xx that is not a token
    transient too. Refusals in the OAuth2 error format are left to authlib, which raises
    ``OAuthError``, translated to ``AuthError`` by ``adapters.failures``."""

    def check(response: httpx.Response) -> httpx.Response:
        failure = response_failure(system, response, "token")
        if isinstance(failure, TransientError) and not isinstance(failure, AuthError):
            raise failure
        try:
            body = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None
        if isinstance(body, dict) and (
            "error" in body or (failure is None and "access_token" in body)
        ):
            return response
        raise failure or TransientError(
            system, f"token: HTTP {response.status_code} without a token"
        )

    return check


class ClientCredentials:
    """An HTTP client whose calls carry a client-credentials Bearer token.

    ``system`` names the national system in errors; ``refused`` says whether a reply refuses
    the token. ``options`` go to ``httpx.AsyncClient`` (base URL, time-outs, hooks, transport).

    A caller may rely on: a token is fetched once and shared by concurrent calls; at most one
    re-fetch per refusal; the reply to the second attempt is returned as is, so the caller's
    reply reader sees a second refusal.
    """

    def __init__(
        self,
        *,
        system: str,
        client_id: str,
        client_secret: str,
        token_endpoint: str,
        leeway: float,
        refused: Refusal,
        **options: Any,
    ) -> None:
        self._http: Any = AsyncOAuth2Client(
            client_id=client_id,
            client_secret=client_secret,
            token_endpoint=token_endpoint,
            grant_type="client_credentials",
            leeway=leeway,
            **options,
        )
        self._http.register_compliance_hook("access_token_response", token_response_check(system))
        self._refused = refused
        self._fetching = asyncio.Lock()

    @classmethod
    def of(
        cls, system: str, config: ClientSettings, *, refused: Refusal, **options: Any
    ) -> ClientCredentials:
        """The client of ``config`` (id, secret, token path, leeway) towards ``system``."""
        return cls(
            system=system,
            client_id=config.client_id,
            client_secret=config.client_secret,
            token_endpoint=config.token_path,
            leeway=config.token_leeway,
            refused=refused,
            **options,
        )

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """``httpx.AsyncClient.request`` with the token, re-fetched once if it is refused."""
        if self._http.token is None:
            await self._fetch_token(stale=None)
        response = await self._send(method, url, **kwargs)
        if self._refused(response):
            await self._fetch_token(stale=_bearer_of(response.request))
            response = await self._send(method, url, **kwargs)
        return response

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        response: httpx.Response = await self._http.request(method, url, **kwargs)
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
