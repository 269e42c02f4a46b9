"""Writers of several processes on one SQLite file take turns.

SQLite lets one writer in at a time and is not fair about who comes next: a process that finds
the write lock taken sleeps and tries again (``busy_timeout``), and the holder, back from its
commit, can take the lock again before the sleeper wakes. Under load one process then takes
nearly every write and the other's requests wait seconds (``bench.processes`` measured p99s of
4 to 9 s with two gateway processes on one file). So each store write first takes an exclusive
``flock`` on a file beside the database (``<database>-turns``): a waiting process sleeps in
the kernel, which wakes it as soon as the holder lets go, so it gets in within about one of the
holder's transactions rather than seconds later.

A process that dies lets go of its turn with its file. One that hangs while holding it keeps
the others waiting, as it would keep them out of SQLite's own lock.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gateway.store.engine import beside

SUFFIX = "-turns"


class Turns:
    """The turns to write to the SQLite file ``database``, taken with ``with turns.taken():``.
    Its file is opened (and made) at the first turn, so a store only read makes none."""

    def __init__(self, database: Path) -> None:
        self.path = beside(database, SUFFIX)
        self._file: int | None = None

    @contextmanager
    def taken(self) -> Iterator[None]:
        if self._file is None:
            self._file = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._file, fcntl.LOCK_UN)

    def close(self) -> None:
        if self._file is not None:
            os.close(self._file)
            self._file = None
