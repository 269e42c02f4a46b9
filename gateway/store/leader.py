"""One replica at a time for a job that must not run twice at once (the document-axis poller).

On PostgreSQL the replica that leads a job holds a session-level advisory lock keyed by the job's
name, on a session of its own kept open for as long as it leads. Before each run of the job a
replica asks ``lead()``: the leader checks its session is still alive (the lock lives exactly as
long as the session), the others try to take the lock, which succeeds only once it is free. A
leader that dies loses its session and with it the lock, so another replica takes the job over
at its next tick; one that is stopped calls ``resign()``.

On a SQLite file one process at a time leads each job, by a lock on a byte of a file beside the
database (``gateway.store.file_leads``); the kernel lets go of it when the process ends, however
it ends. Within a process everyone who asks leads while the process does. A store in memory has
one process: it always leads.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import psycopg

from gateway.store import Store, file_leads
from gateway.store.engine import lock_key

log = logging.getLogger(__name__)


class Leadership:
    """Whether this replica may run the job ``name`` now."""

    def __init__(self, store: Store, name: str) -> None:
        self._store = store
        self.name = name
        self._key = lock_key(name)
        self._session: psycopg.AsyncConnection[Any] | None = None
        self.leading = False

    async def lead(self) -> bool:
        """True if this replica holds the job's lock, taking it if it is free."""
        if self._store.dialect != "postgresql":
            return self._lead_file()
        try:
            if self._session is None or self._session.closed:
                self._session = await self._store.connect_direct()
            if self.leading:
                await self._session.execute("SELECT 1")
                return True
            cursor = await self._session.execute("SELECT pg_try_advisory_lock(%s)", (self._key,))
            row = await cursor.fetchone()
        except psycopg.Error as error:
            if self.leading:
                log.warning("lost the lead of %s with its session: %s", self.name, error)
            await self._drop_session()
            return False
        self.leading = bool(row and row[0])
        if self.leading:
            log.info("this replica now runs %s", self.name)
        return self.leading

    def _lead_file(self) -> bool:
        if self._store.database is None:
            return True
        if not self.leading:
            self.leading = file_leads.take(self._store.database, self.name)
            if self.leading:
                log.info("this process now runs %s", self.name)
        return self.leading

    async def resign(self) -> None:
        """Let another replica lead. The lock is released before this returns: closing the
        session alone would release it only once the server has seen the session end."""
        if self._store.database is not None:
            if self.leading:
                file_leads.give_back(self._store.database, self.name)
                self.leading = False
            return
        if self.leading and self._session is not None:
            log.info("this replica no longer runs %s", self.name)
            with contextlib.suppress(psycopg.Error):
                await self._session.execute("SELECT pg_advisory_unlock(%s)", (self._key,))
        await self._drop_session()

    async def _drop_session(self) -> None:
        session, self._session, self.leading = self._session, None, False
        if session is not None:
            await session.close()
