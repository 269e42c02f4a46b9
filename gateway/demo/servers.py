"""Real HTTP servers on loopback, inside the demo's own event loop.

The demo runs the national mocks and the gateway as uvicorn servers, so what it shows is what a
one-stop system would see over the network. Each server gets a socket the demo binds itself:
a port in use becomes a clear ``DemoError`` instead of uvicorn exiting the process, and port 0
means "any free port" with the real one known before the apps are built. The servers leave
Ctrl-C to the demo; two servers in one loop would otherwise each claim the signal.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Generator
from dataclasses import dataclass

import uvicorn
from starlette.types import ASGIApp

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 60.0
SHUTDOWN_TIMEOUT = 15.0


class DemoError(RuntimeError):
    """The demo cannot go on; the message says why and what to change."""


@dataclass(frozen=True, slots=True)
class Listener:
    """A socket bound on loopback, waiting for the app that will serve it."""

    name: str
    socket: socket.socket

    @property
    def port(self) -> int:
        port: int = self.socket.getsockname()[1]
        return port

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"


def listen(name: str, port: int) -> Listener:
    """Bind ``port`` on loopback (0 for any free port), or say plainly that it is taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        raise DemoError(
            f"cannot listen for the {name} on {HOST}:{port} ({error.strerror}); "
            "choose another port with --port"
        ) from None
    sock.set_inheritable(True)
    return Listener(name=name, socket=sock)


def listen_preferring(name: str, port: int) -> Listener:
    """Bind ``port`` if it is free, else any free port."""
    try:
        return listen(name, port)
    except DemoError:
        return listen(name, 0)


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


async def _serve(server: _Server, listener: Listener) -> None:
    try:
        await server.serve(sockets=[listener.socket])
    except SystemExit:
        raise DemoError(
            f"the {listener.name} did not start on {listener.url}; its log above says why"
        ) from None


async def _started(server: _Server, task: asyncio.Task[None], name: str) -> None:
    try:
        async with asyncio.timeout(STARTUP_TIMEOUT):
            while not server.started:
                if task.done():
                    task.result()
                    raise DemoError(f"the {name} stopped while starting")
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise DemoError(f"the {name} did not start within {STARTUP_TIMEOUT:.0f} seconds") from None


async def _stopped(server: _Server, task: asyncio.Task[None]) -> None:
    server.should_exit = True
    await asyncio.wait({task}, timeout=SHUTDOWN_TIMEOUT)
    if not task.done():
        task.cancel()
        await asyncio.wait({task})
    if not task.cancelled():
        task.exception()


@contextlib.asynccontextmanager
async def serving(app: ASGIApp, listener: Listener) -> AsyncIterator[str]:
    """Serve ``app`` on ``listener`` until the block ends; yields the base URL once started,
    after the app's lifespan start-up has run."""
    server = _Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    task = asyncio.create_task(_serve(server, listener), name=f"serve the {listener.name}")
    try:
        await _started(server, task, listener.name)
        yield listener.url
    finally:
        await _stopped(server, task)
        listener.socket.close()
