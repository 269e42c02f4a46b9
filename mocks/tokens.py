"""OAuth2 client credentials for the mocks: opaque short-lived tokens, the grant, the bearer check.

The integration platform (LGSP/NGSP) and the registries issue a bearer token to a known client
for ``lifetime_seconds``; there is no refresh token, a client asks again. Expiry is checked
against an injectable monotonic clock, so tests can move time without sleeping. Every mock that
takes such tokens answers through ``ClientCredentials``, so they refuse alike.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
from collections.abc import Callable, Mapping
from enum import StrEnum
from urllib.parse import unquote

from mocks.admin import Reply
from mocks.stories import Call

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

    def expire_all(self) -> int:
        """Make every live token expire now, as if its lifetime had run out; how many there were.

        Unlike ``revoke_all`` the tokens stay known, so a client using one is told it expired.
        """
        now = self._clock()
        live = [t for t, expiry in self._expiry.items() if now < expiry]
        for token in live:
            self._expiry[token] = now
        return len(live)

    def expire(self, token: str) -> bool:
        """Make one live token expire now; False when it is not a live token."""
        now = self._clock()
        if self._expiry.get(token, now) <= now:
            return False
        self._expiry[token] = now
        return True

    def revoke_all(self) -> int:
        """Revoke every token now; how many there were."""
        count = len(self._expiry)
        self._expiry.clear()
        return count

    def active(self) -> int:
        now = self._clock()
        return sum(1 for expiry in self._expiry.values() if now < expiry)


class ClientCredentials:
    """The OAuth2 client-credentials grant and bearer check a mock answers with, in one realm.

    Replies follow RFC 6749 §5.2 and RFC 6750 §3: ``invalid_client`` with a Basic challenge,
    ``invalid_request`` and ``unsupported_grant_type`` for a bad grant, ``invalid_token`` with a
    Bearer challenge naming why the token was refused.
    """

    def __init__(self, tokens: TokenStore, realm: str) -> None:
        self.tokens = tokens
        self._basic = f'Basic realm="{realm}"'
        self._bearer = f'Bearer realm="{realm}"'

    def grant(self, form: Mapping[str, str], authorization: str) -> Reply:
        """The answer to ``POST /token`` with ``form`` and the ``Authorization`` header."""
        credentials = _basic_credentials(authorization)
        if credentials is None and "client_id" in form:
            credentials = (form["client_id"], form.get("client_secret", ""))
        if credentials is None:
            return _oauth_error(
                401, "invalid_client", "client authentication is required", self._basic
            )
        grant = form.get("grant_type")
        if not grant:
            return _oauth_error(400, "invalid_request", "grant_type: is required")
        if grant != "client_credentials":
            unsupported = f"grant_type: only client_credentials is supported, not {grant!r}"
            return _oauth_error(400, "unsupported_grant_type", unsupported)
        token = self.tokens.issue(*credentials)
        if token is None:
            refused = "unknown client or wrong secret"
            return _oauth_error(401, "invalid_client", refused, self._basic)
        issued = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.tokens.lifetime_seconds,
        }
        return Reply(issued, headers=NO_STORE)

    def unauthorised(self, authorization: str) -> Reply | None:
        """The 401 reply when ``authorization`` holds no valid bearer token, else None."""
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return _oauth_error(401, "invalid_token", "a bearer token is required", self._bearer)
        state = self.tokens.check(token)
        if state is TokenState.valid:
            return None
        why = "the access token expired" if state is TokenState.expired else "unknown token"
        challenge = f'{self._bearer}, error="invalid_token", error_description="{why}"'
        return _oauth_error(401, "invalid_token", why, challenge)


NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (unquote(client_id), unquote(secret)) if sep else None


def _oauth_error(status: int, error: str, description: str, challenge: str | None = None) -> Reply:
    headers = dict(NO_STORE)
    if challenge is not None:
        headers["WWW-Authenticate"] = challenge
    return Reply({"error": error, "error_description": description}, status, headers)


def bearer_of(call: Call) -> list[str]:
    """The bearer token a request carries, as a story entity of kind ``token``."""
    scheme, _, token = call.headers.get("authorization", "").partition(" ")
    return [token.strip()] if scheme.lower() == "bearer" and token.strip() else []
