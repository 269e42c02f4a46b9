"""The store's engines and its migrations.

SQLite gets two engines: one writer connection whose transactions begin ``IMMEDIATE`` (so a
write never fails half-way on a lock another connection took), and a pool of readers that never
block it (WAL). Other engines (PostgreSQL) use one pool for both.

URLs name a synchronous driver; an async driver named out of habit (``sqlite+aiosqlite``) is
read as its synchronous twin, because the store runs each transaction whole in a thread of its
own (see ``gateway.store``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

_SYNC_DRIVERS = {"aiosqlite": "pysqlite", "asyncpg": "psycopg", "psycopg_async": "psycopg"}
"""Async drivers and the synchronous driver the store uses in their place."""


def sync_url(url: str) -> URL:
    parsed = make_url(url)
    driver = _SYNC_DRIVERS.get(parsed.get_driver_name())
    if driver and "+" in parsed.drivername:
        parsed = parsed.set(drivername=f"{parsed.get_backend_name()}+{driver}")
    return parsed


def _sqlite_engine(url: URL, *, writer: bool, synchronous: str) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    sizes = {"pool_size": 1 if writer else 4, "max_overflow": 0 if writer else 4}
    engine = create_engine(
        url,
        connect_args={"isolation_level": None, "check_same_thread": False},
        **({} if in_memory else sizes),
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writer else "BEGIN")

    return engine


def create_engines(url: str, *, sqlite_synchronous: str = "FULL") -> tuple[Engine, Engine]:
    """The writer and reader engines for ``url`` (the same engine twice off SQLite)."""
    parsed = sync_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return (
            _sqlite_engine(parsed, writer=True, synchronous=sqlite_synchronous),
            _sqlite_engine(parsed, writer=False, synchronous=sqlite_synchronous),
        )
    engine = create_engine(parsed, pool_size=10, max_overflow=10, pool_pre_ping=True)
    return engine, engine


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent; safe at every start)."""
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
