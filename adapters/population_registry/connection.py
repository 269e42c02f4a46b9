"""The one HTTP client towards the population registry, and zeep's transport over it.

A caller may rely on:

- every request carries the platform's signed headers (``adapters.population_registry.signing``);
- time-outs, the connection pool and the log hooks come from ``PopulationRegistryConfig``;
  redirects are not followed (the signature covers the URL, and a moved endpoint is a
  configuration to fix);
- nothing is fetched from the network to load the WSDL: the WSDL client refuses every request;
- the log records the operation, the HTTP status and the duration of each exchange, never a
  body or a header: bodies carry personal IDs and names, headers the account's signature;
- ``exchange_seen()`` exposes the HTTP status and ``Retry-After`` behind a failure, which zeep's
  ``Fault`` and ``TransportError`` do not carry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

import httpx
from zeep.transports import AsyncTransport

from adapters.population_registry.config import PopulationRegistryConfig
from adapters.retry import parse_retry_after

log = logging.getLogger("adapters.population_registry")

_STARTED = "lienthong.started"


@dataclass(slots=True)
class Exchange:
    """The HTTP status and ``Retry-After`` (seconds) of the last reply within one attempt."""

    status: int | None = None
    retry_after: float | None = None


_exchange: ContextVar[Exchange | None] = ContextVar("population_registry_exchange", default=None)


@contextmanager
def exchange_seen() -> Iterator[Exchange]:
    """Record what the HTTP layer sees of the replies to calls made inside the block."""
    exchange = Exchange()
    token = _exchange.set(exchange)
    try:
        yield exchange
    finally:
        _exchange.reset(token)


class _NoNetwork(httpx.BaseTransport):
    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(
            f"the population registry contract is loaded from package data only, not {request.url}",
            request=request,
        )


class RegistryTransport(AsyncTransport):
    """zeep's ``AsyncTransport`` over our ``httpx.AsyncClient``, without logging bodies."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        wsdl_client = httpx.Client(transport=_NoNetwork())
        # zeep's __init__ is unannotated
        super().__init__(client=http, wsdl_client=wsdl_client)  # type: ignore[no-untyped-call]

    async def post(
        self, address: str, message: bytes, headers: Mapping[str, str]
    ) -> httpx.Response:
        http: httpx.AsyncClient = self.client
        return await http.post(address, content=message, headers=headers)

    async def aclose(self) -> None:
        """Close the pool of the shared HTTP client and the (idle) WSDL client."""
        self.wsdl_client.close()
        await self.client.aclose()


def http_client(
    config: PopulationRegistryConfig,
    auth: httpx.Auth,
    transport: httpx.AsyncBaseTransport | None,
) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` every call to the registry goes through, signed by ``auth``.

    ``transport`` replaces the network, e.g. with ``httpx.ASGITransport`` around the mock.
    """
    return httpx.AsyncClient(
        auth=auth,
        timeout=httpx.Timeout(config.timeout),
        limits=httpx.Limits(
            max_connections=config.max_connections,
            max_keepalive_connections=config.max_connections,
        ),
        event_hooks={"request": [_record_start], "response": [_log_exchange]},
        transport=transport,
    )


def _operation(request: httpx.Request) -> str:
    action = request.headers.get("SOAPAction", "").strip('"')
    return action.rsplit("/", 1)[-1] or request.url.path


async def _record_start(request: httpx.Request) -> None:
    request.extensions[_STARTED] = time.perf_counter()


async def _log_exchange(response: httpx.Response) -> None:
    request = response.request
    started = request.extensions.get(_STARTED)
    elapsed_ms = (time.perf_counter() - started) * 1000 if isinstance(started, float) else -1.0
    log.log(
        logging.INFO if response.is_success else logging.WARNING,
        "population_registry %s: HTTP %d in %.0f ms",
        _operation(request),
        response.status_code,
        elapsed_ms,
    )
    exchange = _exchange.get()
    if exchange is not None:
        exchange.status = response.status_code
        exchange.retry_after = parse_retry_after(response.headers.get("Retry-After"))
