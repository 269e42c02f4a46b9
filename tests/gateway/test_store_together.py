"""``Store.write_together``: writes waiting for the same commit that share one function of many
items run as one call of it, each caller answered for its own item; one failing item fails only
its caller. On SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import threading

from sqlalchemy import Connection, select

from gateway.store import Store
from gateway.store.schema import dossiers


class InsertAll:
    """Inserts a dossier row per code in one statement; refuses the whole call if one is bad."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __eq__(self, other: object) -> bool:
        return other is self

    def __call__(self, connection: Connection, codes: list[str]) -> list[str]:
        self.calls.append(list(codes))
        rows = [
            {"code": code, "snapshot": "{}", "version": 1, "created_at": 0, "updated_at": 0}
            for code in codes
        ]
        connection.execute(dossiers.insert(), rows)
        if "bad" in codes:
            raise ValueError("bad is refused")
        return [f"stored {code}" for code in codes]


async def _behind_a_held_writer(store: Store, codes: list[str], insert: InsertAll) -> list[object]:
    """Every code's write queued while the writer is busy, so they all wait for one commit."""
    held = threading.Event()
    holding = asyncio.create_task(store.write(lambda connection: held.wait(10)))
    await asyncio.sleep(0.05)
    writes = [asyncio.create_task(store.write_together(insert, code)) for code in codes]
    await asyncio.sleep(0.05)
    held.set()
    await holding
    return list(await asyncio.gather(*writes, return_exceptions=True))


async def _stored(store: Store) -> set[str]:
    return await store.read(lambda c: set(c.execute(select(dossiers.c.code)).scalars()))


async def test_writes_waiting_together_are_one_call_and_each_caller_gets_its_result(
    store: Store,
) -> None:
    insert = InsertAll()
    codes = [f"c{n}" for n in range(40)]
    results = await _behind_a_held_writer(store, codes, insert)
    assert results == [f"stored {code}" for code in codes]
    assert insert.calls == [codes]
    assert await _stored(store) == set(codes)


async def test_a_failing_item_fails_its_caller_alone(store: Store) -> None:
    insert = InsertAll()
    codes = [f"c{n}" for n in range(10)]
    codes.insert(4, "bad")
    results = await _behind_a_held_writer(store, codes, insert)
    failures = [r for r in results if isinstance(r, Exception)]
    assert [str(f) for f in failures] == ["bad is refused"]
    assert results[:4] == [f"stored c{n}" for n in range(4)]
    assert insert.calls[0] == codes
    assert insert.calls[1:] == [[code] for code in codes]
    assert await _stored(store) == set(codes) - {"bad"}
