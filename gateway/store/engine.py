"""The store's engines and its migrations.

SQLite gets two engines: one writer connection whose transactions begin ``IMMEDIATE`` (so a
write never fails half-way on a lock another connection took, and writes in this process queue
in order instead of racing), and a pool of readers that never block it (WAL). Other engines
(PostgreSQL) use one pool for both.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_engine(url: str, *, writer: bool, synchronous: str) -> AsyncEngine:
    in_memory = make_url(url).database in (None, "", ":memory:")
    sizes = {"pool_size": 1 if writer else 5, "max_overflow": 0 if writer else 10}
    pool = {} if in_memory else sizes
    engine = create_async_engine(url, connect_args={"isolation_level": None}, **pool)

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


def create_engines(
    url: str, *, sqlite_synchronous: str = "FULL"
) -> tuple[AsyncEngine, AsyncEngine]:
    """The writer and reader engines for ``url`` (the same engine twice off SQLite)."""
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        return (
            _sqlite_engine(url, writer=True, synchronous=sqlite_synchronous),
            _sqlite_engine(url, writer=False, synchronous=sqlite_synchronous),
        )
    engine = create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)
    return engine, engine


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


async def migrate(engine: AsyncEngine) -> None:
    """Bring the schema to the newest revision (idempotent; safe at every start)."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade)
