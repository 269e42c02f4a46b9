"""Tokens of the province's own identity provider, checked against its published JWKS."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

from adapters.jwks import JwksCache
from gateway.auth.tokens import Claims, InvalidToken, check_claims

ALGORITHMS = ["RS256", "ES256"]


class ExternalIssuer:
    """Fetches the provider's keys on first use and again when a token names a key it has not
    seen (the provider rotated), at most once per ``JwksCache`` interval; accepts only RS256 and
    ES256."""

    def __init__(
        self,
        issuer: str,
        jwks_url: str,
        *,
        audience: str,
        http: httpx.AsyncClient,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.issuer = issuer
        self._jwks_url = jwks_url
        self._audience = audience
        self._http = http
        self._clock = clock
        self.keys = JwksCache(self._fetch)

    async def _fetch(self) -> KeySet:
        try:
            reply = await self._http.get(self._jwks_url)
            reply.raise_for_status()
            return KeySet.import_key_set(reply.json())
        except (httpx.HTTPError, ValueError) as error:
            raise InvalidToken(
                f"the identity provider's keys at {self._jwks_url} could not be read: {error}"
            ) from None

    async def verify(self, token: str) -> Claims:
        try:
            header = extract_compact(token.encode()).protected
        except (JoseError, ValueError) as error:
            raise InvalidToken(f"malformed token ({error})") from None
        if header.get("alg") not in ALGORITHMS:
            raise InvalidToken(f"algorithm {header.get('alg')!r} is not accepted")
        keys = await self.keys.for_kid(header.get("kid"))
        try:
            decoded = jwt.decode(token, keys, algorithms=ALGORITHMS)
        except (JoseError, ValueError) as error:
            raise InvalidToken(f"not signed by the identity provider ({error})") from None
        return check_claims(
            decoded.claims, issuer=self.issuer, audience=self._audience, now=self._clock()
        )
