"""The one question the API asks of a bearer token: whose is it, and what may they do."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from joserfc.errors import JoseError
from joserfc.jws import extract_compact

from gateway.auth.clients import ApiClient
from gateway.auth.external import ExternalIssuer
from gateway.auth.limits import RateLimiter
from gateway.auth.tokens import InvalidToken, TokenIssuer


@dataclass(frozen=True, slots=True)
class Principal:
    name: str
    scopes: frozenset[str]
    per_minute: int


class Authenticator:
    def __init__(
        self,
        issuer: TokenIssuer,
        clients: Mapping[str, ApiClient],
        *,
        external: ExternalIssuer | None = None,
        external_per_minute: int = 600,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.issuer = issuer
        self.clients = clients
        self.external = external
        self.external_per_minute = external_per_minute
        self.limiter = limiter or RateLimiter()

    async def verify(self, token: str) -> Principal:
        """The principal behind a token, or ``InvalidToken`` saying why not. A token names its
        issuer; it is sent to the provider only when the provider is configured and named."""
        if self.external is not None and _issuer_of(token) == self.external.issuer:
            claims = await self.external.verify(token)
            return Principal(claims.subject, claims.scopes, self.external_per_minute)
        claims = self.issuer.verify(token)
        client = self.clients.get(claims.subject)
        if client is None:
            raise InvalidToken(f"client {claims.subject!r} is no longer configured")
        scopes = claims.scopes & frozenset(client.scopes)
        return Principal(claims.subject, scopes, client.per_minute)


def _issuer_of(token: str) -> str | None:
    try:
        payload = extract_compact(token.encode()).payload
    except (JoseError, ValueError):
        return None
    try:
        claims = json.loads(payload)
    except ValueError:
        return None
    issuer = claims.get("iss") if isinstance(claims, dict) else None
    return issuer if isinstance(issuer, str) else None
