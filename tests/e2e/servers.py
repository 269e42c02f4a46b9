"""Real servers on loopback for end-to-end tests: in a thread, or as a process one can kill."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
import uvicorn


def gateway_client(url: str, *, timeout: float = 30) -> httpx.Client:
    """An ``httpx.Client`` for a gateway at ``url``, carrying a token of the demo client."""
    reply = httpx.post(
        f"{url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("demo", "demo-secret"),
        timeout=timeout,
    )
    reply.raise_for_status()
    token = reply.json()["access_token"]
    return httpx.Client(base_url=url, timeout=timeout, headers={"Authorization": f"Bearer {token}"})


def gateway_get(url: str, path: str) -> httpx.Response:
    """One ``GET`` of ``path`` on the gateway at ``url``, with a demo token."""
    with gateway_client(url) as client:
        return client.get(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class ServerThread:
    """An ASGI app served by uvicorn on 127.0.0.1 in a thread of its own."""

    def __init__(self, app: Any, port: int | None = None, *, log_level: str = "warning") -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level=log_level, log_config=None
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=lambda: asyncio.run(self._server.serve()))

    def __enter__(self) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"server on port {self.port} did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=20)


class GatewayProcess:
    """``lienthong serve`` in a child process, configured by ``LIENTHONG_`` variables."""

    def __init__(self, env: Mapping[str, str], log: Path) -> None:
        self.port = int(env.get("LIENTHONG_PORT") or free_port())
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = {**os.environ, **env, "LIENTHONG_PORT": str(self.port)}
        self._log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> GatewayProcess:
        with self._log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gateway", "serve"],
                env=self._env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gateway exited: {self._log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gateway did not become ready: {self._log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no cleanup, as a crash or an OOM kill would do."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_until(predicate: Any, *, timeout: float, interval: float = 0.2, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
