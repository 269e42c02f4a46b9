"""A delivery loop that delivered a part batch lingers before it claims again, so the events
pushed meanwhile go to the national system in one call rather than one call each."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from gateway.bootstrap import Gateway
from gateway.settings import Settings
from tests.gateway.fakes import FakePortal
from tests.gateway.samples import dossier_json

LINGER = 3.0


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"worker_linger_seconds": LINGER, "worker_concurrency": 1, "worker_batch_size": 10}
    )


async def _delivered(portal: FakePortal, count: int) -> None:
    while sum(len(codes) for _, codes in portal.calls) < count:  # noqa: ASYNC110 - a fake's list
        await asyncio.sleep(0.01)


async def test_events_pushed_while_a_loop_lingers_go_in_one_call(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    task = asyncio.create_task(gateway.worker.run())
    try:
        await client.post("/v1/dossiers", json=dossier_json(1))
        await asyncio.wait_for(_delivered(portal, 1), 30)
        for n in (2, 3, 4):
            await client.post("/v1/dossiers", json=dossier_json(n))
        await asyncio.wait_for(_delivered(portal, 4), 30)
    finally:
        await gateway.worker.stop(task)
    assert [len(codes) for _, codes in portal.calls] == [1, 3]


async def test_stopping_cuts_a_linger_short(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    task = asyncio.create_task(gateway.worker.run())
    await client.post("/v1/dossiers", json=dossier_json(1))
    await asyncio.wait_for(_delivered(portal, 1), 30)
    loop = asyncio.get_running_loop()
    asked = loop.time()
    await gateway.worker.stop(task)
    assert task.done()
    assert loop.time() - asked < LINGER
