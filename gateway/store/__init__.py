"""The durable store: SQLAlchemy Core on SQLite (WAL) or PostgreSQL, awaited from the event loop.

Each transaction is a plain function of a ``Connection``, run whole in a thread: one hand-off
between the event loop and the database per transaction, not one per statement. Writes go to one
writer thread that commits in groups: the transactions waiting when it comes round run in one
database transaction, committed once, before any caller hears a result. So an answer never
precedes durability, and under load many requests share one disk sync. If one of a group fails,
the group is rolled back and each is run again alone, so only the failing caller gets its error:
a write function must therefore touch nothing but its connection, and may run twice.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection

from gateway.store.engine import create_engines, migrate, sync_url

__all__ = ["Connection", "Store", "sync_url"]

T = TypeVar("T")

GROUP_MAX = 256
"""Most transactions committed together; bounds how long the first of them waits."""


@dataclass(slots=True)
class _Job:
    work: Callable[[Connection], Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop


class Store:
    """Where everything a caller was told is accepted lives until it is delivered."""

    def __init__(self, url: str, *, sqlite_synchronous: str = "FULL") -> None:
        self.url = url
        self._writer, self._reader = create_engines(url, sqlite_synchronous=sqlite_synchronous)
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._writer_thread: threading.Thread | None = None
        self._readers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="store-reader")

    @property
    def dialect(self) -> str:
        return self._writer.dialect.name

    async def migrate(self) -> None:
        await asyncio.to_thread(migrate, self._writer)

    async def write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a transaction; returns its result once the transaction is committed."""
        if self._writer_thread is None:
            self._writer_thread = threading.Thread(
                target=self._write_forever, name="store-writer", daemon=True
            )
            self._writer_thread.start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put(_Job(work, future, loop))
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
        try:
            with self._writer.begin() as connection:
                results = [job.work(connection) for job in group]
            outcomes = [(job, result, None) for job, result in zip(group, results, strict=True)]
        except Exception as error:
            outcomes = (
                [(group[0], None, error)]
                if len(group) == 1
                else [self._alone(job) for job in group]
            )
        for job, result, failure in outcomes:
            job.loop.call_soon_threadsafe(_settle, job.future, result, failure)

    def _alone(self, job: _Job) -> tuple[_Job, Any, Exception | None]:
        try:
            with self._writer.begin() as connection:
                return job, job.work(connection), None
        except Exception as error:
            return job, None, error

    async def dispose(self) -> None:
        if self._writer_thread is not None:
            self._jobs.put(None)
            await asyncio.to_thread(self._writer_thread.join)
            self._writer_thread = None
        self._readers.shutdown(wait=True)
        self._writer.dispose()
        if self._reader is not self._writer:
            self._reader.dispose()


def _settle(future: asyncio.Future[Any], result: Any, failure: BaseException | None) -> None:
    if future.cancelled():
        return
    if failure is not None:
        future.set_exception(failure)
    else:
        future.set_result(result)
