"""An ASGI app served by uvicorn on loopback, in a thread of its own, for tests and tools.

The socket is bound before the server starts (port 0: any free port), so the URL is known at
once and no other process can take the port in between. ``with MocksServer(app) as server:``
starts it, waits until it accepts connections, and stops it at the end of the block. Each reply
leaves in one write (``mocks.wire``), as under ``lienthong mocks``.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType
from typing import Any

import uvicorn

from mocks.wire import ReplyProtocol

HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 30.0


class MocksServer:
    """``app`` on ``http://127.0.0.1:<port>`` in a daemon thread, until ``stop``."""

    def __init__(self, app: Any, *, port: int = 0, host: str = HOST) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host = host
        self.port: int = self._socket.getsockname()[1]
        self.url = f"http://{host}:{self.port}"
        config = uvicorn.Config(
            app, log_level="warning", log_config=None, lifespan="on", http=ReplyProtocol
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._server.serve(sockets=[self._socket])),
            name=f"mocks on {self.url}",
            daemon=True,
        )

    def start(self) -> MocksServer:
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError(f"the server on {self.url} stopped while starting")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server on {self.url} did not start in time")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._socket.close()

    def __enter__(self) -> MocksServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()
