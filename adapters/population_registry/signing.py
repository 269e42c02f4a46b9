"""The platform's signed headers, added to every request as an ``httpx.Auth``.

``Authorization: Basic base64(user:sha256hex(url + user + timestamp + secret))`` depends on the
exact URL of the request (scheme, host, port, path; no query), the ``Timestamp`` header (epoch
milliseconds) and the secret, so it is computed per request, from the request httpx is about to
send. The clock is injectable for tests.

The registry refuses a replay: the same ``Authorization`` twice within its window. Two requests
to one URL in the same millisecond would sign alike, so timestamps from one signer strictly
increase, by a millisecond when the clock has not moved.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable, Generator

import httpx

WallClock = Callable[[], float]
"""Seconds since the epoch; ``time.time`` in service, a fake in tests."""


def signed_url(url: httpx.URL) -> str:
    """The part of ``url`` that is signed: scheme, host, port and path, without the query."""
    return str(url.copy_with(query=None, fragment=None))


def signature(url: str, user: str, timestamp: str, secret: str) -> str:
    """``sha256hex(url + user + timestamp + secret)``."""
    return hashlib.sha256(f"{url}{user}{timestamp}{secret}".encode()).hexdigest()


class SignedHeaders(httpx.Auth):
    """Sets ``Timestamp``, ``Authorization``, ``X-Road-Client`` and ``ApiKey`` on each request."""

    def __init__(
        self,
        *,
        user: str,
        secret: str,
        api_key: str,
        x_road_client: str,
        clock: WallClock = time.time,
    ) -> None:
        self._user = user
        self._secret = secret
        self._api_key = api_key
        self._x_road_client = x_road_client
        self._clock = clock
        self._last_ms = 0

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        timestamp = str(self._next_timestamp())
        digest = signature(signed_url(request.url), self._user, timestamp, self._secret)
        token = base64.b64encode(f"{self._user}:{digest}".encode()).decode("ascii")
        request.headers["Timestamp"] = timestamp
        request.headers["Authorization"] = f"Basic {token}"
        request.headers["X-Road-Client"] = self._x_road_client
        request.headers["ApiKey"] = self._api_key
        yield request

    def _next_timestamp(self) -> int:
        now_ms = int(self._clock() * 1000)
        self._last_ms = max(now_ms, self._last_ms + 1)
        return self._last_ms
