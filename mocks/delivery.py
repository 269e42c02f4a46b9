"""How a mock's reply goes on the wire, and the ways an injected fault keeps it from arriving.

A real network loses replies in ways an HTTP status cannot express: the connection is reset,
the server never answers, the body stops half-way, or arrives whole but garbled. ``Delivery``
is the ASGI response a mock hands back for every request; it sends the reply as its ``Plan``
says and then reports what the client got (``Sent``), so the journal records what really
happened and when it ended.

Dropping a connection needs the server's transport, which ASGI does not expose. Under uvicorn
the ``receive`` callable is a method of the request's cycle, which holds the connection's
``asyncio.Transport``; that is where the mock finds it. A reset sets ``SO_LINGER`` to zero and
aborts, so the client sees a TCP RST and no HTTP answer at all; a truncated body is flushed and
the connection closed, so the client sees fewer bytes than it was promised. Served in process
(``httpx.ASGITransport``) there is no connection to drop, and ``ConnectionDropped`` is raised to
the client instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send

Way = Literal["reply", "truncate", "malformed", "hang", "reset"]
Framing = Literal["content-length", "chunked"]

#: How long to wait for the server to notice a connection the mock dropped.
_DROP_SETTLE_S = 5.0
_CONTENT_LENGTH = b"content-length"
#: Not JSON and not well-formed XML: what a malformed empty body becomes.
_GARBLED = b"<"


class ConnectionDropped(ConnectionError):
    """The mock dropped the connection but runs without one (in process): the client's error."""


@dataclass(frozen=True, slots=True)
class Plan:
    """How to deliver a reply: as it is, or one of the ways of losing it.

    ``keep`` is the share of the body a truncated reply sends, ``framing`` whether it declared
    the whole length or streamed chunks; ``hang_s`` is how long a hang lasts at most.
    """

    way: Way = "reply"
    keep: float = 0.5
    framing: Framing = "content-length"
    hang_s: float = 30.0


REPLY = Plan()


@dataclass(frozen=True, slots=True)
class Sent:
    """What the client got: the status it was sent (``None``: no HTTP answer) and how it ended."""

    status: int | None
    effect: str | None = None


def _transport_of(receive: Receive) -> asyncio.Transport | None:
    """The connection under a request served by uvicorn, else ``None``."""
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    return transport if isinstance(transport, asyncio.Transport) else None


async def _disconnected(receive: Receive) -> None:
    """Return once the server reports the client gone (reading any request body left)."""
    message: Message = await receive()
    while message["type"] != "http.disconnect":
        message = await receive()


async def _drop(receive: Receive, *, reset: bool) -> bool:
    """Close the connection under this request (RST if ``reset``); False when there is none."""
    transport = _transport_of(receive)
    if transport is None:
        return False
    if reset:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    else:
        transport.close()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(_disconnected(receive), _DROP_SETTLE_S)
    return True


def _headers_for(reply: Response, length: int | None) -> list[tuple[bytes, bytes]]:
    """The reply's headers with ``Content-Length`` set to ``length`` (left out when ``None``)."""
    headers = [(k, v) for k, v in reply.raw_headers if k != _CONTENT_LENGTH]
    if length is not None:
        headers.append((_CONTENT_LENGTH, str(length).encode()))
    return headers


class Delivery(Response):
    """The response of one exchange: ``reply`` delivered as ``plan`` says, then ``done`` told.

    It carries the reply's status, headers and body as a ``Response`` would, so code that looks
    at it sees the reply (status 0 and no body when a reset or a hang leaves none); only sending
    differs.
    """

    def __init__(self, reply: Response | None, plan: Plan, done: Callable[[Sent], None]) -> None:
        self.status_code = reply.status_code if reply is not None else 0
        self.body = reply.body if reply is not None else b""
        self.raw_headers = list(reply.raw_headers) if reply is not None else []
        self.background = None
        self._reply = reply
        self._plan = plan
        self._done = done

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        sent, dropped = await self._deliver(scope, receive, send)
        self._done(sent)
        if dropped is False:
            raise ConnectionDropped(sent.effect or "the mock dropped the connection")

    async def _deliver(
        self, scope: Scope, receive: Receive, send: Send
    ) -> tuple[Sent, bool | None]:
        """What the client got, and whether a connection was dropped (``None``: none needed)."""
        plan, reply = self._plan, self._reply
        if plan.way == "reset":
            return Sent(None, "connection reset"), await _drop(receive, reset=True)
        if plan.way == "hang":
            return await self._hang(receive)
        assert reply is not None
        body = reply.body
        if plan.way == "malformed":
            garbled = body[: len(body) // 2] or _GARBLED
            await send(
                {
                    "type": "http.response.start",
                    "status": reply.status_code,
                    "headers": _headers_for(reply, len(garbled)),
                }
            )
            await send({"type": "http.response.body", "body": garbled})
            effect = f"malformed: sent {len(garbled)} of {len(body)} bytes"
            return Sent(reply.status_code, effect), None
        if plan.way == "truncate":
            declared = len(body) if plan.framing == "content-length" else None
            cut = body[: int(len(body) * plan.keep)]
            await send(
                {
                    "type": "http.response.start",
                    "status": reply.status_code,
                    "headers": _headers_for(reply, declared),
                }
            )
            if cut:
                await send({"type": "http.response.body", "body": cut, "more_body": True})
            effect = f"truncated: sent {len(cut)} of {len(body)} bytes ({plan.framing})"
            return Sent(reply.status_code, effect), await _drop(receive, reset=False)
        await reply(scope, receive, send)
        return Sent(reply.status_code), None

    async def _hang(self, receive: Receive) -> tuple[Sent, bool | None]:
        started = time.monotonic()
        try:
            await asyncio.wait_for(_disconnected(receive), self._plan.hang_s)
        except TimeoutError:
            effect = f"hung {self._plan.hang_s:g} s, the limit; connection reset"
            return Sent(None, effect), await _drop(receive, reset=True)
        waited = time.monotonic() - started
        return Sent(None, f"hung until the client gave up after {waited:.3f} s"), None
