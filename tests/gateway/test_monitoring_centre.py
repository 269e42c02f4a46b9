"""The monitoring centre hears of each change of a dossier's state, once, in order: queued in
the transaction that accepts the snapshot, delivered by the worker, retried and dead-lettered
like every other event, and never queued while the system is off or the province has no SiteId."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from adapters.errors import RefusedError, TransientError
from gateway.app import create_app
from gateway.bootstrap import Gateway
from gateway.operations.actions import Selection
from gateway.operations.audit import Operator
from gateway.operations.failures import FailureQuery
from gateway.settings import Settings
from mappings.monitoring_centre import TrackingEvent
from tests.gateway.conftest import demo_token
from tests.gateway.fakes import FakeAxis, FakePortal
from tests.gateway.samples import dossier_json, step_json

SITE = 56


class FakeCentre:
    """The port, keeping what it was told; ``failing`` makes every call fail with it."""

    def __init__(self) -> None:
        self.events: list[TrackingEvent] = []
        self.failing: Exception | None = None

    async def track(self, event: TrackingEvent) -> str:
        if self.failing is not None:
            raise self.failing
        self.events.append(event)
        return '{"success":true}'

    async def reachable(self) -> str:
        return "answers"

    async def aclose(self) -> None:
        return None


@pytest.fixture
def centre() -> FakeCentre:
    return FakeCentre()


async def _client(
    settings: Settings, centre: FakeCentre, monitoring: dict[str, Any]
) -> AsyncIterator[tuple[httpx.AsyncClient, Gateway]]:
    app: FastAPI = create_app(
        settings,
        adapters={
            "national_portal": FakePortal(),
            "document_axis": FakeAxis(),
            "monitoring_centre": centre,
        },
        systems={"monitoring_centre": monitoring},
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as c:
            c.headers["Authorization"] = f"Bearer {await demo_token(c)}"
            yield c, app.state.gateway


@pytest.fixture
async def followed(
    settings: Settings, centre: FakeCentre
) -> AsyncIterator[tuple[httpx.AsyncClient, Gateway]]:
    async for pair in _client(settings, centre, {"site_id": SITE}):
        yield pair


def _kinds(reply: httpx.Response) -> list[tuple[str, str]]:
    assert reply.status_code == 202, reply.text
    return sorted((q["target"], q["kind"]) for q in reply.json()["queued"])


async def test_one_event_per_change_of_state_and_none_for_other_changes(
    followed: tuple[httpx.AsyncClient, Gateway], centre: FakeCentre
) -> None:
    client, gateway = followed
    first = await client.post("/v1/dossiers", json=dossier_json(status="received"))
    assert _kinds(first) == [("monitoring_centre", "state"), ("national_portal", "dossier")]

    again = await client.post("/v1/dossiers", json=dossier_json(status="received"))
    assert _kinds(again) == [], "an identical snapshot queues nothing"
    edited = await client.post("/v1/dossiers", json=dossier_json(summary="Khai sinh (sửa)"))
    assert _kinds(edited) == [("national_portal", "dossier")], "the state did not change"
    code = dossier_json()["code"]
    steps = await client.post(f"/v1/dossiers/{code}/progress", json={"steps": [step_json()]})
    assert _kinds(steps) == [("national_portal", "progress")], "a step is history, not state"

    processing = await client.post("/v1/dossiers", json=dossier_json(status="processing"))
    returned = await client.post("/v1/dossiers", json=dossier_json(status="returned"))
    assert ("monitoring_centre", "state") in _kinds(processing)
    assert ("monitoring_centre", "state") in _kinds(returned)

    while await gateway.worker.run_once():
        pass

    assert [(e.CodeProfile, e.Status) for e in centre.events] == [
        (code, "1"),
        (code, "2"),
        (code, "3"),
    ], "one event per state, in the order the states changed"
    assert {e.SiteId for e in centre.events} == {SITE}


async def test_a_batch_changing_one_dossier_twice_queues_both_changes_in_order(
    followed: tuple[httpx.AsyncClient, Gateway], centre: FakeCentre
) -> None:
    client, gateway = followed
    batch = [
        dossier_json(1, status="submitted"),
        dossier_json(2, status="received"),
        dossier_json(1, status="received"),
        dossier_json(1, status="received", summary="Cùng trạng thái"),
    ]
    reply = await client.post("/v1/dossiers:batch", json={"dossiers": batch})
    assert reply.status_code == 202, reply.text
    states = [q for q in reply.json()["queued"] if q["target"] == "monitoring_centre"]
    assert [q["code"] for q in states] == [batch[0]["code"], batch[1]["code"], batch[0]["code"]]

    while await gateway.worker.run_once():
        pass
    assert [(e.CodeProfile[-5:], e.Status) for e in centre.events] == [
        ("00001", "1"),
        ("00002", "1"),
        ("00001", "1"),
    ], "submitted then received are two changes, though the centre has one code for both"


async def test_an_outage_is_retried_a_refusal_dead_lettered_and_an_operator_replays_it(
    followed: tuple[httpx.AsyncClient, Gateway], centre: FakeCentre
) -> None:
    client, gateway = followed
    centre.failing = TransientError("monitoring_centre", "TrackingMCDT: HTTP 503")
    await client.post("/v1/dossiers", json=dossier_json(1))
    await gateway.worker.run_once()
    assert centre.events == []

    centre.failing = None
    while await gateway.worker.run_once():
        pass
    assert [e.CodeProfile for e in centre.events] == [dossier_json(1)["code"]]

    centre.failing = RefusedError("monitoring_centre", "TrackingMCDT: HTTP 400: SiteId: unknown")
    await client.post("/v1/dossiers", json=dossier_json(2))
    while await gateway.worker.run_once():
        pass
    page = await gateway.operations.failures(FailureQuery(system="monitoring_centre"))
    assert [(f.system, f.kind, f.status) for f in page.items] == [
        ("monitoring_centre", "state", "dead")
    ], "dead at once, listed for operators like any other event"
    assert "SiteId: unknown" in (page.items[0].last_error or "")

    centre.failing = None
    await gateway.operations.replay(
        Selection(ids=(page.items[0].id,)),
        operator=Operator(id="os:tester", name="tester"),
        reason="the centre now knows the site",
    )
    while await gateway.worker.run_once():
        pass
    assert [e.CodeProfile for e in centre.events] == [
        dossier_json(1)["code"],
        dossier_json(2)["code"],
    ], "replayed by an operator, it reaches the centre"


@pytest.mark.parametrize(
    "monitoring",
    [{"enabled": False, "site_id": SITE}, {}],
    ids=["switched off", "no SiteId"],
)
async def test_nothing_is_queued_while_off_or_without_a_site_id(
    settings: Settings, centre: FakeCentre, monitoring: dict[str, Any]
) -> None:
    async for client, gateway in _client(settings, centre, monitoring):
        reply = await client.post("/v1/dossiers", json=dossier_json(status="received"))
        assert _kinds(reply) == [("national_portal", "dossier")]
        changed = await client.post("/v1/dossiers", json=dossier_json(status="returned"))
        assert _kinds(changed) == [("national_portal", "dossier")]
        while await gateway.worker.run_once():
            pass
        assert centre.events == []
        assert "monitoring_centre" not in gateway.dossier_targets
