"""The store's engines, its migrations, and sessions of its own outside the pools.

SQLite gets two engines: one writer connection whose transactions begin ``IMMEDIATE`` (so a
write never fails half-way on a lock another connection took), and a pool of readers that never
block it (WAL). PostgreSQL uses one pool for both, through psycopg 3; several gateway replicas
may share its database, so migrations hold a transaction-scoped advisory lock: replicas starting
together migrate one after the other, and the second finds nothing left to do.

URLs name a synchronous driver; an async driver named out of habit (``sqlite+aiosqlite``,
``postgresql+asyncpg``) and a bare ``postgresql://`` are read as the synchronous driver the
store uses (``pysqlite``, ``psycopg``), because the store runs each transaction whole in a
thread of its own (see ``gateway.store``).

Some PostgreSQL features belong to a session rather than a transaction (``LISTEN``, advisory
locks held while a replica leads a job): ``direct_conninfo`` gives the connection string for
connections opened outside the pools, kept as long as the session is needed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from psycopg.conninfo import make_conninfo
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"

_SYNC_DRIVERS = {
    "aiosqlite": "pysqlite",
    "asyncpg": "psycopg",
    "psycopg_async": "psycopg",
    "psycopg2": "psycopg",
}
"""Drivers named in a URL and the synchronous driver the store uses in their place."""

_DEFAULT_DRIVERS = {"postgresql": "psycopg"}
"""The driver for a URL that names none (SQLAlchemy alone would pick psycopg2)."""


def lock_key(name: str) -> int:
    """A stable 64-bit PostgreSQL advisory lock key for ``name``, the same in every replica."""
    return int.from_bytes(hashlib.sha256(f"lienthong:{name}".encode()).digest()[:8], signed=True)


MIGRATION_LOCK = lock_key("migrations")


def sync_url(url: str) -> URL:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if "+" in parsed.drivername:
        driver = _SYNC_DRIVERS.get(parsed.get_driver_name())
    else:
        driver = _DEFAULT_DRIVERS.get(backend)
    if driver:
        parsed = parsed.set(drivername=f"{backend}+{driver}")
    return parsed


def sqlite_file(url: URL) -> Path | None:
    """The file of a SQLite store; None for a store in memory, named by a ``file:`` URI, or on
    a server."""
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in {"", ":memory:"}:
        return None
    return None if database.startswith("file:") else Path(database)


def beside(database: Path, suffix: str) -> Path:
    """A file of the gateway's own next to the SQLite file ``database``, named ``database`` and
    ``suffix`` together (``gateway.db-turns``)."""
    return database.with_name(database.name + suffix)


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
        if (database := sqlite_file(parsed)) is not None:
            database.parent.mkdir(parents=True, exist_ok=True)
        return (
            _sqlite_engine(parsed, writer=True, synchronous=sqlite_synchronous),
            _sqlite_engine(parsed, writer=False, synchronous=sqlite_synchronous),
        )
    # No server-side prepared statements: a prepared statement may switch to a generic plan,
    # which for the claim's locking subquery was ruinous (see ``outbox.claim``).
    engine = create_engine(
        parsed,
        pool_size=10,
        max_overflow=10,
        pool_pre_ping=True,
        connect_args={"prepare_threshold": None},
    )
    return engine, engine


def direct_conninfo(engine: Engine) -> str:
    """The libpq connection string of a PostgreSQL engine, for sessions outside its pool."""
    _args, params = engine.dialect.create_connect_args(engine.url)
    params.pop("context", None)  # SQLAlchemy's type adapters, not a connection parameter
    return make_conninfo("", **params)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent; safe at every start, in every
    replica at once). On PostgreSQL, then refresh the outbox's planner statistics: a backlog
    loaded while no gateway ran would otherwise be claimed with a plan made for an empty table
    until autovacuum came round."""
    with engine.begin() as connection:
        postgresql = connection.dialect.name == "postgresql"
        if postgresql:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        command.upgrade(_config(connection), "head")
        if postgresql:
            connection.execute(text("ANALYZE outbox"))


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def migration_state(engine: Engine) -> tuple[str | None, str]:
    """The store's revision (None before the first migration) and the newest one the code
    knows; equal when the store is up to date. Changes nothing."""
    head = ScriptDirectory.from_config(_config()).get_current_head() or ""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    return current, head


class MissingStore(Exception):
    """A command that only reads was pointed at a store that does not exist."""


def check_exists(url: str) -> None:
    """Raise ``MissingStore`` naming the place when ``url`` names a SQLite file that is not
    there, so that reading never creates an empty store where a typo pointed."""
    database = sqlite_file(sync_url(url))
    if database is None:
        return
    path = database.resolve()
    if not path.is_file():
        raise MissingStore(
            f"no store at {path}: check LIENTHONG_DATABASE_URL ({url}); "
            "`lienthong serve` or `lienthong worker` creates it on first start"
        )
