"""How the one HTTP client towards the portal is set up: time-outs, pool size, log hooks.

Both authentication styles build their client from ``client_options`` so that the policy is the
same whichever style a province uses. The log hooks record the service, the status and the
duration of every exchange, never a body: bodies carry personal names and ID numbers. Every
request says which gateway process sent it (``X-Lienthong-Replica: <hostname>:<pid>``), so the
national side, and the mocks' journal in tests, can tell several replicas apart.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable
from typing import Any, TypedDict

import httpx

from adapters.national_portal.config import PortalConfig

log = logging.getLogger("adapters.national_portal")

_SERVICE = "lienthong.service"
_STARTED = "lienthong.started"

REPLICA_HEADER = "X-Lienthong-Replica"
_HOSTNAME = socket.gethostname()


class ClientOptions(TypedDict):
    base_url: str
    timeout: httpx.Timeout
    limits: httpx.Limits
    event_hooks: dict[str, list[Callable[..., Any]]]
    transport: httpx.AsyncBaseTransport | None


def client_options(
    config: PortalConfig, transport: httpx.AsyncBaseTransport | None
) -> ClientOptions:
    """Keyword arguments for ``httpx.AsyncClient`` (or a subclass) talking to the portal.

    ``transport`` replaces the network, e.g. with ``httpx.ASGITransport`` around a mock app.
    """
    return ClientOptions(
        base_url=config.base_url,
        timeout=httpx.Timeout(config.timeout),
        limits=httpx.Limits(
            max_connections=config.max_connections,
            max_keepalive_connections=config.max_connections,
        ),
        event_hooks={"request": [_record_start], "response": [_log_exchange]},
        transport=transport,
    )


def tagged(service: str) -> dict[str, object]:
    """Request extensions naming the portal service, so the log hooks can say which it was."""
    return {_SERVICE: service}


def replica() -> str:
    """This gateway process as ``<hostname>:<pid>``, the value of ``X-Lienthong-Replica``."""
    return f"{_HOSTNAME}:{os.getpid()}"


async def _record_start(request: httpx.Request) -> None:
    request.headers[REPLICA_HEADER] = replica()
    request.extensions[_STARTED] = time.perf_counter()


async def _log_exchange(response: httpx.Response) -> None:
    request = response.request
    started = request.extensions.get(_STARTED)
    elapsed_ms = (time.perf_counter() - started) * 1000 if isinstance(started, float) else -1.0
    service = request.extensions.get(_SERVICE) or request.url.path
    log.log(
        logging.INFO if response.is_success else logging.WARNING,
        "national_portal %s: HTTP %d in %.0f ms",
        service,
        response.status_code,
        elapsed_ms,
    )
