"""The one HTTP client towards the axis, and zeep's transport over it.

A caller may rely on:

- time-outs, the connection pool and the log hooks are the same for every call, from
  ``AxisConfig``;
- nothing is ever fetched from the network to load the WSDL: the client for WSDL and XSD
  loading refuses every request, and the contract ships inside the package;
- the log records the operation, the HTTP status and the duration of every exchange, never a
  body: requests carry the account's password (WS-Security PasswordText) and packages carry
  personal names. zeep's own transport would log whole messages at DEBUG, so ``AxisTransport``
  sends without that log;
- ``exchange_seen()`` exposes the HTTP status, ``Retry-After`` and ``Location`` of the exchange
  behind a failure, which zeep's ``Fault`` and ``TransportError`` do not carry.
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

from adapters.document_axis.config import AxisConfig
from adapters.retry import parse_retry_after

log = logging.getLogger("adapters.document_axis")

_STARTED = "lienthong.started"


@dataclass(slots=True)
class Exchange:
    """The HTTP status, ``Retry-After`` (seconds) and ``Location`` of the last reply within one
    attempt."""

    status: int | None = None
    retry_after: float | None = None
    location: str | None = None


_exchange: ContextVar[Exchange | None] = ContextVar("document_axis_exchange", default=None)


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
            f"the document axis contract is loaded from package data only, not {request.url}",
            request=request,
        )


class AxisTransport(AsyncTransport):
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
    config: AxisConfig, transport: httpx.AsyncBaseTransport | None
) -> httpx.AsyncClient:
    """The ``httpx.AsyncClient`` every call to the axis goes through.

    ``transport`` replaces the network, e.g. with ``httpx.ASGITransport`` around the mock.
    Redirects are not followed: a SOAP endpoint that redirects is misconfigured.
    """
    return httpx.AsyncClient(
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
        "document_axis %s: HTTP %d in %.0f ms",
        _operation(request),
        response.status_code,
        elapsed_ms,
    )
    exchange = _exchange.get()
    if exchange is not None:
        exchange.status = response.status_code
        exchange.retry_after = parse_retry_after(response.headers.get("Retry-After"))
        exchange.location = response.headers.get("Location")
