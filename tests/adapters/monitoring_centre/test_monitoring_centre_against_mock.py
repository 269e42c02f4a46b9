"""The monitoring centre adapter against the mock in process, and against a faked network
(respx) for the edges: each failure lands in the error tree with what the centre said."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import respx

from adapters.errors import PermanentError, RefusedError, TransientError
from adapters.monitoring_centre import (
    MONITORING_CENTRE,
    HttpMonitoringCentre,
    MonitoringCentreConfig,
)
from mappings.monitoring_centre import TrackingEvent
from mocks import create_mocks_app

MOCK_URL = "http://mocks.test/monitoring-centre"
EDGE_URL = "http://centre.test"

Make = Callable[..., HttpMonitoringCentre]


def event(**changes: Any) -> TrackingEvent:
    body: dict[str, Any] = {
        "CodeProfile": "000.00.01.H56-250301-00012",
        "MaHoSo": "000.00.01.H56-250301-00012",
        "SiteId": 56,
        "CodeTTHC": "1.001193",
        "NameTTHC": "Thủ tục đăng ký khai sinh",
        "Status": "1",
        "FormsReception": "2",
        "FormsPayments": "0",
        "Level": "3",
        "IsFromDVCQG": "0",
        "IsDVCBC": "0",
    }
    body.update(changes)
    return TrackingEvent.model_validate(body)


@pytest.fixture
def mocks() -> httpx.ASGITransport:
    return httpx.ASGITransport(app=create_mocks_app())


@pytest.fixture
async def admin(mocks: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=mocks, base_url=MOCK_URL) as client:
        yield client


@pytest.fixture
def sleeps() -> list[float]:
    """The waits asked for between attempts, in order; nothing really sleeps."""
    return []


@pytest.fixture
async def make(mocks: httpx.ASGITransport, sleeps: list[float]) -> AsyncIterator[Make]:
    built: list[HttpMonitoringCentre] = []

    async def no_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(**overrides: Any) -> HttpMonitoringCentre:
        settings: dict[str, Any] = {"url": MOCK_URL, "site_id": 56, **overrides}
        transport = settings.pop("transport", mocks)
        adapter = HttpMonitoringCentre(
            MonitoringCentreConfig(**settings), transport=transport, sleep=no_sleep
        )
        built.append(adapter)
        return adapter

    yield build
    for adapter in built:
        await adapter.aclose()


async def test_an_event_reaches_the_centre_as_sent(make: Make, admin: httpx.AsyncClient) -> None:
    said = await make().track(event(Status="3"))

    assert '"success":true' in said
    (kept,) = (await admin.get("/__admin/events")).json()["events"]
    assert kept == event(Status="3").model_dump(mode="json")
    (entry,) = (await admin.get("/__admin/journal")).json()["entries"]
    assert "authorization" not in {name.lower() for name in entry.get("headers", {})}


async def test_a_refusal_is_refused_error_with_what_the_centre_said(
    make: Make, admin: httpx.AsyncClient
) -> None:
    await admin.put("/__admin/scenario", json={"sites": [38], "events": []})

    with pytest.raises(RefusedError) as raised:
        await make().track(event())

    assert raised.value.system == "monitoring_centre"
    assert "HTTP 400" in str(raised.value)
    assert "SiteId: 56 is not a site the centre knows" in str(raised.value)


async def test_an_outage_is_retried_within_the_call_then_transient(
    make: Make, admin: httpx.AsyncClient
) -> None:
    fault = {"service": "TrackingMCDT", "status": 503, "rate": 1.0, "times": 2}
    await admin.post("/__admin/faults", json=fault)

    assert '"success"' in await make(retries=3).track(event())

    await admin.post("/__admin/faults", json={**fault, "times": 5})
    with pytest.raises(TransientError):
        await make(retries=2).track(event())
    assert (await admin.get("/__admin/state")).json()["events"] == 1


async def test_the_probe_proves_the_address_answers_and_sends_no_event(
    make: Make, admin: httpx.AsyncClient
) -> None:
    adapter = make()
    said = await MONITORING_CENTRE.probe(adapter, adapter.config)  # type: ignore[misc]

    assert "answers (HTTP 405 to GET)" in said
    assert "SiteId 56" in said
    assert (await admin.get("/__admin/state")).json()["events"] == 0


async def test_a_wrong_address_is_permanent_or_refused(make: Make) -> None:
    with respx.mock(base_url=EDGE_URL) as network:
        network.get("/TrackingMCDT").mock(return_value=httpx.Response(404, text="Not Found"))
        network.post("/TrackingMCDT").mock(
            return_value=httpx.Response(301, headers={"Location": "https://emc.example/new"})
        )
        adapter = make(url=EDGE_URL, transport=None)
        with pytest.raises(RefusedError, match="404"):
            await adapter.reachable()
        with pytest.raises(PermanentError, match=r"redirects to https://emc\.example/new"):
            await adapter.track(event())


async def test_a_429_waits_as_asked_and_an_unreachable_centre_is_transient(
    make: Make, sleeps: list[float]
) -> None:
    with respx.mock(base_url=EDGE_URL) as network:
        route = network.post("/TrackingMCDT")
        route.side_effect = [
            httpx.Response(429, headers={"Retry-After": "1"}),
            httpx.Response(200, json={"success": True, "id": 9}),
        ]
        assert '"id":9' in await make(url=EDGE_URL, transport=None).track(event())
        assert sleeps == [1.0], "the wait the centre asked for"

        route.side_effect = httpx.ConnectError("refused")
        with pytest.raises(TransientError, match="could not reach"):
            await make(url=EDGE_URL, transport=None, retries=1).track(event())


def test_a_config_that_cannot_work_names_each_problem() -> None:
    with pytest.raises(ValueError, match="invalid monitoring centre configuration") as raised:
        MonitoringCentreConfig(
            url="http://centre.test", site_id=0, default_level="2", tracking_path="TrackingMCDT"
        )
    message = str(raised.value)
    assert "default_level must be one of 0, 1, 3, 4" in message
    assert "site_id must be a positive number" in message
    assert "tracking_path must start with /" in message
    assert MonitoringCentreConfig(url="http://centre.test").site() is None
