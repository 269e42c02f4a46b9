"""The status's outbox counts always equal a count of the outbox itself, whatever changes it:
queueing, claiming, delivering, retrying, dying, an operator's replay or discard, a lease given
back, retention's purge. On SQLite they are the counts the store's triggers keep (migration
0012); on PostgreSQL the sum of the changes triggers append per statement (migration 0014), folded
now and then (``gateway.outbox_count_compaction``): right before and after folding, with several
replicas writing and folding at once, and without a writer ever waiting on another's counts."""

from __future__ import annotations

import asyncio
import time
from functools import partial

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, func, select, text, update

from gateway import outbox, retention
from gateway import outbox_count_compaction as compaction
from gateway.outbox import Backoff, Failure, NewEvent, State, TargetCounts
from gateway.outbox_count_compaction import CountCompaction
from gateway.store import Store, sync_url
from gateway.store.engine import MIGRATIONS
from gateway.store.schema import outbox as outbox_table
from gateway.store.schema import outbox_count_changes

OWNER = "worker-1"


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


async def test_folding_keeps_the_counts_and_leaves_one_row_per_system_and_state(
    postgres_url: str,
) -> None:
    store = Store(postgres_url)
    await store.migrate()
    try:
        for start in range(0, 50, 5):
            await store.write(partial(outbox.enqueue, events=_events(5, start)))
        claimed = await store.write(
            lambda c: outbox.claim(c, owner=OWNER, limit=30, lease_seconds=60)
        )
        for row in claimed[:20]:
            await store.write(partial(outbox.mark_delivered, owner=OWNER, ids=[row.id]))
        before = await _agree(store)
        changes = await store.read(_changes)
        assert changes > 20

        left = await store.write(compaction.fold)
        after = await _agree(store)
        assert after == before
        groups = {(t, s) for t, per in after.items() for s in ("pending", "delivered") if per}
        assert left == await store.read(_changes) == len(groups) == 4
        assert await store.write(compaction.fold) == 4
        assert await _agree(store) == before
    finally:
        await store.dispose()


async def test_counts_equal_the_outbox_after_replicas_work_and_fold_at_once(
    postgres_url: str,
) -> None:
    replicas = [Store(postgres_url) for _ in range(3)]
    await replicas[0].migrate()
    folders = [CountCompaction(store, interval=0.01) for store in replicas]
    folding = [asyncio.create_task(folder.run()) for folder in folders]
    try:
        await asyncio.gather(
            *(_mixed_work(store, f"replica-{n}", n * 10_000) for n, store in enumerate(replicas))
        )
        assert [folder.leadership.leading for folder in folders].count(True) == 1
        folded = await _folded_soon(replicas[2])
        assert folded, "the leading replica did not fold the changes once the work stopped"
    finally:
        for folder in folders:
            folder.stop()
        await asyncio.gather(*folding)
    try:
        counts = await _agree(replicas[0])
        assert sum(per.accepted for per in counts.values()) == 3 * 8 * 10 * 2
        for target in ("national_portal", "monitoring_centre"):
            assert counts[target].delivered and counts[target].dead
            assert counts[target].pending and counts[target].retried
            assert counts[target].discarded
        await replicas[1].write(compaction.fold)
        assert await _agree(replicas[2]) == counts
    finally:
        for store in replicas:
            await store.dispose()


async def _folded_soon(store: Store) -> bool:
    """Whether the change rows come down to one per national system and state (which only a
    fold makes), checked every 10 ms a few hundred times."""
    for _ in range(500):
        rows, groups = await store.read(
            lambda c: (
                _changes(c),
                c.execute(
                    select(func.count()).select_from(
                        select(outbox_table.c.target, outbox_table.c.state)
                        .group_by(outbox_table.c.target, outbox_table.c.state)
                        .subquery()
                    )
                ).scalar_one(),
            )
        )
        if rows <= groups:
            return True
        await asyncio.sleep(0.01)
    return False


async def _mixed_work(store: Store, owner: str, start: int) -> None:
    """Eight rounds of what a replica does: take in a batch, claim, deliver, fail for good, fail
    for now, give back, and every other round an operator's replay and discard."""
    for round_ in range(8):
        await _one_round(store, owner, start + round_ * 10, operator=round_ % 2 == 0)


async def _one_round(store: Store, owner: str, first: int, *, operator: bool) -> None:
    await store.write(lambda c: outbox.enqueue(c, _events(10, first)))
    claimed = await store.write(lambda c: outbox.claim(c, owner=owner, limit=12, lease_seconds=60))
    # Each system's claimed events are shared out among the four outcomes, so that each system
    # meets every outcome whatever rows the replicas' claims happened to take.
    per_system: dict[str, list[outbox.Claimed]] = {}
    for row in claimed:
        per_system.setdefault(row.target, []).append(row)
    delivered, dead, retried, released = (
        [row for rows in per_system.values() for row in rows[k::4]] for k in range(4)
    )
    await store.write(lambda c: outbox.mark_delivered(c, owner, [r.id for r in delivered]))
    await store.write(
        lambda c: outbox.mark_dead(c, owner, [Failure(r.id, "refused") for r in dead])
    )
    await store.write(
        lambda c: outbox.schedule_retry(
            c,
            owner,
            [(row, Failure(row.id, "timed out")) for row in retried],
            backoff=Backoff(0.0, 0.0),
            dead_after_seconds=3600,
        )
    )
    await store.write(lambda c: outbox.release(c, owner, [r.id for r in released]))
    if operator:
        await store.write(lambda c: _replay_and_discard(c, dead))


def _replay_and_discard(connection: Connection, dead: list[outbox.Claimed]) -> None:
    """An operator discards the first dead event of each system and replays the others."""
    first_of: dict[str, int] = {}
    for row in dead:
        first_of.setdefault(row.target, row.id)
    discarded = list(first_of.values())
    replayed = [row.id for row in dead if row.id not in discarded]
    connection.execute(
        update(outbox_table)
        .where(outbox_table.c.id.in_(replayed))
        .values(state=State.pending.value, attempts=0)
    )
    connection.execute(
        update(outbox_table)
        .where(outbox_table.c.id.in_(discarded))
        .values(state=State.discarded.value, lease_owner=None)
    )


async def test_a_writer_never_waits_on_the_counts_of_another_transaction(
    postgres_url: str,
) -> None:
    """One transaction claims, delivers, fails and folds, and stays open; another queues, does
    the same to the same national systems and states and folds too meanwhile, with a lock
    timeout: it would fail on the first row lock it had to wait for. (Queueing waits on queueing,
    by design: ``gateway.outbox.enqueue`` appends one transaction at a time.)"""
    store = Store(postgres_url)
    await store.migrate()
    await store.write(lambda c: outbox.enqueue(c, _events(4, 0)))
    await store.dispose()
    engine = create_engine(sync_url(postgres_url))
    try:
        with engine.connect() as open_one, engine.connect() as other:
            open_one.begin()
            held = outbox.claim(open_one, owner=OWNER, limit=3, lease_seconds=60)
            outbox.mark_delivered(open_one, OWNER, [row.id for row in held[:2]])
            outbox.mark_dead(open_one, OWNER, [Failure(held[2].id, "refused")])
            compaction.fold(open_one)

            with other.begin():
                other.execute(text("SET LOCAL lock_timeout = '1s'"))
                outbox.enqueue(other, _events(2, 200))
                mine = outbox.claim(other, owner="worker-2", limit=3, lease_seconds=60)
                outbox.mark_delivered(other, "worker-2", [row.id for row in mine[:2]])
                outbox.mark_dead(other, "worker-2", [Failure(mine[2].id, "refused")])
                compaction.fold(other)
            open_one.commit()
            counts = outbox.counts(other)
            assert counts == recount(other)
            assert sum(per.delivered for per in counts.values()) == 4
            assert sum(per.dead for per in counts.values()) == 2
    finally:
        engine.dispose()


async def test_the_migration_counts_the_rows_already_in_the_outbox(postgres_url: str) -> None:
    engine = create_engine(sync_url(postgres_url))
    try:
        _migrate(engine, "0013")
        with engine.begin() as connection:
            outbox.enqueue(connection, _events(7, 0))
            outbox.claim(connection, owner=OWNER, limit=3, lease_seconds=60)
        _migrate(engine, "head")
        with engine.connect() as connection:
            counts = outbox.counts(connection)
            assert counts == recount(connection)
            assert counts["national_portal"] == TargetCounts(accepted=7, pending=7)
    finally:
        engine.dispose()


def _migrate(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def _changes(connection: Connection) -> int:
    return int(
        connection.execute(select(func.count()).select_from(outbox_count_changes)).scalar_one()
    )
