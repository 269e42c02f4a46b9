"""The data-sharing platform's signed headers, checked as the registry checks them.

Every SOAP POST carries ``Timestamp`` (epoch milliseconds), ``Authorization`` (``Basic
base64(user:sha256hex(url + user + timestamp + secret))``, ``url`` being the request URL as the
client sent it: scheme, host, port if any, path, no query), ``X-Road-Client`` and ``ApiKey``.
A request is refused, with the header and the rule named, when a header is missing, the user,
API key or X-Road client is unknown, the signature does not match, the timestamp is more than
``window`` seconds from the registry's clock, or the same ``Authorization`` value was accepted
before within the window (a replay).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass

HEADERS = ("Timestamp", "Authorization", "X-Road-Client", "ApiKey")
DEFAULT_WINDOW_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class Account:
    """A platform account: who may call, with which secret, API key and X-Road identifier."""

    user: str
    secret: str
    api_key: str
    xroad_client: str


DEFAULT_ACCOUNT = Account(
    user="lienthong",
    secret="lienthong-dev",  # noqa: S106 (the documented secret of the mock's account)
    api_key="lienthong-dev-key",
    xroad_client="VN/GOV/000.00.00.H56/LIENTHONG",
)


class HeaderRefused(Exception):
    """A signed header that fails a rule; ``header`` names it, ``str()`` says which rule."""

    def __init__(self, header: str, message: str) -> None:
        super().__init__(f"{header}: {message}")
        self.header = header


def signature(url: str, user: str, timestamp: str, secret: str) -> str:
    """``sha256hex(url + user + timestamp + secret)``."""
    return hashlib.sha256(f"{url}{user}{timestamp}{secret}".encode()).hexdigest()


def authorization(url: str, user: str, timestamp: str, secret: str) -> str:
    """The ``Authorization`` value a client sends for this request."""
    token = f"{user}:{signature(url, user, timestamp, secret)}"
    return f"Basic {base64.b64encode(token.encode()).decode('ascii')}"


class SignedHeaders:
    """Checks the headers of each request against the accounts, the clock and recent calls."""

    def __init__(
        self,
        accounts: Mapping[str, Account],
        clock: Callable[[], float],
        window_seconds: float = DEFAULT_WINDOW_SECONDS,
    ) -> None:
        self.accounts = accounts
        self.clock = clock
        self.window = window_seconds
        self._seen: dict[str, float] = {}

    def reset(self) -> None:
        self._seen.clear()

    def __len__(self) -> int:
        return len(self._seen)

    def check(self, url: str, headers: Mapping[str, str]) -> Account:
        """The account that signed the request; ``HeaderRefused`` naming the first broken rule."""
        for name in HEADERS:
            if not headers.get(name):
                raise HeaderRefused(name, "missing; every request must carry this header")
        timestamp = headers["Timestamp"]
        now = self.clock()
        if not timestamp.isdigit():
            raise HeaderRefused("Timestamp", f"{timestamp!r} is not epoch milliseconds")
        skew = abs(int(timestamp) / 1000 - now)
        if skew > self.window:
            raise HeaderRefused(
                "Timestamp",
                f"{skew:.0f} s from the registry's clock, "
                f"more than the {self.window:.0f} s allowed",
            )
        user, signed = self._credentials(headers["Authorization"])
        account = self.accounts.get(user)
        if account is None:
            raise HeaderRefused("Authorization", f"unknown user {user!r}")
        if not hmac.compare_digest(headers["ApiKey"], account.api_key):
            raise HeaderRefused("ApiKey", f"not an API key of user {user!r}")
        if headers["X-Road-Client"] != account.xroad_client:
            raise HeaderRefused(
                "X-Road-Client", f"{headers['X-Road-Client']!r} is not the client of user {user!r}"
            )
        expected = signature(url, user, timestamp, account.secret)
        if not hmac.compare_digest(signed.lower(), expected):
            raise HeaderRefused(
                "Authorization",
                f"signature does not match sha256hex(url + user + timestamp + secret) "
                f"with url {url}",
            )
        self._forget_older_than(now - self.window)
        if headers["Authorization"] in self._seen:
            raise HeaderRefused(
                "Authorization",
                f"replay: this value was already used in the last {self.window:.0f} s",
            )
        self._seen[headers["Authorization"]] = now
        return account

    @staticmethod
    def _credentials(value: str) -> tuple[str, str]:
        scheme, _, encoded = value.partition(" ")
        if scheme.lower() != "basic" or not encoded:
            raise HeaderRefused("Authorization", "must be Basic base64(user:signature)")
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, ValueError):
            raise HeaderRefused("Authorization", "the Basic credentials are not base64") from None
        user, colon, signed = decoded.partition(":")
        if not colon or not user or not signed:
            raise HeaderRefused("Authorization", "the Basic credentials are not user:signature")
        return user, signed

    def _forget_older_than(self, cutoff: float) -> None:
        for value in [v for v, seen in self._seen.items() if seen < cutoff]:
            del self._seen[value]
