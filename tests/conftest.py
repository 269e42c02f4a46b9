"""Shared test set-up: a network guard, so no test reaches anything but loopback, the logging set-up
put back after each test, and the stores every store-bound test runs on (``tests.stores``: SQLite
and PostgreSQL)."""

from __future__ import annotations

import ipaddress
import logging
import os
import socket
from collections.abc import Iterator
from typing import Any

import pytest

pytest_plugins = ["tests.stores", "pytester"]

# A gateway started by a test (in process or as a subprocess inheriting this environment) does not
# submit periodic reports on its own: what it sends must not depend on the calendar day the tests
# run (a report falls due from the 20th of a period's last month). The schedule's own tests drive
# it with a fixed day.
os.environ.setdefault("LIENTHONG_NATIONAL_REPORTING_SCHEDULE", "false")

_real_connect = socket.socket.connect
_real_getaddrinfo = socket.getaddrinfo


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return True
    if host in {"localhost", ""}:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
        raise RuntimeError(f"tests may reach loopback only, not {address[0]!r}")
    _real_connect(self, address)


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if isinstance(host, bytes):
        host = host.decode()
    if host is not None and not _is_local(host) and not host.endswith(".test"):
        raise RuntimeError(f"tests may resolve loopback only, not {host!r}")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def network_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)


@pytest.fixture(autouse=True)
def root_logging_restored() -> Iterator[None]:
    """A command run in process sets up logging for the whole process, as a program should
    (``lienthong backfill`` keeps the root logger at ERROR, into a stream the runner closes after):
    put the root logger's handlers and level back, so later tests hear their warnings."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
