"""The store, on SQLite and on PostgreSQL: writes committed in groups, a failing one alone
refused, a deadlock victim run again, migrations repeatable, URLs read as the driver it uses."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import Connection, func, select, update

from gateway.store import Store, sync_url
from gateway.store.schema import dossiers


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[Store]:
    store = Store(store_url)
    await store.migrate()
    await store.migrate()
    yield store
    await store.dispose()


def _insert(code: str) -> Callable[[Connection], str]:
    def work(connection: Connection) -> str:
        if code == "bad":
            connection.execute(
                dossiers.insert().values(
                    code="half", snapshot="{}", version=1, created_at=0.0, updated_at=0.0
                )
            )
            raise ValueError("refused")
        connection.execute(
            dossiers.insert().values(
                code=code, snapshot="{}", version=1, created_at=0, updated_at=0
            )
        )
        return code

    return work


async def test_a_failing_write_is_refused_alone_and_its_neighbours_commit(store: Store) -> None:
    codes = [f"c{n}" for n in range(40)]
    codes.insert(17, "bad")
    results = await asyncio.gather(
        *(store.write(_insert(code)) for code in codes),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, Exception)]
    assert [str(f) for f in failures] == ["refused"]
    stored = await store.read(lambda c: set(c.execute(select(dossiers.c.code)).scalars()))
    assert stored == {f"c{n}" for n in range(40)}


async def test_a_write_is_visible_to_readers_once_answered(store: Store) -> None:
    await store.write(_insert("seen"))
    count = await store.read(
        lambda c: c.execute(select(func.count()).select_from(dossiers)).scalar_one()
    )
    assert count == 1


async def test_the_writer_survives_a_refused_write(store: Store) -> None:
    with pytest.raises(ValueError, match="refused"):
        await store.write(_insert("bad"))
    assert await store.write(_insert("after")) == "after"


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgresql://u@db.example/lienthong", "postgresql+psycopg"),
        ("postgresql+psycopg://u@db.example/lienthong", "postgresql+psycopg"),
        ("postgresql+asyncpg://u@db.example/lienthong", "postgresql+psycopg"),
        ("sqlite+aiosqlite:///gateway.db", "sqlite+pysqlite"),
        ("sqlite:///gateway.db", "sqlite"),
    ],
)
def test_every_spelling_of_a_url_uses_the_synchronous_driver(url: str, driver: str) -> None:
    assert sync_url(url).drivername == driver


async def test_a_deadlock_victim_is_run_again_and_both_writes_commit(postgres_url: str) -> None:
    """Two replicas lock two dossiers in opposite orders; PostgreSQL picks a victim, which the
    store runs again once the other has committed. (SQLite has one writer: no deadlocks.)"""
    first, second = Store(postgres_url), Store(postgres_url)
    try:
        await first.migrate()
        await first.write(_insert("x"))
        await first.write(_insert("y"))
        both_hold_one = threading.Barrier(2, timeout=30)
        runs: list[str] = []

        def bump(one: str, other: str) -> Callable[[Connection], None]:
            def work(connection: Connection) -> None:
                runs.append(one)
                for code in (one, other):
                    connection.execute(
                        update(dossiers)
                        .where(dossiers.c.code == code)
                        .values(version=dossiers.c.version + 1)
                    )
                    if code == one and runs.count(one) == 1:
                        both_hold_one.wait()

            return work

        await asyncio.gather(first.write(bump("x", "y")), second.write(bump("y", "x")))
        versions = await first.read(
            lambda c: {
                code: version
                for code, version in c.execute(select(dossiers.c.code, dossiers.c.version))
            }
        )
    finally:
        await first.dispose()
        await second.dispose()
    assert versions == {"x": 3, "y": 3}
    assert len(runs) == 3, "exactly one of the two was chosen as the victim and run again"
