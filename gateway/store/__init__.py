"""The durable store: SQLAlchemy Core on SQLite (WAL) or PostgreSQL, awaited from the event loop.

Each transaction is a plain function of a ``Connection``, run whole in a thread: one hand-off
between the event loop and the database per transaction, not one per statement. Writes go to one
writer thread that commits in groups: the transactions waiting when it comes round run in one
database transaction, committed once, before any caller hears a result. So an answer never
precedes durability, and under load many requests share one disk sync. If one of a group fails,
the group is rolled back and each is run again alone, so only the failing caller gets its error:
a write function must therefore touch nothing but its connection, and may run twice. A write
runs in a copy of its caller's context (``contextvars``), so what the caller bound, such as the
request id (``adapters.client.REQUEST_ID``), is what the write sees.

Many callers doing the same small write (a single dossier pushed) can go further with
``write_together``: the ones waiting in a group that share one function of many items run as one
call of it with all their items, so a hundred single pushes cost the statements of one batch of a
hundred; that call runs in the context of the first of them.

SQLite is the store of one machine: one writer in each process, and processes sharing its file
(``lienthong serve`` and a ``lienthong worker``, say) take turns at writing
(``gateway.store.turns``), since SQLite's own lock would let one starve the other.
PostgreSQL (psycopg 3) is the store for several replicas, each with its own writer, all writing
at once: a transaction may then be chosen as a deadlock victim or fail to serialise through no
fault of its own, so one run alone is retried a few times (``TRANSIENT_SQLSTATES``) before its
caller hears the error. Work is shared between replicas with row locks (``gateway.outbox``),
``NOTIFY`` (``gateway.store.notifications``) and advisory locks (``gateway.store.leader``); the
last two need a session of their own, which ``connect_direct`` opens outside the pools.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

import psycopg
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from tenacity import (
    Retrying,
    before_sleep_log,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from gateway.store.bell import Bell, queued
from gateway.store.engine import (
    MissingStore,
    check_exists,
    create_engines,
    direct_conninfo,
    migrate,
    migration_state,
    sqlite_file,
    sync_url,
)
from gateway.store.turns import Turns

__all__ = ["Connection", "MissingStore", "Store", "check_exists", "sync_url"]

log = logging.getLogger(__name__)

T = TypeVar("T")
Item = TypeVar("Item")

Together = Callable[[Connection, list[Any]], list[Any]]
"""Work on many items at once, one result per item in their order (``Store.write_together``)."""

GROUP_MAX = 256
"""Most transactions committed together; bounds how long the first of them waits."""

TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})
"""serialization_failure and deadlock_detected: the transaction may succeed if run again."""

ALONE_ATTEMPTS = 5
"""How often a transaction run alone is tried when it keeps failing transiently."""


def _transient(error: BaseException) -> bool:
    return (
        isinstance(error, DBAPIError)
        and getattr(error.orig, "sqlstate", None) in TRANSIENT_SQLSTATES
    )


@dataclass(slots=True)
class _Job:
    work: Callable[[Connection], Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop
    context: contextvars.Context
    together: Together | None = None
    item: Any = None

    def run(self, connection: Connection) -> Any:
        return self.context.run(self.work, connection)

    def joins(self, other: _Job) -> bool:
        return self.together is not None and self.together == other.together


class Store:
    """Where everything a caller was told is accepted lives until it is delivered."""

    def __init__(self, url: str, *, sqlite_synchronous: str = "FULL") -> None:
        self.url = url
        self._writer, self._reader = create_engines(url, sqlite_synchronous=sqlite_synchronous)
        self.database = sqlite_file(self._writer.url)
        """The SQLite file, None in memory and on PostgreSQL."""
        self._turns = Turns(self.database) if self.database is not None else None
        self.bell = Bell(self.database) if self.database is not None else None
        """Rung when a transaction that queued work commits (``gateway.store.bell``)."""
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._writer_thread: threading.Thread | None = None
        self._readers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="store-reader")
        self._retrying = Retrying(
            retry=retry_if_exception(_transient),
            stop=stop_after_attempt(ALONE_ATTEMPTS),
            wait=wait_random_exponential(multiplier=0.01, max=0.5),
            before_sleep=before_sleep_log(log, logging.INFO),
            reraise=True,
        )

    @property
    def dialect(self) -> str:
        return self._writer.dialect.name

    async def migrate(self) -> None:
        await asyncio.to_thread(migrate, self._writer)

    async def migration_state(self) -> tuple[str | None, str]:
        """The store's schema revision and the newest the code knows (``migration_state``)."""
        return await asyncio.to_thread(migration_state, self._writer)

    async def clock(self) -> float:
        """The store's clock, epoch seconds (this machine's for SQLite, a file here)."""

        def now(connection: Connection) -> float:
            if connection.dialect.name != "postgresql":
                return time.time()
            return float(
                connection.execute(
                    text("SELECT extract(epoch FROM clock_timestamp())")
                ).scalar_one()
            )

        return await self.read(now)

    async def connect_direct(self) -> psycopg.AsyncConnection[Any]:
        """A PostgreSQL session of its own, outside the pools, in autocommit; the caller closes
        it. For what lives as long as a session: ``LISTEN``, advisory locks."""
        if self.dialect != "postgresql":
            raise RuntimeError(f"sessions outside the pool are for PostgreSQL, not {self.dialect}")
        return await psycopg.AsyncConnection.connect(direct_conninfo(self._writer), autocommit=True)

    async def write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a transaction; returns its result once the transaction is committed."""
        return await self._submit(work)

    async def write_together(
        self, together: Callable[[Connection, list[Item]], list[T]], item: Item
    ) -> T:
        """``together(connection, [item])[0]`` in a transaction, once committed; waiting writes
        with an equal ``together`` are run as one call of it with all their items. If that call
        fails, each is run alone, so only the caller whose item fails hears an error."""
        return await self._submit(
            lambda connection: together(connection, [item])[0], together, item
        )

    async def _submit(
        self, work: Callable[[Connection], T], together: Together | None = None, item: Any = None
    ) -> T:
        if self._writer_thread is None:
            self._writer_thread = threading.Thread(
                target=self._write_forever, name="store-writer", daemon=True
            )
            self._writer_thread.start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put(_Job(work, future, loop, contextvars.copy_context(), together, item))
        return await future

    async def read(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` on a connection that changes nothing."""
        return await asyncio.get_running_loop().run_in_executor(self._readers, self._read, work)

    def _read(self, work: Callable[[Connection], T]) -> T:
        with self._reader.connect() as connection:
            return work(connection)

    def _write_forever(self) -> None:
        while True:
            first = self._jobs.get()
            if first is None:
                return
            group = [first]
            while len(group) < GROUP_MAX:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    self._jobs.put(None)
                    break
                group.append(job)
            self._commit(group)

    def _commit(self, group: list[_Job]) -> None:
        outcomes: list[tuple[_Job, Any, Exception | None]]
        if len(group) == 1:
            outcomes = [self._alone(group[0])]
        else:
            try:
                with self._turn(), self._writer.begin() as connection:
                    results = [
                        result for run in _runs(group) for result in _run_all(run, connection)
                    ]
                    rings = queued(connection)
                self._ring(rings)
                outcomes = [(job, result, None) for job, result in zip(group, results, strict=True)]
            except Exception:
                outcomes = [self._alone(job) for job in group]
        for job, result, failure in outcomes:
            job.loop.call_soon_threadsafe(_settle, job.future, result, failure)

    def _alone(self, job: _Job) -> tuple[_Job, Any, Exception | None]:
        try:
            return job, self._retrying(self._transaction, job.run), None
        except Exception as error:
            return job, None, error

    def _transaction(self, work: Callable[[Connection], T]) -> T:
        with self._turn(), self._writer.begin() as connection:
            result = work(connection)
            rings = queued(connection)
        self._ring(rings)
        return result

    def _ring(self, rings: bool) -> None:
        """Wake the workers of other processes, if the transaction just committed queued work."""
        if rings and self.bell is not None:
            self.bell.ring()

    def _turn(self) -> contextlib.AbstractContextManager[None]:
        """This process's turn to write, among all writing to the same SQLite file."""
        return self._turns.taken() if self._turns is not None else contextlib.nullcontext()

    async def dispose(self) -> None:
        if self._writer_thread is not None:
            self._jobs.put(None)
            await asyncio.to_thread(self._writer_thread.join)
            self._writer_thread = None
        self._readers.shutdown(wait=True)
        self._writer.dispose()
        if self._turns is not None:
            self._turns.close()
        if self.bell is not None:
            self.bell.close()
        if self._reader is not self._writer:
            self._reader.dispose()


def _runs(group: list[_Job]) -> Iterator[list[_Job]]:
    """The group cut into runs of neighbours that go together (or single jobs), in order."""
    run = [group[0]]
    for job in group[1:]:
        if job.joins(run[0]):
            run.append(job)
        else:
            yield run
            run = [job]
    yield run


def _run_all(run: list[_Job], connection: Connection) -> list[Any]:
    """The results of a run of jobs: one call for those that go together."""
    first = run[0]
    if first.together is None or len(run) == 1:
        return [job.run(connection) for job in run]
    results = first.context.run(first.together, connection, [job.item for job in run])
    if len(results) != len(run):
        raise RuntimeError(f"{len(run)} items written together gave {len(results)} results")
    return results


def _settle(future: asyncio.Future[Any], result: Any, failure: BaseException | None) -> None:
    if future.cancelled():
        return
    if failure is not None:
        future.set_exception(failure)
    else:
        future.set_result(result)
