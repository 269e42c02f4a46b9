"""Several gateway replicas on one PostgreSQL database: notices wake idle workers of other
replicas, and one replica at a time runs the document-axis poller."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Connection, text

from gateway import outbox
from gateway.app import create_app
from gateway.documents.poller import InboundPoller, PollerConfig
from gateway.settings import Settings
from gateway.store import Store, notifications
from gateway.store.leader import Leadership
from tests.gateway.conftest import demo_token
from tests.gateway.fakes import FakeAxis, FakePortal
from tests.gateway.samples import dossier_json

CODE = "000.00.01.H56-261102-00001"


async def _eventually(condition: Callable[[], Awaitable[bool]], what: str) -> None:
    """Wait until ``condition()`` holds; the deadline only keeps a broken run from hanging."""
    deadline = time.monotonic() + 30
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.05)


@pytest.fixture
async def stores(postgres_url: str) -> AsyncIterator[tuple[Store, Store]]:
    """Two replicas' stores: separate engines and sessions on one database."""
    first, second = Store(postgres_url), Store(postgres_url)
    await first.migrate()
    yield first, second
    await first.dispose()
    await second.dispose()


async def test_queueing_in_one_replica_notifies_a_listener_in_another(
    stores: tuple[Store, Store],
) -> None:
    accepting, listening_store = stores
    heard: asyncio.Queue[None] = asyncio.Queue()
    listening = asyncio.Event()
    listener = asyncio.create_task(
        notifications.listen(listening_store, lambda: heard.put_nowait(None), listening=listening)
    )
    try:
        await asyncio.wait_for(listening.wait(), 30)
        while not heard.empty():  # the call every new listening session makes
            heard.get_nowait()
        event = outbox.NewEvent("national_portal", "dossier", CODE, "{}", "notice-1")
        await accepting.write(lambda c: outbox.enqueue(c, [event]))
        await asyncio.wait_for(heard.get(), 30)
    finally:
        listener.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listener


def _replica_settings(tmp_path: Path, url: str, **values: object) -> Settings:
    return Settings(
        database_url=url,
        retry_base_seconds=0.0,
        document_poller_enabled=False,
        keys_dir=tmp_path / "keys",
        **values,  # type: ignore[arg-type]
    )


@contextlib.asynccontextmanager
async def _replica(settings: Settings, portal: FakePortal) -> AsyncIterator[FastAPI]:
    application = create_app(
        settings, adapters={"national_portal": portal, "document_axis": FakeAxis()}
    )
    async with application.router.lifespan_context(application):
        yield application


async def test_an_idle_worker_is_woken_by_work_another_replica_accepted(
    tmp_path: Path, postgres_url: str
) -> None:
    """The delivering replica polls once a minute; the dossier reaches the portal long before,
    so it was the notice from the accepting replica that woke it."""
    accepting_portal, delivering_portal = FakePortal(), FakePortal()
    accepting_settings = _replica_settings(tmp_path, postgres_url, worker_enabled=False)
    delivering_settings = _replica_settings(
        tmp_path, postgres_url, worker_enabled=True, worker_poll_interval=60.0
    )
    async with (
        _replica(accepting_settings, accepting_portal) as accepting,
        _replica(delivering_settings, delivering_portal) as delivering,
    ):
        worker = delivering.state.gateway.worker
        await asyncio.wait_for(worker.listening.wait(), 30)
        await asyncio.sleep(0.3)  # let the rounds every listening session starts with finish
        transport = httpx.ASGITransport(app=accepting)
        async with httpx.AsyncClient(transport=transport, base_url="http://a.test") as client:
            client.headers["Authorization"] = f"Bearer {await demo_token(client)}"
            assert (await client.post("/v1/dossiers", json=dossier_json())).status_code == 202

        async def delivered() -> bool:
            return CODE in delivering_portal.dossiers

        await _eventually(delivered, "the other replica's worker to deliver")
    assert accepting_portal.calls == []


async def test_one_replica_leads_until_it_resigns(stores: tuple[Store, Store]) -> None:
    first, second = (Leadership(store, "a job") for store in stores)
    try:
        assert await first.lead()
        assert await first.lead(), "leading goes on at the next tick"
        assert not await second.lead()
        await first.resign()
        assert await second.lead()
        assert not await first.lead()
    finally:
        await first.resign()
        await second.resign()


async def test_a_leader_whose_session_ends_knows_it_no_longer_leads(
    stores: tuple[Store, Store],
) -> None:
    first, second = (Leadership(store, "a job") for store in stores)
    try:
        assert await first.lead()
        session = await stores[1].connect_direct()
        async with session:
            await session.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE pid <> pg_backend_pid() AND query LIKE '%pg_try_advisory_lock%'"
            )
        assert await second.lead()
        assert not await first.lead()
    finally:
        await first.resign()
        await second.resign()


LEAD_UNTIL_KILLED = """
import asyncio, sys
from gateway.store import Store
from gateway.store.leader import Leadership

async def main():
    leadership = Leadership(Store(sys.argv[1]), "a job")
    assert await leadership.lead()
    print("leading", flush=True)
    await asyncio.sleep(3600)

asyncio.run(main())
"""


async def test_another_replica_takes_over_when_the_leader_dies(
    stores: tuple[Store, Store], postgres_url: str
) -> None:
    leader = await asyncio.create_subprocess_exec(
        sys.executable, "-c", LEAD_UNTIL_KILLED, postgres_url, stdout=asyncio.subprocess.PIPE
    )
    follower = Leadership(stores[1], "a job")
    try:
        assert leader.stdout is not None
        assert await asyncio.wait_for(leader.stdout.readline(), 60) == b"leading\n"
        assert not await follower.lead()
        leader.kill()
        await leader.wait()
        await _eventually(follower.lead, "the lock of the killed leader to be released")
    finally:
        if leader.returncode is None:
            leader.kill()
            await leader.wait()
        await follower.resign()


class CountingAxis(FakeAxis):
    def __init__(self) -> None:
        super().__init__()
        self.polls = 0

    async def pending_documents(self, limit: int | None = None) -> list[str]:
        self.polls += 1
        return await super().pending_documents(limit)


async def test_one_replica_at_a_time_polls_the_document_axis(
    stores: tuple[Store, Store],
) -> None:
    axes = (CountingAxis(), CountingAxis())

    def refuse(package: bytes, kind: str) -> object:
        raise AssertionError("nothing waits on the axis")

    pollers = [
        InboundPoller(store, axis, refuse, PollerConfig(interval=0.02))  # type: ignore[arg-type]
        for store, axis in zip(stores, axes, strict=True)
    ]
    first = asyncio.create_task(pollers[0].run())

    async def first_polled() -> bool:
        return axes[0].polls >= 1

    await _eventually(first_polled, "the first replica to poll")
    second = asyncio.create_task(pollers[1].run())

    async def first_polled_more() -> bool:
        return axes[0].polls >= 20

    await _eventually(first_polled_more, "the leader to go on polling")
    assert axes[1].polls == 0, "the second replica waits while the first leads"
    await pollers[0].stop()
    await first

    async def second_polled() -> bool:
        return axes[1].polls >= 1

    await _eventually(second_polled, "the second replica to take over")
    await pollers[1].stop()
    await second


async def test_on_sqlite_the_only_process_always_leads(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path}/gateway.db")
    try:
        assert await Leadership(store, "a job").lead()
        assert await Leadership(store, "a job").lead()
    finally:
        await store.dispose()


async def test_a_later_event_waits_for_an_earlier_one_still_being_committed(
    stores: tuple[Store, Store], postgres_url: str
) -> None:
    """Replica A has queued a dossier's event but not committed yet; replica B queues the next
    one. B must not commit first: a claim in between would deliver B's event before A's."""
    first_replica, second_replica = stores
    claiming = Store(postgres_url)
    holding, release = threading.Event(), threading.Event()

    def queue(key: str, hold: bool) -> Callable[[Connection], list[int]]:
        def work(connection: Connection) -> list[int]:
            event = outbox.NewEvent("national_portal", "progress", CODE, "{}", key)
            ids = outbox.enqueue(connection, [event])
            if hold:
                holding.set()
                release.wait(30)
            return ids

        return work

    try:
        earlier = asyncio.create_task(first_replica.write(queue("earlier", hold=True)))
        await asyncio.to_thread(holding.wait, 30)
        later = asyncio.create_task(second_replica.write(queue("later", hold=False)))

        async def later_committed_or_waiting() -> bool:
            return later.done() or await _waiting_on_an_advisory_lock(claiming)

        await _eventually(later_committed_or_waiting, "the later transaction to commit or wait")
        claimed_meanwhile = await claiming.write(
            lambda c: outbox.claim(c, owner="c", limit=10, lease_seconds=60)
        )
        release.set()
        (earlier_id,), (later_id,) = await earlier, await later
        claimed_after = await claiming.write(
            lambda c: outbox.claim(c, owner="c", limit=10, lease_seconds=60)
        )
    finally:
        release.set()
        await claiming.dispose()
    assert claimed_meanwhile == []
    assert [row.id for row in claimed_after] == [earlier_id]
    assert earlier_id < later_id


async def _waiting_on_an_advisory_lock(store: Store) -> bool:
    waiting = await store.read(
        lambda c: c.execute(
            text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        ).scalar_one()
    )
    return bool(waiting)
