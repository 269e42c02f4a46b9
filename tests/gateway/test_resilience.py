"""The gateway against misbehaving national systems, with the real adapters on the mocks in process.

What a national system asks for (``Retry-After``) and what its circuit breaker decides both reach
the stored backoff of the outbox row; every system's breaker shows in ``/readyz``,
``/v1/status`` and ``/metrics``.
"""

from __future__ import annotations

import base64
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, select

from adapters import (
    AxisConfig,
    HttpNationalPortal,
    PortalConfig,
    SoapDocumentAxis,
    SystemGuard,
)
from adapters.breaker import CircuitBreaker
from adapters.rate_limit import RateLimit
from adapters.retry_budget import RetryBudget
from gateway.bootstrap import Gateway
from gateway.store.schema import outbox as outbox_table
from gateway.systems import SYSTEMS as REGISTRY
from mocks import create_mocks_app
from tests.gateway.samples import dossier_json

MOCKS_URL = "http://mocks.test"
FAILURES = 2
COOL_DOWN = 600.0
NEW_YEAR = 1_767_225_600.0
"""2026-01-01 00:00 UTC, on the breakers' wall clock."""
SYSTEMS = sorted(system.name for system in REGISTRY)


class FakeClock:
    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def mocks() -> httpx.ASGITransport:
    """Every national mock, in process."""
    return httpx.ASGITransport(app=create_mocks_app())


@pytest.fixture
async def admin(mocks: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=mocks, base_url=MOCKS_URL) as client:
        yield client


@pytest.fixture
def breaker_clock() -> FakeClock:
    return FakeClock()


def guard(system: str, clock: FakeClock) -> SystemGuard:
    breaker = CircuitBreaker(
        system,
        failure_threshold=FAILURES,
        cool_down=COOL_DOWN,
        clock=clock,
        wall_clock=FakeClock(NEW_YEAR),
    )
    return SystemGuard(breaker, RateLimit(system), RetryBudget(system))


@pytest.fixture
def portal(mocks: httpx.ASGITransport, breaker_clock: FakeClock) -> HttpNationalPortal:
    """The real portal adapter on the portal mock, one attempt a call; its circuit opens after
    ``FAILURES`` failed calls."""
    config = PortalConfig(
        url=f"{MOCKS_URL}/national-portal",
        unit_code="000.00.00.H56",
        username="lienthong",
        password="lienthong-dev",
        retries=1,
    )
    return HttpNationalPortal(
        config, transport=mocks, guard=guard("national_portal", breaker_clock)
    )


@pytest.fixture
def axis(mocks: httpx.ASGITransport, breaker_clock: FakeClock) -> SoapDocumentAxis:
    """The real axis adapter on the axis mock, one attempt a call; its circuit opens after
    ``FAILURES`` failed calls."""
    config = AxisConfig(
        url=f"{MOCKS_URL}/document-axis/",
        username="000.00.00.H56",
        password="lienthong-dev",
        retries=1,
    )
    return SoapDocumentAxis(config, transport=mocks, guard=guard("document_axis", breaker_clock))


async def inject(admin: httpx.AsyncClient, mock: str, **fault: Any) -> None:
    reply = await admin.post(f"/{mock}/__admin/faults", json=fault)
    assert reply.status_code == 201, reply.text


async def make_due(gateway: Gateway) -> None:
    await gateway.store.write(
        lambda connection: connection.execute(outbox_table.update().values(due_at=0))
    )


async def portal_calls(admin: httpx.AsyncClient) -> int:
    """Requests the portal mock received, sign-ins included."""
    reply = await admin.get("/national-portal/__admin/journal")
    return len(reply.json()["entries"])


async def due_in(gateway: Gateway, target: str) -> float:
    """Seconds from now until the one row for ``target`` is due again."""

    def read(connection: Connection) -> float:
        query = select(outbox_table.c.due_at).where(outbox_table.c.target == target)
        return float(connection.execute(query).scalar_one())

    return await gateway.store.read(read) - time.time()


def document_json() -> dict[str, Any]:
    return {
        "to": [{"organ_id": "000.00.00.H49", "name": "Ủy ban nhân dân tỉnh Quảng Ninh"}],
        "number": "77",
        "notation": "UBND-VX",
        "promulgated_on": "2026-11-20",
        "type": "CV",
        "subject": "V/v phối hợp giải quyết thủ tục hành chính",
        "attachments": [{"name": "cv.pdf", "content": base64.b64encode(b"%PDF-1.7").decode()}],
    }


async def test_retry_after_from_the_portal_is_the_wait_stored_for_the_event(
    client: httpx.AsyncClient, gateway: Gateway, admin: httpx.AsyncClient
) -> None:
    await inject(admin, "national-portal", status=429, retry_after=120)
    assert (await client.post("/v1/dossiers", json=dossier_json())).status_code == 202

    await gateway.worker.run_once()

    assert await due_in(gateway, "national_portal") > 110
    assert await gateway.worker.run_once() == 0


async def test_retry_after_from_the_axis_is_the_wait_stored_for_the_document(
    client: httpx.AsyncClient, gateway: Gateway, admin: httpx.AsyncClient
) -> None:
    await inject(admin, "document-axis", service="SendDocument", status=503, retry_after=90)
    assert (await client.post("/v1/documents", json=document_json())).status_code == 202

    await gateway.worker.run_once()

    assert await due_in(gateway, "document_axis") > 80


async def test_an_open_circuit_sets_the_wait_to_the_cool_down_left(
    client: httpx.AsyncClient,
    gateway: Gateway,
    admin: httpx.AsyncClient,
    portal: HttpNationalPortal,
    breaker_clock: FakeClock,
) -> None:
    """A row claimed before the circuit opened (another loop opened it meanwhile) is refused
    by the breaker and waits out the cool-down left; the worker is made to claim it here by
    telling it no circuit is open."""
    await inject(admin, "national-portal", status=503)
    assert (await client.post("/v1/dossiers", json=dossier_json())).status_code == 202
    for _ in range(FAILURES):
        await make_due(gateway)
        await gateway.worker.run_once()
    assert portal.guard.snapshot().state == "open"

    breaker_clock.now = 200.0
    await make_due(gateway)
    gateway.worker.resting = frozenset
    await gateway.worker.run_once()

    assert await due_in(gateway, "national_portal") > COOL_DOWN - 200 - 10
    assert portal.guard.snapshot().refused_calls == 1
    status = (await client.get(f"/v1/dossiers/{dossier_json()['code']}")).json()["sync"][0]
    assert "circuit open" in status["last_error"]


async def test_readyz_and_status_show_every_circuit_closed_when_all_is_well(
    client: httpx.AsyncClient,
) -> None:
    ready = (await client.get("/readyz")).json()
    assert sorted(ready["circuits"]) == SYSTEMS
    for circuit in ready["circuits"].values():
        assert circuit["state"] == "closed"
        assert (circuit["consecutive_failures"], circuit["open_since"]) == (0, None)

    targets = (await client.get("/v1/status")).json()["targets"]
    assert targets["national_portal"]["circuit"]["state"] == "closed"
    assert targets["document_axis"]["circuit"]["state"] == "closed"


async def test_metrics_show_each_circuit_and_what_was_refused(
    client: httpx.AsyncClient,
) -> None:
    metrics = (await client.get("/metrics")).text
    for system in SYSTEMS:
        assert f'lienthong_circuit_state{{system="{system}"}} 0.0' in metrics
        assert f'lienthong_circuit_refused_calls_total{{system="{system}"}} 0.0' in metrics
        assert f'lienthong_retry_budget_refused_retries_total{{system="{system}"}}' in metrics
        assert f'lienthong_rate_limit_paced_calls_total{{system="{system}"}}' in metrics
    assert "lienthong_events_total" in metrics, "the process's own metrics are still there"


async def test_a_portal_outage_opens_its_circuit_for_all_to_see_until_it_recovers(
    client: httpx.AsyncClient,
    gateway: Gateway,
    admin: httpx.AsyncClient,
    breaker_clock: FakeClock,
) -> None:
    await inject(admin, "national-portal", status=503)
    code = dossier_json()["code"]
    assert (await client.post("/v1/dossiers", json=dossier_json())).status_code == 202
    for _ in range(FAILURES):
        await make_due(gateway)
        await gateway.worker.run_once()

    ready = (await client.get("/readyz")).json()
    assert ready["status"] == "ready", "a national outage does not make the gateway unready"
    assert ready["national"]["national_portal"] == "failing"
    assert ready["circuits"]["national_portal"] == {
        "state": "open",
        "consecutive_failures": FAILURES,
        "open_since": "2026-01-01T00:00:00Z",
        "refused_calls": 0,
        "retries_refused": 0,
    }
    assert ready["circuits"]["document_axis"]["state"] == "closed"
    assert (
        'lienthong_circuit_state{system="national_portal"} 2.0'
        in (await client.get("/metrics")).text
    )

    await make_due(gateway)
    assert await gateway.worker.run_once() == 0, "nothing is claimed for an open circuit"
    assert await portal_calls(admin) == FAILURES, "an open circuit spares the portal"
    status = (await client.get("/v1/status")).json()["targets"]["national_portal"]
    assert (status["pending"], status["circuit"]["refused_calls"]) == (1, 0)

    await admin.delete("/national-portal/__admin/faults")
    breaker_clock.now += COOL_DOWN
    ready = (await client.get("/readyz")).json()
    assert ready["circuits"]["national_portal"]["state"] == "half-open"
    assert (
        'lienthong_circuit_state{system="national_portal"} 1.0'
        in (await client.get("/metrics")).text
    )

    await make_due(gateway)
    await gateway.worker.run_once()
    ready = (await client.get("/readyz")).json()
    assert ready["national"]["national_portal"] == "ok"
    assert ready["circuits"]["national_portal"]["state"] == "closed"
    assert ready["circuits"]["national_portal"]["open_since"] is None
    state = (await client.get(f"/v1/dossiers/{code}")).json()["sync"][0]
    assert (state["delivered"], state["pending"]) == (1, 0)
