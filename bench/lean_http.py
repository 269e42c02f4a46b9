"""A lean HTTP/1.1 client for latencies at concurrency 1: one kept-alive connection, each request
written as bytes, each answer parsed by httptools (uvicorn's C parser).

httpx spends about a millisecond of CPU on each request to loopback, as much as the gateway
itself spends on a lookup, so a latency measured through it is half the client's. This client
spends tens of microseconds, the way a load generator should.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

import httptools

READ_SIZE = 65536


class LeanHttpError(RuntimeError):
    """The server closed the connection before its answer was complete."""


class _Answer:
    """httptools' callbacks: the body's pieces, and whether the answer is complete."""

    def __init__(self) -> None:
        self.body: list[bytes] = []
        self.complete = False

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        self.complete = True


class LeanClient:
    """``async with LeanClient(url, headers) as client: status, body = await client.get(path)``;
    ``headers`` go with every request."""

    def __init__(self, url: str, headers: Mapping[str, str]) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.hostname is None or parts.port is None:
            raise ValueError(f"a lean client takes http://host:port, not {url!r}")
        self._host, self._port = parts.hostname, parts.port
        lines = [f"Host: {parts.netloc}", *(f"{name}: {value}" for name, value in headers.items())]
        self._head_end = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def __aenter__(self) -> Self:
        self._reader, self._writer = await asyncio.open_connection(self._host, self._port)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._writer is not None:
            self._writer.close()
            await self._writer.wait_closed()

    async def get(self, target: str) -> tuple[int, bytes]:
        """``GET target`` (a path with its query, already encoded): the status and the body."""
        if self._reader is None or self._writer is None:
            raise RuntimeError("use the client in `async with`")
        self._writer.write(f"GET {target} HTTP/1.1\r\n".encode("latin-1") + self._head_end)
        answer = _Answer()
        parser = httptools.HttpResponseParser(answer)
        while not answer.complete:
            data = await self._reader.read(READ_SIZE)
            if not data:
                raise LeanHttpError(f"the server closed the connection during GET {target}")
            parser.feed_data(data)
        return parser.get_status_code(), b"".join(answer.body)
