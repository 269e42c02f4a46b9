"""Both stores in the tests: ``store_url`` runs a test once on SQLite and once on PostgreSQL, and
``store`` is a migrated ``Store`` on it.

Each run gets a fresh, empty database: a SQLite file in the test's folder, or a database of its
own on the one PostgreSQL server of the test session (``tests.postgres_server.shared_server``),
started the first time a test asks for it. A PostgreSQL run whose server cannot start fails with
the reason; it is never skipped, since a store nobody tests is a store nobody can trust.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from gateway.store import Store
from tests.postgres_server import PostgresServer, shared_server

STORES = ["sqlite", "postgresql"]

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> PostgresServer:
    """The session's PostgreSQL server, started on first use, stopped when the session ends."""
    return shared_server()


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    """Which store a test runs on: each test asking for it runs once per store."""
    kind: str = request.param
    return kind


@pytest.fixture
def store_url(store_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a fresh, empty database on the store of this run."""
    if store_kind == "sqlite":
        yield f"sqlite:///{tmp_path}/store.db"
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    yield from _fresh_database(server)


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[Store]:
    """A store on a fresh database of this run's kind, migrated."""
    store = Store(store_url)
    await store.migrate()
    yield store
    await store.dispose()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty PostgreSQL database, for what only PostgreSQL does (several writers,
    ``NOTIFY``, advisory locks)."""
    yield from _fresh_database(postgres_server)


def _fresh_database(server: PostgresServer) -> Iterator[str]:
    name = f"test_{os.getpid()}_{next(_numbers)}"
    yield server.create_database(name)
    server.drop_database(name)
