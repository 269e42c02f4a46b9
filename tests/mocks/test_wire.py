"""A reply's head and body leave in one write, and nothing written is lost or reordered
(``mocks.wire``)."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from mocks.server import MocksServer
from mocks.wire import GatheredWrites


class _Socket(asyncio.Transport):
    """What reaches the socket: each write call, in order, and whether it was closed."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False
        self.aborted = False

    def write(self, data: Any) -> None:
        self.writes.append(bytes(data))

    def writelines(self, list_of_data: Any) -> None:
        self.writes.append(b"".join(bytes(d) for d in list_of_data))

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def is_closing(self) -> bool:
        return self.closed or self.aborted


async def _next_turn() -> None:
    await asyncio.sleep(0)


async def test_what_is_written_in_one_turn_reaches_the_socket_in_one_write() -> None:
    sock = _Socket()
    gathered = GatheredWrites(sock, asyncio.get_running_loop())

    gathered.write(b"HTTP/1.1 200 OK\r\n\r\n")
    gathered.write(b"{}")
    assert sock.writes == [], "nothing leaves before the turn ends"
    await _next_turn()
    gathered.write(b"next")
    await _next_turn()

    assert sock.writes == [b"HTTP/1.1 200 OK\r\n\r\n{}", b"next"]


async def test_closing_sends_what_is_gathered_first_and_aborting_drops_it() -> None:
    loop = asyncio.get_running_loop()
    closed, aborted = _Socket(), _Socket()
    for sock in (closed, aborted):
        gathered = GatheredWrites(sock, loop)
        gathered.write(b"head")
        gathered.write(b"body")
        gathered.close() if sock is closed else gathered.abort()
    await _next_turn()

    assert (closed.writes, closed.closed) == ([b"headbody"], True)
    assert (aborted.writes, aborted.aborted) == ([], True)


async def test_a_connection_the_client_left_gets_nothing_more() -> None:
    sock = _Socket()
    gathered = GatheredWrites(sock, asyncio.get_running_loop())

    gathered.write(b"late reply")
    sock.closed = True
    await _next_turn()

    assert sock.writes == []


def _app() -> Starlette:
    async def record(request: Request) -> Response:
        return Response(b"x" * 5000, media_type="application/octet-stream")

    async def stream(request: Request) -> Response:
        async def parts() -> Any:
            for n in range(3):
                await asyncio.sleep(0.01)
                yield f"part {n};".encode()

        return StreamingResponse(parts(), media_type="text/plain")

    return Starlette(routes=[Route("/record", record), Route("/stream", stream)])


def _exchange(port: int, requests: bytes, *, until: bytes | None = None) -> bytes:
    """Send ``requests`` on one connection; read until the server closes it, or ``until``."""
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(requests)
        while until is None or not received.endswith(until):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    return received


def test_replies_on_one_connection_arrive_whole_and_in_order() -> None:
    keep_alive = b"GET /record HTTP/1.1\r\nHost: mocks\r\n\r\n"
    last = b"GET /stream HTTP/1.1\r\nHost: mocks\r\nConnection: close\r\n\r\n"
    with MocksServer(_app()) as server:
        received = _exchange(server.port, keep_alive * 2 + last)

    first, second, streamed = received.split(b"HTTP/1.1 200 OK\r\n")[1:]
    assert first.endswith(b"\r\n\r\n" + b"x" * 5000)
    assert second == first
    assert b"transfer-encoding: chunked" in streamed
    assert streamed.endswith(
        b"\r\n\r\n7\r\npart 0;\r\n7\r\npart 1;\r\n7\r\npart 2;\r\n0\r\n\r\n"
    ), "the last reply is sent whole before its connection is closed"
