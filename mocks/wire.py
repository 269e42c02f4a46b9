"""How the mocks' server puts a reply on the wire: its head and body in one write.

uvicorn writes a response's status line and headers as soon as the app sends them, and the
body when it comes, each straight to the socket: two system calls and two TCP segments for a
reply a client reads as one. Under load that was the largest share of a mock's time per request
(a third of it, for the business registry's lookup). ``ReplyProtocol`` is uvicorn's httptools
protocol with its writes gathered (``GatheredWrites``): what is written during one turn of the
event loop leaves in one ``writelines`` at the end of that turn, so a reply goes out whole in
one segment. Nothing else changes: closing a connection sends what is gathered first, aborting
it (a reset fault) discards it, and the transport is still the ``asyncio.Transport`` that
``mocks.delivery`` drops connections through.

``lienthong mocks`` and ``mocks.server.MocksServer`` serve with it (uvicorn's ``http=``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class GatheredWrites(asyncio.Transport):
    """A transport that gathers what is written in one turn of the loop and sends it at its end.

    Every other call goes to the transport it wraps; ``close`` sends what is gathered first.
    What is gathered for a connection already closing (the client went away) is dropped: no one
    is left to read it.
    """

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport = transport
        self._loop = loop
        self._gathered: list[bytes | bytearray | memoryview] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._gathered:
            self._loop.call_soon(self._send)
        self._gathered.append(data)

    def writelines(self, list_of_data: Any) -> None:
        for data in list_of_data:
            self.write(data)

    def _send(self) -> None:
        gathered, self._gathered = self._gathered, []
        if not gathered or self._transport.is_closing():
            return
        if len(gathered) == 1:
            self._transport.write(gathered[0])
        else:
            self._transport.writelines(gathered)

    def close(self) -> None:
        self._send()
        self._transport.close()

    def abort(self) -> None:
        self._gathered = []
        self._transport.abort()

    def write_eof(self) -> None:
        self._send()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(len(d) for d in self._gathered)

    def get_write_buffer_limits(self) -> tuple[int, int]:
        return self._transport.get_write_buffer_limits()


class ReplyProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol writing through ``GatheredWrites``: one write per reply."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(GatheredWrites(transport, asyncio.get_running_loop()))
