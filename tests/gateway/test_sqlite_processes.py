"""Processes on one SQLite file: work queued by one wakes the idle workers of the others at once
(``gateway.store.bell``), and each singleton job is led by one process at a time
(``gateway.store.file_leads``), taken over when that process ends. The other process is a real
one, driven through pipes."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path

import pytest

from gateway import outbox
from gateway.delivery import Outcome
from gateway.store import Store
from gateway.store.bell import Bell
from gateway.store.leader import Leadership
from gateway.worker import Worker, WorkerConfig

QUEUER = """
import asyncio, sys
from gateway import outbox
from gateway.store import Store

async def main():
    store = Store(sys.argv[1])
    event = outbox.NewEvent("national_portal", "dossier", "c-1", "{}", "from-another-process")
    await store.write(lambda c: outbox.enqueue(c, [event]))
    await store.dispose()

asyncio.run(main())
"""

LEADER = """
import sys
from pathlib import Path
from gateway.store import file_leads

print("took" if file_leads.take(Path(sys.argv[1]), sys.argv[2]) else "refused", flush=True)
sys.stdin.readline()
"""


class OtherProcess:
    """Another process asking to lead ``job`` on ``database``, holding it until stopped."""

    def __init__(self, database: Path, job: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", LEADER, str(database), job],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.took = self.process.stdout.readline().strip() == "took"

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


class Recording:
    name = "national_portal"

    def __init__(self) -> None:
        self.delivered: list[str] = []

    async def deliver(self, rows: Sequence[outbox.Claimed]) -> list[Outcome]:
        self.delivered += [row.ordering_key for row in rows]
        return [Outcome(row.id) for row in rows]


async def _eventually(condition: Callable[[], bool], what: str) -> None:
    """Wait until ``condition()`` holds; the deadline only keeps a broken run from hanging."""
    deadline = time.monotonic() + 30
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.05)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "gateway.db"


@pytest.fixture
async def store(database: Path) -> AsyncIterator[Store]:
    store = Store(f"sqlite+aiosqlite:///{database}")
    await store.migrate()
    yield store
    await store.dispose()


@pytest.fixture
def others() -> Iterator[list[OtherProcess]]:
    started: list[OtherProcess] = []
    yield started
    for other in started:
        other.stop()


async def test_an_idle_worker_is_woken_by_work_another_process_queued(store: Store) -> None:
    """The worker polls once a minute; the event is delivered long before, so it was the
    bell rung by the other process that woke it."""
    target = Recording()
    worker = Worker(store, {target.name: target}, WorkerConfig(poll_interval=60.0))
    running = asyncio.create_task(worker.run())
    try:
        await asyncio.wait_for(worker.listening.wait(), 30)
        await asyncio.sleep(0.3)  # let the rounds a new listener starts with finish
        queuer = await asyncio.create_subprocess_exec(sys.executable, "-c", QUEUER, store.url)
        assert await queuer.wait() == 0
        await _eventually(lambda: target.delivered == ["c-1"], "the worker to be woken")
    finally:
        await worker.stop(running)


async def test_the_bell_rings_once_for_a_commit_that_queued_and_not_for_others(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    rings: list[None] = []
    assert store.bell is not None
    monkeypatch.setattr(store.bell, "ring", lambda: rings.append(None))

    def queue(code: str) -> Callable[..., list[int]]:
        event = outbox.NewEvent("national_portal", "dossier", code, "{}", f"key-{code}")
        return lambda connection: outbox.enqueue(connection, [event])

    await store.write(lambda connection: connection.exec_driver_sql("SELECT 1").all())
    assert rings == [], "a transaction that queued nothing rang"
    await store.write(queue("c-1"))
    assert len(rings) == 1
    await asyncio.gather(*(store.write(queue(f"c-{n}")) for n in range(2, 12)))
    assert 1 < len(rings) < 11, "commits of several writes together should ring once each"


async def test_a_ring_wakes_every_listener_and_forgets_the_dead(database: Path) -> None:
    bell = Bell(database)
    heard: list[str] = []
    listening = [asyncio.Event(), asyncio.Event()]
    listeners = [
        asyncio.create_task(bell.listen(lambda n=n: heard.append(n), listening=listening[n]))
        for n in (0, 1)
    ]
    try:
        for started in listening:
            await asyncio.wait_for(started.wait(), 10)
        heard.clear()
        dead = bell.folder / "lienthong-bell-of-a-worker-that-died"
        dead.touch()
        bell.ring()
        await _eventually(lambda: sorted(heard) == [0, 1], "both listeners to hear the ring")
        assert not dead.exists(), "the name nobody listens on was kept"
    finally:
        for listener in listeners:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
        bell.close()
    assert list(bell.folder.iterdir()) == [], "a listener that stopped left its name behind"


async def test_one_process_leads_a_job_until_it_ends(
    store: Store, database: Path, others: list[OtherProcess]
) -> None:
    others.append(OtherProcess(database, "a job"))
    assert others[0].took
    here, other_job = Leadership(store, "a job"), Leadership(store, "another job")
    assert not await here.lead(), "two processes led one job"
    assert await other_job.lead(), "a job was kept from this process by another job's leader"
    others[0].stop()
    assert await here.lead(), "the job was not taken over once its leader ended"
    await here.resign()
    await other_job.resign()


async def test_within_a_process_every_leader_leads_and_the_last_to_resign_lets_go(
    store: Store, database: Path, others: list[OtherProcess]
) -> None:
    first, second = Leadership(store, "a job"), Leadership(store, "a job")
    assert await first.lead() and await second.lead()
    await first.resign()
    assert await second.lead(), "one leader resigning stopped the other leading"
    others.append(OtherProcess(database, "a job"))
    assert not others[0].took, "the job was let go while a leader in this process remained"
    await second.resign()
    others.append(OtherProcess(database, "a job"))
    assert others[1].took, "the job was kept after every leader in this process resigned"


async def test_a_store_in_memory_always_leads() -> None:
    store = Store("sqlite+aiosqlite://")
    try:
        assert store.database is None and store.bell is None
        assert await Leadership(store, "a job").lead()
    finally:
        await store.dispose()
