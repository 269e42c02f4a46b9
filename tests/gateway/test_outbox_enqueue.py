"""Queueing events: ids rise in the order the events were given (each dossier's line is
delivered in that order), and SQLite takes many events in few statements, not one apiece."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, select

from gateway import outbox
from gateway.outbox import NewEvent
from gateway.store import Store
from gateway.store.schema import outbox as outbox_table

COUNT = 1500
"""More events than one statement of SQLAlchemy's "insertmanyvalues" takes (1,000)."""


def _events() -> list[NewEvent]:
    """Keys in no order of their own, so that ids given back in key order would show."""
    numbers = random.Random(7).sample(range(COUNT), COUNT)
    return [NewEvent("national_portal", "progress", "c-1", "{}", f"key-{n}") for n in numbers]


async def test_ids_rise_in_the_order_the_events_were_given(store: Store) -> None:
    events = _events()
    ids = await store.write(lambda c: outbox.enqueue(c, events))
    assert ids == sorted(ids) and len(set(ids)) == COUNT
    stored = await store.read(
        lambda c: dict(c.execute(select(outbox_table.c.id, outbox_table.c.idempotency_key)).all())
    )
    assert [stored[id_] for id_ in ids] == [e.idempotency_key for e in events]


async def test_sqlite_takes_many_events_in_few_statements(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/store.db")
    await store.migrate()
    inserts: list[int] = []

    def count(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.startswith("INSERT INTO outbox"):
            inserts.append(len(parameters))

    event.listen(Engine, "before_cursor_execute", count)
    try:
        await store.write(lambda c: outbox.enqueue(c, _events()))
    finally:
        event.remove(Engine, "before_cursor_execute", count)
        await store.dispose()
    assert len(inserts) == 2, f"{len(inserts)} statements for {COUNT} events"
