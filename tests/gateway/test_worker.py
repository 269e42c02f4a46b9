"""The delivery worker with a fake portal, on SQLite and on PostgreSQL: order, retries, dead
letters, leases kept by heartbeats and taken over from dead workers, several workers at once."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import time
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import (
    Connection,
    create_engine,
    select,
    update,
)

from adapters import CircuitState
from adapters.errors import TransientError
from gateway import outbox
from gateway.bootstrap import Gateway
from gateway.settings import Settings
from gateway.store import Store, sync_url
from gateway.store.schema import outbox as outbox_table
from gateway.worker import Worker, WorkerConfig
from tests.gateway.fakes import FakePortal
from tests.gateway.replica_claims import claim_log, claimer
from tests.gateway.samples import dossier_json, step_json

CODE = "000.00.01.H56-261102-00001"


@pytest.fixture
def settings(settings: Settings, store_url: str) -> Settings:
    """The gateway of ``tests/gateway/conftest.py``, on each store in turn."""
    return settings.model_copy(update={"database_url": store_url})


def claim(owner: str) -> Callable[[Connection], list[outbox.Claimed]]:
    return lambda c: outbox.claim(c, owner=owner, limit=10, lease_seconds=60)


async def _rows(gateway: Gateway) -> list[dict[str, object]]:
    def read(connection: Connection) -> list[dict[str, object]]:
        result = connection.execute(select(outbox_table).order_by(outbox_table.c.id))
        return [dict(row._mapping) for row in result]

    return await gateway.store.read(read)


async def _change(gateway: Gateway, **values: object) -> None:
    await gateway.store.write(lambda c: c.execute(update(outbox_table).values(**values)))


async def _make_due(gateway: Gateway) -> None:
    await _change(gateway, due_at=time.time() - 1)


async def test_delivers_snapshot_then_steps_in_order(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    steps = [step_json(10), step_json(20), step_json(30, "resolved")]
    await client.post(f"/v1/dossiers/{CODE}/progress", json={"steps": steps})
    while await gateway.worker.run_once():
        pass
    assert portal.calls[0] == ("DongBoHoSoMC", [CODE])
    assert [c[0] for c in portal.calls[1:]] == ["CapNhatTienDoHoSoMC"] * 3
    times = [p.ThoiDiemXuLy for p in portal.progress[CODE]]
    assert times == sorted(times) and len(times) == 3


async def test_one_claim_takes_one_event_per_dossier(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    for n in (1, 2, 3):
        await client.post("/v1/dossiers", json=dossier_json(n, progress=[step_json(10)]))
    await gateway.worker.run_once()
    assert portal.calls == [("DongBoHoSoMC", [dossier_json(n)["code"] for n in (1, 2, 3)])]


async def test_retries_after_transient_failure_then_delivers(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    portal.transient_failures = 2
    await client.post("/v1/dossiers", json=dossier_json())
    await gateway.worker.run_once()
    (row,) = await _rows(gateway)
    assert row["state"] == "pending"
    assert "503" in str(row["last_error"])
    assert row["lease_owner"] is None
    for _ in range(2):
        await _make_due(gateway)
        await gateway.worker.run_once()
    (row,) = await _rows(gateway)
    assert (row["state"], row["attempts"]) == ("delivered", 3)
    assert CODE in portal.dossiers
    status = (await client.get("/v1/status")).json()["targets"]["national_portal"]
    assert (status["delivered"], status["retried"]) == (1, 1)


async def test_retry_after_from_the_portal_sets_the_next_attempt(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    portal.transient_failures, portal.retry_after = 1, 120.0
    await client.post("/v1/dossiers", json=dossier_json())
    before = time.time()
    await gateway.worker.run_once()
    (row,) = await _rows(gateway)
    assert float(row["due_at"]) >= before + 120  # type: ignore[arg-type]
    assert await gateway.worker.run_once() == 0


async def test_no_rows_are_claimed_for_a_system_whose_circuit_is_open(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    breaker = gateway.national.guards["national_portal"].breaker

    async def down() -> None:
        raise TransientError("national_portal", "down")

    for _ in range(5):
        with pytest.raises(TransientError):
            await breaker.call(down)
    assert breaker.state == CircuitState.open

    assert await gateway.worker.run_once() == 0
    (row,) = await _rows(gateway)
    assert (row["state"], row["attempts"], row["lease_owner"]) == ("pending", 0, None)
    assert portal.calls == []


async def test_permanent_refusal_is_dead_at_once_with_its_reason(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    portal.refuse[CODE] = "MaTTHC: không tồn tại thủ tục"
    await client.post("/v1/dossiers", json=dossier_json())
    await client.post("/v1/dossiers", json=dossier_json(2))
    await gateway.worker.run_once()
    rows = await _rows(gateway)
    assert [r["state"] for r in rows] == ["dead", "delivered"]
    assert "không tồn tại thủ tục" in str(rows[0]["last_error"])
    state = (await client.get(f"/v1/dossiers/{CODE}")).json()["sync"][0]
    assert state["dead"] == 1
    assert "không tồn tại thủ tục" in state["last_error"]


async def test_events_too_old_are_dead_lettered(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    portal.transient_failures = 1
    await client.post("/v1/dossiers", json=dossier_json())
    await _change(gateway, created_at=time.time() - 73 * 3600)
    await gateway.worker.run_once()
    (row,) = await _rows(gateway)
    assert row["state"] == "dead"
    assert "undelivered after 1 attempts" in str(row["last_error"])


async def test_a_dead_event_does_not_block_the_next(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    portal.refuse[CODE] = "bị từ chối"
    await client.post("/v1/dossiers", json=dossier_json())
    await client.post(f"/v1/dossiers/{CODE}/progress", json={"steps": [step_json()]})
    await gateway.worker.run_once()
    del portal.refuse[CODE]
    await gateway.worker.run_once()
    assert [r["state"] for r in await _rows(gateway)] == ["dead", "delivered"]


async def test_leased_rows_are_not_claimed_twice_until_the_lease_runs_out(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    first = await gateway.store.write(claim("a"))
    second = await gateway.store.write(claim("b"))
    assert len(first) == 1 and second == []
    await _change(gateway, lease_until=time.time() - 1)
    third = await gateway.store.write(claim("b"))
    assert [r.id for r in third] == [first[0].id]
    assert third[0].attempts == 2


async def test_a_stale_worker_cannot_overwrite_the_new_owner(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    (row,) = await gateway.store.write(claim("old"))
    await _change(gateway, lease_until=time.time() - 1)
    await gateway.store.write(claim("new"))
    await gateway.store.write(lambda c: outbox.mark_delivered(c, "old", [row.id]))
    (stored,) = await _rows(gateway)
    assert (stored["state"], stored["lease_owner"]) == ("pending", "new")


async def test_released_rows_are_due_again_without_counting_an_attempt(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    (row,) = await gateway.store.write(claim("w"))
    await gateway.store.write(lambda c: outbox.release(c, "w", [row.id]))
    (again,) = await gateway.store.write(claim("w"))
    assert again.id == row.id and again.attempts == 1


def test_backoff_grows_and_honours_what_the_portal_asked() -> None:
    backoff = outbox.Backoff(base=1.0, cap=60.0)
    assert 0.5 <= backoff.delay(1) <= 1.0
    assert 4.0 <= backoff.delay(4) <= 8.0
    assert backoff.delay(30) <= 60.0
    assert 30.0 <= backoff.delay(5_000) <= 60.0, "an event retried for months still waits the cap"
    assert backoff.delay(1, asked=30.0) == 30.0


async def test_stopping_finishes_the_delivery_under_way(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    task = asyncio.create_task(gateway.worker.run())
    await asyncio.sleep(0.2)
    await gateway.worker.stop(task)
    assert task.done()
    (row,) = await _rows(gateway)
    assert (row["state"], row["lease_owner"]) == ("delivered", None)


async def test_a_delivery_cut_short_gives_its_rows_back(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    started = asyncio.Event()

    async def hang(dossiers: object) -> list[object]:
        started.set()
        await asyncio.sleep(3600)
        return []

    portal.push_dossiers = hang  # type: ignore[assignment,method-assign]
    await client.post("/v1/dossiers", json=dossier_json())
    task = asyncio.create_task(gateway.worker.run_once())
    await started.wait()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    (row,) = await _rows(gateway)
    assert (row["state"], row["lease_owner"], row["attempts"]) == ("pending", None, 0)


async def _wait_for(condition: Callable[[], object], what: str, patience: float = 30) -> None:
    """Wait until ``condition()`` holds; ``patience`` only keeps a broken run from hanging."""
    deadline = time.monotonic() + patience
    while not await condition():  # type: ignore[misc]
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.05)


async def test_a_slow_delivery_keeps_its_rows_after_the_first_lease_ran_out(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    lease = 1.5
    worker = Worker(gateway.store, gateway.dossier_targets, WorkerConfig(lease_seconds=lease))
    in_call, answer = asyncio.Event(), asyncio.Event()
    push = portal.push_dossiers

    async def slow(dossiers: object) -> object:
        in_call.set()
        await answer.wait()
        return await push(dossiers)  # type: ignore[arg-type]

    portal.push_dossiers = slow  # type: ignore[assignment,method-assign]
    await client.post("/v1/dossiers", json=dossier_json())
    delivering = asyncio.create_task(worker.run_once())
    await in_call.wait()
    (row,) = await _rows(gateway)
    first_lease_until = float(row["lease_until"])  # type: ignore[arg-type]

    async def first_lease_over_and_extended() -> bool:
        (now_row,) = await _rows(gateway)
        until = float(now_row["lease_until"])  # type: ignore[arg-type]
        return time.time() > first_lease_until and until > time.time()

    await _wait_for(first_lease_over_and_extended, "the heartbeat to outlast the first lease")
    assert await gateway.store.write(claim("another-replica")) == []
    answer.set()
    assert await delivering == 1
    (row,) = await _rows(gateway)
    assert (row["state"], row["attempts"], row["lease_owner"]) == ("delivered", 1, None)
    assert portal.calls == [("DongBoHoSoMC", [CODE])]


async def test_rows_of_a_dead_worker_are_delivered_once_its_lease_runs_out(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    (taken,) = await gateway.store.write(
        lambda c: outbox.claim(c, owner="died-mid-delivery", limit=10, lease_seconds=2)
    )
    assert await gateway.worker.run_once() == 0, "a live lease is respected"

    async def delivered() -> bool:
        await gateway.worker.run_once()
        (row,) = await _rows(gateway)
        return row["state"] == "delivered"

    await _wait_for(delivered, "the dead worker's lease to run out")
    (row,) = await _rows(gateway)
    assert (row["id"], row["attempts"]) == (taken.id, 2)
    assert portal.calls == [("DongBoHoSoMC", [CODE])]


async def test_two_processes_claiming_at_once_never_share_a_row_nor_break_an_order(
    store_url: str,
) -> None:
    store = Store(store_url)
    await store.migrate()
    events = [
        outbox.NewEvent("national_portal", "progress", f"key-{key}", "{}", f"{key}-{n}")
        for n in range(5)
        for key in range(30)
    ]
    ids = await store.write(lambda c: outbox.enqueue(c, events))
    await store.dispose()
    engine = create_engine(sync_url(store_url))
    claim_log.create(engine)
    context = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[tuple[str, list[int]]] = context.Queue()
    start = context.Barrier(2, timeout=60)
    processes = [
        context.Process(target=claimer, args=(store_url, owner, start, results))
        for owner in ("a", "b")
    ]
    for process in processes:
        process.start()
    taken = dict(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=30)
    with engine.connect() as connection:
        log = connection.execute(select(claim_log).order_by(claim_log.c.seq)).all()
    engine.dispose()
    assert taken["a"] and taken["b"], "both processes took part"
    assert not set(taken["a"]) & set(taken["b"])
    assert sorted(taken["a"] + taken["b"]) == sorted(ids)
    per_key: dict[str, list[int]] = {}
    for entry in log:
        per_key.setdefault(entry.ordering_key, []).append(entry.row_id)
    assert all(delivered == sorted(delivered) for delivered in per_key.values())
    assert sum(map(len, per_key.values())) == len(ids)


async def test_an_unexpected_failure_is_kept_without_personal_data(
    client: httpx.AsyncClient,
    gateway: Gateway,
    portal: FakePortal,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(rows: object) -> list[object]:
        raise RuntimeError("no match for 001095001234 Nguyễn Văn An born 1995-03-14")

    monkeypatch.setattr(gateway.dossier_targets["national_portal"], "deliver", broken)
    reply = await client.post("/v1/dossiers", json=dossier_json())
    assert reply.status_code in (200, 202), reply.text
    await gateway.worker.run_once()

    kept = str((await _rows(gateway))[0]["last_error"])
    shown = str(gateway.worker.health["national_portal"].last_error)
    for text in (kept, shown):
        assert text.startswith("RuntimeError: ")
        for personal in ("001095001234", "Nguyễn Văn An", "1995-03-14"):
            assert personal not in text
