"""``bench.lean_http``: the lean client against a real HTTP/1.1 server on loopback."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from bench.lean_http import LeanClient, LeanHttpError


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: ClassVar[list[tuple[str, str | None]]] = []

    def do_GET(self) -> None:
        self.seen.append((self.path, self.headers.get("Authorization")))
        if self.path == "/close":
            self.close_connection = True
            return
        if self.path == "/chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in (b"first ", b"second"):
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
            return
        body = b"x" * 200_000 if self.path == "/large" else self.path.encode()
        self.send_response(404 if self.path == "/missing" else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.seen.clear()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_answers_come_whole_on_one_kept_alive_connection(url: str) -> None:
    async def run() -> list[tuple[int, bytes]]:
        async with LeanClient(url, {"Authorization": "Bearer t"}) as client:
            return [
                await client.get("/a?b=c%20d"),
                await client.get("/missing"),
                await client.get("/chunked"),
                await client.get("/large"),
            ]

    answers = asyncio.run(run())
    assert answers[:3] == [(200, b"/a?b=c%20d"), (404, b"/missing"), (200, b"first second")]
    assert answers[3] == (200, b"x" * 200_000)
    assert _Handler.seen[0] == ("/a?b=c%20d", "Bearer t")


def test_a_connection_closed_before_the_answer_is_an_error(url: str) -> None:
    async def run() -> None:
        async with LeanClient(url, {}) as client:
            await client.get("/close")

    with pytest.raises(LeanHttpError, match="closed the connection during GET /close"):
        asyncio.run(run())


def test_only_plain_http_with_a_port_is_taken() -> None:
    with pytest.raises(ValueError, match="http://host:port"):
        LeanClient("https://example.org", {})
