"""The gateway's own access tokens: short-lived JWTs, HS256 under ``LIENTHONG_TOKEN_SECRET``.

A client sends the same token with every request until it expires, so a token's signature and
claims are checked once: what they said is kept (``VERIFIED_MAX`` tokens at most) until the
token's expiry, and a token past it is checked afresh, which refuses it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

LEEWAY = 30
"""Seconds of clock difference tolerated on ``exp`` (and on ``nbf``, ``iat``)."""

VERIFIED_MAX = 10_000
"""Most verified tokens kept; when full, the expired ones go, or else all of them."""


class InvalidToken(Exception):
    """A token that is malformed, forged, expired or not meant for this gateway."""


@dataclass(frozen=True, slots=True)
class Claims:
    subject: str
    scopes: frozenset[str]


def scopes_of(claims: dict[str, Any]) -> frozenset[str]:
    scope = claims.get("scope", "")
    return frozenset(scope.split()) if isinstance(scope, str) else frozenset()


def check_claims(claims: dict[str, Any], *, issuer: str, audience: str, now: float) -> Claims:
    """Issuer, audience, expiry and subject, with a message naming what is wrong."""
    registry = jwt.JWTClaimsRegistry(
        now=lambda: int(now),
        leeway=LEEWAY,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": audience},
        exp={"essential": True},
        sub={"essential": True},
    )
    try:
        registry.validate(claims)
    except JoseError as error:
        raise InvalidToken(f"{error.error}: {error.description}") from None
    return Claims(subject=str(claims["sub"]), scopes=scopes_of(claims))


class TokenIssuer:
    """Issues and verifies the gateway's tokens; only HS256 is accepted back."""

    def __init__(
        self,
        secret: str,
        *,
        issuer: str,
        audience: str,
        lifetime: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = OctKey.import_key(secret)
        self.issuer = issuer
        self.audience = audience
        self.lifetime = lifetime
        self._clock = clock
        self._verified: dict[str, tuple[Claims, float]] = {}

    def issue(self, client_id: str, scopes: list[str]) -> str:
        now = int(self._clock())
        claims = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": client_id,
            "scope": " ".join(scopes),
            "iat": now,
            "exp": now + self.lifetime,
            "jti": uuid.uuid4().hex,
        }
        return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims, self._key)

    def verify(self, token: str) -> Claims:
        """The claims of one of this gateway's tokens still valid, or ``InvalidToken``."""
        now = self._clock()
        known = self._verified.get(token)
        if known is not None and now <= known[1]:
            return known[0]
        claims, valid_until = self._verify(token, now)
        if len(self._verified) >= VERIFIED_MAX:
            self._forget_expired(now)
        self._verified[token] = (claims, valid_until)
        return claims

    def _forget_expired(self, now: float) -> None:
        self._verified = {t: kept for t, kept in self._verified.items() if now <= kept[1]}
        if len(self._verified) >= VERIFIED_MAX:
            self._verified.clear()

    def _verify(self, token: str, now: float) -> tuple[Claims, float]:
        """The token's claims and the last moment they hold (its expiry, with the leeway)."""
        try:
            decoded = jwt.decode(token, self._key, algorithms=["HS256"])
        except (JoseError, ValueError) as error:
            raise InvalidToken(f"not a token signed by this gateway ({error})") from None
        claims = check_claims(decoded.claims, issuer=self.issuer, audience=self.audience, now=now)
        return claims, float(decoded.claims["exp"]) + LEEWAY
