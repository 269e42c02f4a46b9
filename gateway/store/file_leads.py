"""One process at a time leads a job on a SQLite file (``gateway.store.leader`` on SQLite).

Each job has a byte of its own in ``<database>-leads``, at an offset derived from its name; the
process that leads it holds a POSIX record lock (``lockf``) on that byte. The lock belongs to the
process, so every part of the process that asks leads while the process does (tests build
several gateways in one process, and a gateway stopped and started again asks anew), and the
kernel lets go of it when the process ends, however it ends: another process takes the job over
at its next tick.

POSIX record locks have one trap: closing any descriptor of the file lets go of all the process's
locks on it. So the process opens the file once, counts who leads each job, and closes the file
only when nobody in it leads anything.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from gateway.store.engine import beside, lock_key

SUFFIX = "-leads"


@dataclass(slots=True)
class _LeadsFile:
    descriptor: int
    leading: Counter[int] = field(default_factory=Counter)
    """How many in this process lead the job at each offset."""


_open: dict[Path, _LeadsFile] = {}
_guard = threading.Lock()


def _path(database: Path) -> Path:
    return beside(database, SUFFIX)


def take(database: Path, job: str) -> bool:
    """Lead ``job`` on ``database`` if no other process does; True if this process now does."""
    offset = _offset(job)
    with _guard:
        leads = _opened(_path(database))
        if not leads.leading[offset]:
            try:
                fcntl.lockf(leads.descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, offset)
            except OSError:
                _close_if_unused(_path(database))
                return False
        leads.leading[offset] += 1
        return True


def give_back(database: Path, job: str) -> None:
    """One leader of ``job`` in this process stops; the lock goes with the last of them."""
    offset, path = _offset(job), _path(database)
    with _guard:
        leads = _open.get(path)
        if leads is None or not leads.leading[offset]:
            return
        leads.leading[offset] -= 1
        if not leads.leading[offset]:
            del leads.leading[offset]
            fcntl.lockf(leads.descriptor, fcntl.LOCK_UN, 1, offset)
        _close_if_unused(path)


def _offset(job: str) -> int:
    return lock_key(job) & 0x7FFF_FFFF


def _opened(path: Path) -> _LeadsFile:
    if path not in _open:
        _open[path] = _LeadsFile(os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600))
    return _open[path]


def _close_if_unused(path: Path) -> None:
    leads = _open[path]
    if not leads.leading:
        os.close(leads.descriptor)
        del _open[path]
