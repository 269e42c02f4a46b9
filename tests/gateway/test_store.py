"""The store: writes committed in groups, a failing one alone refused, migrations repeatable."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, select

from gateway.store import Store
from gateway.store.schema import dossiers


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    store = Store(f"sqlite:///{tmp_path}/store.db")
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
