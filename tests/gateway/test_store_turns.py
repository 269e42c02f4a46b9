"""Processes writing to one SQLite file take turns (``gateway.store.turns``): a store write waits
while another process holds the turn, and goes ahead as soon as it lets go."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, func, make_url, select

from gateway.store import Store
from gateway.store.engine import sqlite_file
from gateway.store.schema import dossiers
from gateway.store.turns import Turns

HOLDER = """
import sys
from pathlib import Path
from gateway.store.turns import Turns

turns = Turns(Path(sys.argv[1]))
with turns.taken():
    print("taken", flush=True)
    sys.stdin.readline()
print("let go", flush=True)
sys.stdin.readline()
"""


class Holder:
    """Another process holding the turn to write to ``database`` until told to let go."""

    def __init__(self, database: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLDER, str(database)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._said() == "taken"

    def let_go(self) -> None:
        self._tell()
        assert self._said() == "let go"

    def _said(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def _tell(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "gateway.db"


@pytest.fixture
def holder(database: Path) -> Iterator[Holder]:
    holding = Holder(database)
    yield holding
    holding.stop()


def _insert(connection: Connection) -> int:
    connection.execute(
        dossiers.insert().values(code="c1", snapshot="{}", version=1, created_at=0, updated_at=0)
    )
    return int(connection.execute(select(func.count()).select_from(dossiers)).scalar_one())


async def test_a_store_write_waits_for_the_turn_another_process_holds(database: Path) -> None:
    store = Store(f"sqlite+aiosqlite:///{database}")
    await store.migrate()
    holding = Holder(database)
    try:
        write = asyncio.ensure_future(store.write(_insert))
        await asyncio.sleep(0.3)
        assert not write.done(), "the write went ahead while another process held the turn"
        holding.let_go()
        assert await asyncio.wait_for(write, 10) == 1
    finally:
        holding.stop()
        await store.dispose()


def test_a_turn_is_taken_once_its_holder_lets_go(database: Path, holder: Holder) -> None:
    turns = Turns(database)
    taken = []

    def take() -> None:
        with turns.taken():
            taken.append(holder.process.poll())

    waiting = threading.Thread(target=take)
    waiting.start()
    waiting.join(0.3)
    assert taken == [], "the turn was taken while another process held it"
    holder.let_go()
    waiting.join(10)
    assert taken == [None], "the turn was not taken once let go, or only once its holder ended"
    turns.close()


def test_a_dead_holder_lets_go_of_its_turn(database: Path, holder: Holder) -> None:
    holder.stop()
    turns = Turns(database)
    with turns.taken():
        pass
    turns.close()
    assert turns.path == database.with_name("gateway.db-turns")


async def test_a_store_only_read_makes_no_file_of_turns(database: Path) -> None:
    store = Store(f"sqlite+aiosqlite:///{database}")
    await store.migrate()
    assert (
        await store.read(
            lambda c: c.execute(select(func.count()).select_from(dossiers)).scalar_one()
        )
        == 0
    )
    assert not Turns(database).path.exists()
    await store.write(_insert)
    assert Turns(database).path.exists()
    await store.dispose()


def test_a_store_in_memory_or_on_a_server_takes_no_turns() -> None:
    assert sqlite_file(make_url("sqlite://")) is None
    assert sqlite_file(make_url("sqlite:///:memory:")) is None
    assert sqlite_file(make_url("sqlite:///file:gateway.db?mode=memory&uri=true")) is None
    assert sqlite_file(make_url("postgresql+psycopg://u@h/db")) is None
    assert sqlite_file(make_url("sqlite:////tmp/x/gateway.db")) == Path("/tmp/x/gateway.db")
