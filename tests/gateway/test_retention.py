"""Retention on SQLite and PostgreSQL: old delivered events, idempotency keys and access audit
records go, in batches; what operators decide about stays; every count and chart stays right."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import Connection, Table, func, select, update

from gateway import outbox
from gateway.bootstrap import Gateway
from gateway.operations import FailureQuery, Operator, Selection
from gateway.registries.audit import Access
from gateway.retention import DAY, Purged, Retention, RetentionConfig
from gateway.settings import Settings
from gateway.store.schema import audit_records, delivery_attempts, delivery_tally, idempotency_keys
from gateway.store.schema import outbox as outbox_table
from tests.gateway.fakes import FakePortal
from tests.gateway.samples import dossier_json

OLD = 40 * DAY


@pytest.fixture
def settings(settings: Settings, store_url: str) -> Settings:
    return settings.model_copy(update={"database_url": store_url})


def _count(table: Table) -> Callable[[Connection], int]:
    return lambda c: int(c.execute(select(func.count()).select_from(table)).scalar_one())


async def _age(gateway: Gateway, seconds: float, *, ids: list[int] | None = None) -> None:
    """Make events (``ids``, or all and the idempotency keys) ``seconds`` older."""

    def change(connection: Connection) -> None:
        rows = update(outbox_table)
        if ids is not None:
            rows = rows.where(outbox_table.c.id.in_(ids))
        connection.execute(
            rows.values(
                created_at=outbox_table.c.created_at - seconds,
                delivered_at=outbox_table.c.delivered_at - seconds,
            )
        )
        if ids is None:
            connection.execute(
                update(idempotency_keys).values(created_at=idempotency_keys.c.created_at - seconds)
            )

    await gateway.store.write(change)


async def test_old_delivered_events_go_counted_and_what_operators_decide_stays(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    for n in range(1, 6):
        await client.post(
            "/v1/dossiers", json=dossier_json(n), headers={"Idempotency-Key": f"push-{n}"}
        )
    portal.transient_failures = 1
    await gateway.worker.run_once()
    await gateway.store.write(
        lambda c: c.execute(update(outbox_table).values(due_at=time.time() - 1))
    )
    await gateway.worker.run_once()
    portal.refuse[dossier_json(6)["code"]] = "bị từ chối"
    await client.post("/v1/dossiers", json=dossier_json(6))
    await client.post("/v1/dossiers", json=dossier_json(7))
    await gateway.worker.run_once()
    fresh = await client.post("/v1/dossiers", json=dossier_json(8))
    await gateway.worker.run_once()
    await gateway.operations.discard(
        Selection(query=FailureQuery()), operator=Operator("o", "O"), reason="bỏ"
    )
    before = await gateway.store.read(outbox.counts)
    await _age(gateway, OLD)
    fresh_id = fresh.json()["queued"][0]["id"]
    await _age(gateway, -OLD, ids=[fresh_id])
    days_before = await gateway.operations.daily("national_portal", days=60)
    retention = Retention(gateway.store, RetentionConfig(batch=2))

    purged = await retention.purge()

    assert purged == Purged(delivered=6, idempotency_keys=5, audit_records=0)
    after = await gateway.store.read(outbox.counts)
    assert after == before, "counts stay what they were"
    assert (after["national_portal"].delivered, after["national_portal"].retried) == (7, 5)
    states = await gateway.store.read(
        lambda c: list(
            c.execute(select(outbox_table.c.state).order_by(outbox_table.c.id)).scalars()
        )
    )
    assert states == ["discarded", "delivered"], "the discarded one and the fresh one stay"
    assert await gateway.store.read(_count(delivery_attempts)) == 2
    assert await gateway.store.read(_count(idempotency_keys)) == 0
    tally = await gateway.store.read(
        lambda c: c.execute(
            select(func.sum(delivery_tally.c.delivered), func.sum(delivery_tally.c.retried))
        ).one()
    )
    assert tuple(tally) == (6, 5)
    assert await gateway.operations.daily("national_portal", days=60) == days_before
    (status,) = [s for s in await gateway.operations.status() if s.system == "national_portal"]
    assert status.counts == before["national_portal"]
    assert await retention.purge() == Purged(), "nothing is purged twice"


async def test_the_access_audit_goes_on_its_own_period(gateway: Gateway) -> None:
    access = Access("lookup", "population_registry", "demo", "cb", "kiểm tra", "HS-1", "0123")

    def write(at: float) -> Callable[[Connection], None]:
        def work(connection: Connection) -> None:
            gateway.auditor.record(connection, access, "found")
            connection.execute(
                update(audit_records)
                .where(audit_records.c.id == select(func.max(audit_records.c.id)).scalar_subquery())
                .values(at=at)
            )

        return work

    now = time.time()
    for at in (now - 800 * DAY, now - 700 * DAY, now - 1 * DAY):
        await gateway.store.write(write(at))
    config = RetentionConfig(delivered_seconds=0, audit_seconds=730 * DAY)

    purged = await Retention(gateway.store, config).purge()
    kept = await gateway.store.read(_count(audit_records))
    forever = await Retention(gateway.store, replace(config, audit_seconds=0)).purge()

    assert (purged.audit_records, kept, forever) == (1, 2, Purged())


async def test_a_period_of_zero_keeps_everything(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    await client.post("/v1/dossiers", json=dossier_json(), headers={"Idempotency-Key": "k"})
    await gateway.worker.run_once()
    await _age(gateway, 10_000 * DAY)

    purged = await Retention(gateway.store, RetentionConfig(0, 0)).purge()

    assert purged == Purged()


async def test_running_it_purges_in_the_background_and_stops_when_asked(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    await gateway.worker.run_once()
    await _age(gateway, OLD)
    retention = Retention(gateway.store, RetentionConfig(first_delay=0.0, interval=0.05))

    task = asyncio.create_task(retention.run())
    for _ in range(200):
        if await gateway.store.read(_count(outbox_table)) == 0:
            break
        await asyncio.sleep(0.05)
    retention.stop()
    await asyncio.wait_for(task, 10)

    assert await gateway.store.read(_count(outbox_table)) == 0
    assert not retention.leadership.leading, "it lets another replica lead once stopped"
    counts = await gateway.store.read(outbox.counts)
    assert counts["national_portal"].delivered == 1


def test_the_gateway_runs_retention_with_the_configured_periods(gateway: Gateway) -> None:
    config = gateway.retention.config
    assert (config.delivered_seconds, config.audit_seconds) == (30 * DAY, 730 * DAY)
    assert config.interval == 3600.0
