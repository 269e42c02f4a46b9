"""Waking idle workers of other processes on one SQLite file at once (``Bell``).

PostgreSQL has ``NOTIFY`` (``gateway.store.notifications``); SQLite has nothing of the kind. So
each worker on a SQLite file listens on a datagram socket of its own, in Linux's abstract
namespace (no file to leave behind, no limit from the length of the database's path), and
leaves its socket's name as an empty file in ``<database>-bells``. A transaction that queued
work marks its connection (``mark_queued``); once it has committed, the store rings: one
datagram to every name in that folder. A name nobody listens on any more (its worker died) is
refused by the kernel and its file removed by the ringer.

A ring is a hint: a datagram lost to a full socket is lost to a worker that is awake anyway,
and a worker still finds work at its poll if it missed every ring.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection

from gateway.store.engine import beside

log = logging.getLogger(__name__)

SUFFIX = "-bells"
QUEUED = "lienthong.queued"
"""The key in a connection's ``info`` saying its transaction queued work."""


def mark_queued(connection: Connection) -> None:
    """Ring the bell once this transaction commits."""
    connection.info[QUEUED] = True


def queued(connection: Connection) -> bool:
    """Whether this transaction queued work; asking clears the mark, for the next one."""
    return bool(connection.info.pop(QUEUED, False))


class Bell:
    """The bell of the SQLite file ``database``: ``ring()`` wakes every ``listen()``-er."""

    def __init__(self, database: Path) -> None:
        self.folder = beside(database, SUFFIX)
        self._sender: socket.socket | None = None

    def ring(self) -> None:
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return
        if self._sender is None:
            self._sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self._sender.setblocking(False)
        for name in names:
            try:
                self._sender.sendto(b"!", _address(name))
            except BlockingIOError:
                pass
            except ConnectionRefusedError:
                with contextlib.suppress(FileNotFoundError):
                    (self.folder / name).unlink()

    async def listen(
        self, on_ring: Callable[[], None], *, listening: asyncio.Event | None = None
    ) -> None:
        """Call ``on_ring`` for every ring until cancelled; ``listening`` is set once it listens.
        Where there are no abstract sockets (outside Linux) it warns and returns: work is then
        found at each poll."""
        name = f"lienthong-bell-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        receiver.setblocking(False)
        try:
            receiver.bind(_address(name))
        except OSError as error:  # no abstract namespace outside Linux
            receiver.close()
            log.warning("cannot listen for queued work (%s); finding it at each poll", error)
            return
        self.folder.mkdir(exist_ok=True)
        (self.folder / name).touch()
        loop = asyncio.get_running_loop()
        loop.add_reader(receiver.fileno(), _drain, receiver, on_ring)
        try:
            on_ring()
            if listening is not None:
                listening.set()
            await asyncio.Future()
        finally:
            loop.remove_reader(receiver.fileno())
            receiver.close()
            with contextlib.suppress(FileNotFoundError):
                (self.folder / name).unlink()

    def close(self) -> None:
        if self._sender is not None:
            self._sender.close()
            self._sender = None


def _address(name: str) -> str:
    return "\0" + name


def _drain(receiver: socket.socket, on_ring: Callable[[], None]) -> None:
    """Read every ring waiting, then wake once."""
    with contextlib.suppress(BlockingIOError):
        while receiver.recv(16):
            pass
    on_ring()
