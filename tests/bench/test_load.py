"""The bench's load client: several replicas of one server each get their share."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socketserver import BaseServer
from typing import ClassVar

import pytest

from bench import load


class _Counting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: ClassVar[Counter[int]] = Counter()
    lock: ClassVar[threading.Lock] = threading.Lock()

    def do_HEAD(self) -> None:
        self._answer(200)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        with self.lock:
            self.seen[_port(self.server)] += 1
        self._answer(202)

    def _answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the test reads the counts, not a log."""


def _port(server: BaseServer) -> int:
    assert isinstance(server, ThreadingHTTPServer)
    return server.server_port


@pytest.fixture
def servers() -> Iterator[list[ThreadingHTTPServer]]:
    _Counting.seen.clear()
    started = [ThreadingHTTPServer(("127.0.0.1", 0), _Counting) for _ in range(2)]
    threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in started]
    for thread in threads:
        thread.start()
    yield started
    for server in started:
        server.shutdown()
        server.server_close()


def test_senders_are_dealt_out_evenly_among_replicas(servers: list[ThreadingHTTPServer]) -> None:
    urls = [f"http://127.0.0.1:{s.server_port}/v1/dossiers" for s in servers]
    sent = asyncio.run(
        load.send(urls, [b"{}"] * 200, concurrency=4, expect=202, deadline_seconds=120)
    )
    assert len(sent.latencies) == 200
    counts = [_Counting.seen[s.server_port] for s in servers]
    assert sum(counts) == 200
    assert all(count > 0 for count in counts)


def test_one_url_gets_every_request(servers: list[ThreadingHTTPServer]) -> None:
    url = f"http://127.0.0.1:{servers[0].server_port}/v1/dossiers"
    asyncio.run(load.send(url, [b"{}"] * 20, concurrency=2, expect=202, deadline_seconds=120))
    assert _Counting.seen[servers[0].server_port] == 20
    assert _Counting.seen[servers[1].server_port] == 0
