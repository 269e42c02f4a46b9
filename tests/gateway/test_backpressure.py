"""Back-pressure at intake: past the backlog limit the pushes answer 503 with Retry-After."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from gateway import outbox
from gateway.backpressure import Backlog
from gateway.bootstrap import Gateway
from gateway.settings import Settings
from gateway.store import Connection
from tests.gateway.samples import dossier_json, step_json

LIMIT = 2
SEQUENCE = itertools.count()


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_backlog": LIMIT})


@pytest.fixture
def reads(gateway: Gateway, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every read of the store, by the name of what it read."""
    seen: list[str] = []
    real_read = gateway.store.read

    async def read(work: Callable[[Connection], Any]) -> Any:
        seen.append(getattr(work, "__name__", repr(work)))
        return await real_read(work)

    monkeypatch.setattr(gateway.store, "read", read)
    return seen


async def queue(gateway: Gateway, count: int) -> None:
    """Add ``count`` pending events straight to the outbox."""
    events = [
        outbox.NewEvent("national_portal", "dossier", f"key-{n}", "{}", f"queued-{n}")
        for n in (next(SEQUENCE) for _ in range(count))
    ]
    await gateway.store.write(lambda connection: outbox.enqueue(connection, events))


async def test_the_backlog_is_counted_at_most_once_per_interval(
    gateway: Gateway, reads: list[str]
) -> None:
    clock = FakeClock()
    backlog = Backlog(gateway.store, limit=10, refresh_seconds=1.0, clock=clock)
    await queue(gateway, 2)
    assert await backlog.pending() == 2

    await queue(gateway, 3)
    clock.now += 0.9
    assert await backlog.pending() == 2
    clock.now += 0.1
    assert await backlog.pending() == 5
    assert reads == ["count_pending", "count_pending"]


async def test_requests_arriving_together_share_one_count(
    gateway: Gateway, reads: list[str]
) -> None:
    backlog = Backlog(gateway.store, limit=10, clock=FakeClock())
    await queue(gateway, 1)

    counted = await asyncio.gather(*(backlog.pending() for _ in range(20)))

    assert counted == [1] * 20
    assert reads == ["count_pending"]


async def test_no_limit_never_counts(gateway: Gateway, reads: list[str]) -> None:
    await queue(gateway, 5)
    await Backlog(gateway.store, limit=0).admit()
    assert reads == []


def pushes(code: str) -> list[tuple[str, dict[str, Any]]]:
    """Every intake route, each with a body it would accept."""
    return [
        ("/v1/dossiers", dossier_json(9)),
        ("/v1/dossiers:batch", {"dossiers": [dossier_json(8)]}),
        (f"/v1/dossiers/{code}/progress", {"steps": [step_json(20)]}),
        ("/v1/documents", {}),
    ]


def assert_backlogged(reply: httpx.Response, backlog: int) -> None:
    assert reply.status_code == 503, reply.text
    assert reply.headers["Retry-After"] == "5"
    assert reply.headers["Content-Type"] == "application/problem+json"
    problem = reply.json()
    assert (problem["reason"], problem["status"]) == ("backlog", 503)
    assert (problem["backlog"], problem["limit"], problem["retry_after"]) == (backlog, LIMIT, 5)
    assert "LIENTHONG_MAX_BACKLOG" in problem["detail"]


async def test_past_the_limit_intake_answers_503_then_accepts_again_once_drained(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    assert gateway.backlog.limit == LIMIT
    gateway.backlog.refresh_seconds = 0.0
    first = dossier_json(1)
    for n in (1, 2):
        assert (await client.post("/v1/dossiers", json=dossier_json(n))).status_code == 202

    for path, body in pushes(first["code"]):
        assert_backlogged(await client.post(path, json=body), backlog=2)
    state = (await client.get("/v1/status")).json()["targets"]["national_portal"]
    assert state["accepted"] == 2, "nothing refused was queued"

    while await gateway.worker.run_once():
        pass

    reply = await client.post("/v1/dossiers", json=dossier_json(3))
    assert reply.status_code == 202
    metrics = (await client.get("/metrics")).text
    assert 'lienthong_intake_refused_total{reason="backlog"}' in metrics


async def test_the_refusal_comes_after_the_token_check_and_before_validation(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    gateway.backlog.refresh_seconds = 0.0
    await queue(gateway, LIMIT)

    assert_backlogged(await client.post("/v1/dossiers", json={"code": "?"}), backlog=LIMIT)
    anonymous = await client.post(
        "/v1/dossiers", json=dossier_json(), headers={"Authorization": "Bearer nonsense"}
    )
    assert anonymous.status_code == 401


async def test_routes_that_add_no_work_answer_as_usual(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    gateway.backlog.refresh_seconds = 0.0
    await queue(gateway, LIMIT)
    assert (await client.get("/v1/status")).status_code == 200
    assert (await client.get("/readyz")).status_code == 200
    assert (await client.get(f"/v1/dossiers/{dossier_json()['code']}")).status_code == 404
