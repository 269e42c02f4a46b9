"""Platform-style authentication: OAuth2 client credentials tokens, opaque and short-lived.

The integration platform (LGSP/NGSP) issues a bearer token to a known client for
``lifetime_seconds``; there is no refresh token, a client asks again. Expiry is checked against
an injectable monotonic clock, so tests can move time without sleeping.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Mapping
from enum import StrEnum

Clock = Callable[[], float]


class TokenState(StrEnum):
    valid = "valid"
    unknown = "unknown"
    expired = "expired"


class TokenStore:
    """The clients allowed to ask for tokens, and the tokens handed out."""

    def __init__(self, clients: Mapping[str, str], lifetime_seconds: int, clock: Clock) -> None:
        self._clients = dict(clients)
        self.lifetime_seconds = lifetime_seconds
        self._clock = clock
        self._expiry: dict[str, float] = {}

    def issue(self, client_id: str, client_secret: str) -> str | None:
        """A new token for a known client with the right secret, else None.

        Expired tokens are forgotten here; a later call with one of them answers ``unknown``.
        """
        expected = self._clients.get(client_id)
        if expected is None or not hmac.compare_digest(expected.encode(), client_secret.encode()):
            return None
        now = self._clock()
        self._expiry = {t: expiry for t, expiry in self._expiry.items() if now < expiry}
        token = secrets.token_urlsafe(32)
        self._expiry[token] = now + self.lifetime_seconds
        return token

    def check(self, token: str) -> TokenState:
        expiry = self._expiry.get(token)
        if expiry is None:
            return TokenState.unknown
        if self._clock() >= expiry:
            del self._expiry[token]
            return TokenState.expired
        return TokenState.valid

    def revoke_all(self) -> int:
        """Revoke every token now; how many there were."""
        count = len(self._expiry)
        self._expiry.clear()
        return count

    def active(self) -> int:
        now = self._clock()
        return sum(1 for expiry in self._expiry.values() if now < expiry)
