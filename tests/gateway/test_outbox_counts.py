"""The status's outbox counts always equal a count of the outbox itself, whatever changes it:
queueing, claiming, delivering, retrying, dying, an operator's replay or discard, a lease given
back, retention's purge. On SQLite they are the counts the store's triggers keep (migration
0012); on PostgreSQL the outbox grouped, and the test holds them to the same."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Connection, func, select, update

from gateway import outbox, retention
from gateway.outbox import Backoff, Failure, NewEvent, State, TargetCounts
from gateway.store import Store
from gateway.store.schema import outbox as outbox_table

OWNER = "worker-1"


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[Store]:
    store = Store(store_url)
    await store.migrate()
    yield store
    await store.dispose()


def recount(connection: Connection) -> dict[str, TargetCounts]:
    """The counts as the whole outbox says them, grouped row by row."""
    retried = func.sum(func.cast(outbox_table.c.attempts > 1, outbox_table.c.attempts.type))
    rows = connection.execute(
        select(outbox_table.c.target, outbox_table.c.state, func.count(), retried).group_by(
            outbox_table.c.target, outbox_table.c.state
        )
    )
    tally: dict[str, dict[str, int]] = {}
    for target, state, count, retried_count in rows:
        per = tally.setdefault(target, {"accepted": 0, "retried": 0})
        per[state] = count
        per["accepted"] += count
        per["retried"] += int(retried_count or 0)
    return {target: TargetCounts(**values) for target, values in tally.items()}


def _events(count: int, start: int) -> list[NewEvent]:
    return [
        NewEvent(target, "dossier", f"code-{n}", "{}", f"{target}:{n}")
        for n in range(start, start + count)
        for target in ("national_portal", "monitoring_centre")
    ]


async def _agree(store: Store) -> dict[str, TargetCounts]:
    kept, counted = await store.read(lambda c: (outbox.counts(c), recount(c)))
    assert kept == counted
    return kept


async def test_the_kept_counts_follow_every_change_of_the_outbox(store: Store) -> None:
    await store.write(lambda c: outbox.enqueue(c, _events(6, 0)))
    first = await _agree(store)
    assert first["national_portal"] == TargetCounts(accepted=6, pending=6)

    def claim(connection: Connection) -> list[outbox.Claimed]:
        return outbox.claim(connection, owner=OWNER, limit=100, lease_seconds=60)

    claimed = await store.write(claim)
    portal = [row for row in claimed if row.target == "national_portal"]
    await store.write(lambda c: outbox.mark_delivered(c, OWNER, [r.id for r in portal[:3]]))
    await store.write(lambda c: outbox.mark_dead(c, OWNER, [Failure(portal[3].id, "refused")]))
    await store.write(
        lambda c: outbox.schedule_retry(
            c,
            OWNER,
            [(row, Failure(row.id, "timed out")) for row in portal[4:]],
            backoff=Backoff(0.0, 0.0),
            dead_after_seconds=3600,
        )
    )
    others = [row.id for row in claimed if row.target != "national_portal"]
    await store.write(lambda c: outbox.release(c, OWNER, others))
    await _agree(store)

    await store.write(claim)  # the retried rows' second attempt: tried more than once
    counts = await _agree(store)
    assert counts["national_portal"].retried == 2
    assert counts["national_portal"].dead == 1

    def operator(connection: Connection) -> None:
        connection.execute(
            update(outbox_table)
            .where(outbox_table.c.id == portal[3].id)
            .values(state=State.pending.value, attempts=0)
        )
        connection.execute(
            update(outbox_table)
            .where(outbox_table.c.id == portal[4].id)
            .values(state=State.discarded.value, lease_owner=None)
        )

    await store.write(operator)
    await store.write(lambda c: outbox.enqueue(c, _events(2, 100)))
    before_purge = await _agree(store)
    assert before_purge["national_portal"].discarded == 1

    purged = await store.write(
        lambda c: retention.purge_delivered(c, before=time.time() + 60, limit=100)
    )
    assert purged == 3
    after = await store.read(outbox.counts)
    assert after["national_portal"].delivered == 3
    assert after["national_portal"].accepted == before_purge["national_portal"].accepted
    outbox_alone = await store.read(recount)
    assert outbox_alone["national_portal"].delivered == 0
    assert after["monitoring_centre"] == outbox_alone["monitoring_centre"]


async def test_a_batch_of_many_rows_is_counted_once_each(store: Store) -> None:
    await store.write(lambda c: outbox.enqueue(c, _events(500, 0)))
    counts = await _agree(store)
    assert counts["monitoring_centre"] == TargetCounts(accepted=500, pending=500)
