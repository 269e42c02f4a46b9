"""The guarded client every adapter is built on: one HTTP pool, the guard, retries, deadlines.

An adapter subclasses ``GuardedClient``, names its ``system``, opens its HTTP client from
``http_options`` (plain, OAuth2 or under zeep) and sends every call through ``call``. What every
adapter then does alike, and a caller may rely on:

- one call goes through the system's guard (``adapters.guard``): it fails at once while the
  circuit is open, is retried by ``adapters.retry`` under the retry budget, and each attempt
  waits for the rate limit, then runs within ``config.deadline``;
- failures reach the caller only as ``adapters.errors`` errors: the adapter's own reading of
  its protocol (``failures``) inside, then ``adapters.failures`` for transport failures;
- every request says which gateway process sent it (``X-Lienthong-Replica: <host>:<pid>``)
  and, when one is bound (``bound_request_id``: the API binds the caller's, the worker the
  event's), the request it serves (``X-Request-ID``), so one id follows a dossier from the
  one-stop system's call to the national system's logs;
- every exchange is logged (operation, status, milliseconds; never a body, a header or a query:
  they carry personal data and credentials) on ``adapters.<system>`` and counted in the metrics
  ``lienthong_national_requests_total{system,outcome}`` and
  ``lienthong_national_request_seconds{system}``;
- redirects are not followed; ``aclose`` (or ``async with``) releases the pool.

``guard`` shares one guard with the composition root, which shows its state; without one the
client makes its own from the config. ``sleep`` replaces the waits between retries in tests.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from types import TracebackType
from typing import Any, ClassVar, Generic, Self, TypeVar

import httpx
from prometheus_client import Counter, Histogram
from pydantic_core import to_json

from adapters.config import SystemConfig
from adapters.failures import translated_failures
from adapters.guard import SystemGuard
from adapters.retry import Sleep

T = TypeVar("T")
C = TypeVar("C", bound=SystemConfig)

REPLICA_HEADER = "X-Lienthong-Replica"
REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID: ContextVar[str | None] = ContextVar("lienthong_request_id", default=None)
"""The id of the request (or event) being served, sent to national systems as ``X-Request-ID``."""
OPERATION = "lienthong.operation"
"""The request extension naming the operation, for the log and the metrics."""
_STARTED = "lienthong.started"
_HOSTNAME = socket.gethostname()

REQUESTS = Counter(
    "lienthong_national_requests",
    "HTTP exchanges with a national system, by outcome (2xx, 4xx, 5xx).",
    ["system", "outcome"],
)
REQUEST_SECONDS = Histogram(
    "lienthong_national_request_seconds",
    "Duration of one HTTP exchange with a national system.",
    ["system"],
)


def replica() -> str:
    """This gateway process as ``<hostname>:<pid>``, the value of ``X-Lienthong-Replica``."""
    return f"{_HOSTNAME}:{os.getpid()}"


@contextmanager
def bound_request_id(value: str | None) -> Iterator[None]:
    """Calls made inside the block carry ``X-Request-ID: value`` (none when ``value`` is None)."""
    token = REQUEST_ID.set(value)
    try:
        yield
    finally:
        REQUEST_ID.reset(token)


def json_body(body: object) -> dict[str, Any]:
    """``httpx`` request arguments sending ``body`` as JSON, pydantic models in it included,
    encoded by pydantic's serializer at once (httpx's ``json=`` would need them dumped to
    dicts first, then encode those with the standard library's, several times slower)."""
    return {"content": to_json(body), "headers": {"Content-Type": "application/json"}}


def tagged(operation: str) -> dict[str, object]:
    """Request extensions naming ``operation`` for the log and metrics hooks."""
    return {OPERATION: operation}


class GuardedClient(Generic[C]):
    """The plumbing every adapter shares; subclasses keep their port, wire mapping and auth.

    A subclass names its ``system`` and opens its connection in ``open``; ``transport``
    replaces the network (e.g. ``httpx.ASGITransport`` around a mock) and ``sleep`` the waits
    between retries (tests pass a fake).
    """

    system: ClassVar[str]
    """The national system's name, as ``AdapterError.system`` and the registry name it."""

    def __init__(
        self,
        config: C,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        guard: SystemGuard | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.config: C = config
        self.log = logging.getLogger(f"adapters.{self.system}")
        self.guard = guard or config.guard(self.system)
        self._retrying = self.guard.retrying(config, sleep=sleep, log=self.log)
        self._closers: list[Callable[[], Awaitable[None]]] = []
        self.open(transport)

    def open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        """Open the system's HTTP client (from ``http_options``) and register its ``aclose``
        with ``closes``; called once, at the end of construction."""

    def http_options(
        self, transport: httpx.AsyncBaseTransport | None, *, base_url: str | None = None
    ) -> dict[str, Any]:
        """Keyword arguments for ``httpx.AsyncClient`` (or a subclass such as authlib's) towards
        this system: time-outs, pool, hooks, no redirects; ``transport`` replaces the network
        (e.g. ``httpx.ASGITransport`` around a mock)."""
        options: dict[str, Any] = {
            "timeout": httpx.Timeout(self.config.timeout),
            "limits": httpx.Limits(
                max_connections=self.config.max_connections,
                max_keepalive_connections=self.config.max_connections,
            ),
            "event_hooks": {"request": [_record_start], "response": [self._record_exchange]},
            "follow_redirects": False,
            "transport": transport,
        }
        if base_url is not None:
            options["base_url"] = base_url
        return options

    def closes(self, close: Callable[[], Awaitable[None]]) -> None:
        """Register what ``aclose`` must release (an HTTP client's ``aclose``)."""
        self._closers.append(close)

    async def call(self, operation: str, attempt: Callable[[], Awaitable[T]]) -> T:
        """One call of ``operation``: ``attempt`` bounded by the deadline, its failures
        translated, retried and paced under the guard."""

        async def bounded() -> T:
            with translated_failures(self.system, operation), self.failures(operation):
                async with asyncio.timeout(self.config.deadline):
                    return await attempt()

        return await self.guard.call(self._retrying, bounded)

    def failures(self, operation: str) -> AbstractContextManager[object]:
        """The adapter's own reading of failures of its protocol (a SOAP Fault, say); runs
        inside the transport translation. None by default."""
        return nullcontext()

    async def aclose(self) -> None:
        """Release the connection pool; the adapter cannot be used afterwards."""
        for close in reversed(self._closers):
            await close()
        self._closers.clear()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _record_exchange(self, response: httpx.Response) -> None:
        request = response.request
        started = request.extensions.get(_STARTED)
        elapsed = time.perf_counter() - started if isinstance(started, float) else 0.0
        operation = request.extensions.get(OPERATION) or _soap_action(request) or "token"
        self.log.log(
            logging.INFO if response.is_success else logging.WARNING,
            "%s %s: HTTP %d in %.0f ms",
            self.system,
            operation,
            response.status_code,
            elapsed * 1000,
        )
        REQUESTS.labels(self.system, f"{response.status_code // 100}xx").inc()
        REQUEST_SECONDS.labels(self.system).observe(elapsed)
        await self.exchanged(response)

    async def exchanged(self, response: httpx.Response) -> None:
        """Called with every response after it is logged; SOAP adapters note its headers."""


def _soap_action(request: httpx.Request) -> str:
    action: str = request.headers.get("SOAPAction", "")
    return action.strip('"').rsplit("/", 1)[-1]


async def _record_start(request: httpx.Request) -> None:
    request.headers[REPLICA_HEADER] = replica()
    request_id = REQUEST_ID.get()
    if request_id and REQUEST_ID_HEADER not in request.headers:
        request.headers[REQUEST_ID_HEADER] = request_id
    request.extensions[_STARTED] = time.perf_counter()
