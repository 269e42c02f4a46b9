"""Signed tokens the gateway makes itself: its cookies and the hand-off assertion.

Cookies (the login in progress and the session) are JWTs signed HS256 with the session secret;
each names its purpose, so a login cookie is never taken for a session. The hand-off assertion
is a JWT signed RS256 with the gateway's own key, whose public half ``/.well-known/jwks.json``
publishes under the key's RFC 7638 thumbprint as ``kid``.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey, RSAKey

from mappings.identity import Identity


class BadToken(Exception):
    """A cookie or assertion is missing, tampered with, expired or meant for something else."""


class CookieSigner:
    def __init__(self, secret: str) -> None:
        self._key = OctKey.import_key(secret.encode())

    def sign(self, purpose: str, claims: dict[str, Any], *, seconds: int) -> str:
        now = int(time.time())
        payload = {**claims, "purpose": purpose, "iat": now, "exp": now + seconds}
        return jwt.encode({"alg": "HS256"}, payload, self._key, algorithms=["HS256"])

    def read(self, purpose: str, value: str | None) -> dict[str, Any]:
        if not value:
            raise BadToken("no cookie")
        try:
            token = jwt.decode(value, self._key, algorithms=["HS256"])
            jwt.JWTClaimsRegistry(
                exp={"essential": True}, purpose={"essential": True, "value": purpose}
            ).validate(token.claims)
        except (JoseError, ValueError) as error:
            raise BadToken(str(error)) from error
        return dict(token.claims)


class AssertionSigner:
    """Signs hand-off assertions with the gateway's RSA key (PEM, as ``gateway.keys`` loads it)."""

    def __init__(self, key_pem: bytes, *, issuer: str) -> None:
        self._key = RSAKey.import_key(key_pem)
        self.kid = self._key.thumbprint()
        self.issuer = issuer

    def jwks(self) -> dict[str, Any]:
        public = {**self._key.as_dict(private=False), "kid": self.kid, "use": "sig", "alg": "RS256"}
        return {"keys": [public]}

    def assertion(self, identity: Identity, *, audience: str, seconds: int = 120) -> str:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": audience,
            "sub": identity.account_id,
            "iat": now,
            "exp": now + seconds,
            "jti": secrets.token_urlsafe(16),
            "identity": identity.model_dump(mode="json"),
        }
        header = {"alg": "RS256", "kid": self.kid, "typ": "JWT"}
        return jwt.encode(header, claims, self._key, algorithms=["RS256"])
