"""The durable store: SQLAlchemy Core on an async engine, SQLite (WAL) or PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection

from gateway.store.engine import create_engines, migrate

__all__ = ["Store"]


class Store:
    """Where everything a caller was told is accepted lives until it is delivered.

    ``write()`` is one transaction, committed when the block ends without error; ``read()`` is a
    connection for queries that change nothing.
    """

    def __init__(self, url: str, *, sqlite_synchronous: str = "FULL") -> None:
        self.url = url
        self._writer, self._reader = create_engines(url, sqlite_synchronous=sqlite_synchronous)

    @property
    def dialect(self) -> str:
        return self._writer.dialect.name

    async def migrate(self) -> None:
        await migrate(self._writer)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        async with self._writer.begin() as connection:
            yield connection

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        async with self._reader.connect() as connection:
            yield connection

    async def dispose(self) -> None:
        await self._writer.dispose()
        if self._reader is not self._writer:
            await self._reader.dispose()
