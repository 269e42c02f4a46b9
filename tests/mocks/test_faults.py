"""Fault injection: outages, rate limits and latency, deterministic under a seed."""

from __future__ import annotations

import time
from typing import Any

import httpx

from mocks.faults import FaultInjector
from mocks.national_portal import create_app
from tests.mocks.samples import DSTCODE, Portal, client_of, dossier


async def add_fault(http: httpx.AsyncClient, **spec: Any) -> dict[str, Any]:
    response = await http.post("/__admin/faults", json=spec)
    assert response.status_code == 201, response.text
    fault: dict[str, Any] = response.json()
    return fault


async def statuses(portal: Portal, service: str, count: int, **params: Any) -> list[int]:
    found = []
    for _ in range(count):
        body = {"session": portal.session, "madonvi": "000.00.00.H56", "service": service}
        response = await portal.http.post("/api", json={**body, **params}, headers=DSTCODE)
        found.append(response.status_code)
    return found


async def test_a_fault_at_rate_one_always_answers_its_status(portal: Portal) -> None:
    await add_fault(portal.http, service=None, status=503, rate=1.0)

    assert await statuses(portal, "LayDanhMucLinhVuc", 5) == [503] * 5


async def test_a_faulted_call_changes_nothing(portal: Portal) -> None:
    await add_fault(portal.http, service="DongBoHoSoMC", status=500)

    await statuses(portal, "DongBoHoSoMC", 1, isUpdating="False", data=[dossier()])

    assert (await portal.admin("state"))["dossiers"] == 0


async def test_a_fault_is_scoped_to_its_service(portal: Portal) -> None:
    await add_fault(portal.http, service="DongBoHoSoMC", status=503)

    pushed = await statuses(portal, "DongBoHoSoMC", 1, isUpdating="True", data=[dossier()])
    looked_up = await statuses(portal, "LayDanhMucLinhVuc", 1)

    assert pushed == [503]
    assert looked_up == [200]


async def test_a_429_carries_retry_after(portal: Portal) -> None:
    await add_fault(portal.http, status=429)
    body = {"session": portal.session, "madonvi": "000.00.00.H56", "service": "LayDanhMucLinhVuc"}

    response = await portal.http.post("/api", json=body, headers=DSTCODE)

    assert response.status_code == 429
    assert response.headers["retry-after"] == "1"


async def test_retry_after_is_the_one_asked_for(portal: Portal) -> None:
    await add_fault(portal.http, status=503, retry_after=7)
    body = {"session": portal.session, "madonvi": "000.00.00.H56", "service": "LayDanhMucLinhVuc"}

    response = await portal.http.post("/api", json=body, headers=DSTCODE)

    assert response.headers["retry-after"] == "7"


async def test_latency_delays_the_real_reply(portal: Portal) -> None:
    await add_fault(portal.http, latency_ms=50)

    started = time.monotonic()
    reply = await portal.call("LayDanhMucLinhVuc")

    assert time.monotonic() - started >= 0.05
    assert reply["error_code"] == 0
    [entry] = (await portal.admin("journal?limit=1"))["entries"]
    assert entry["fault"]["latency_ms"] == 50


async def test_a_fault_limited_in_times_stops_firing(portal: Portal) -> None:
    await add_fault(portal.http, status=503, times=2)

    assert await statuses(portal, "LayDanhMucLinhVuc", 4) == [503, 503, 200, 200]
    [listed] = (await portal.admin("faults"))["faults"]
    assert listed["fired"] == 2


async def test_a_fault_after_the_handler_applies_the_call_but_loses_the_reply(
    portal: Portal,
) -> None:
    await add_fault(portal.http, service="DongBoHoSoMC", status=504, phase="after", times=1)

    lost = await statuses(portal, "DongBoHoSoMC", 1, isUpdating="True", data=[dossier()])
    resent = await portal.call("DongBoHoSoMC", isUpdating="True", data=[dossier()])

    assert lost == [504]
    assert resent["error_code"] == 0
    stored = await portal.admin(f"dossiers/{dossier()['MaHoSo']}")
    assert stored["writes"] == 2


async def test_partial_rates_are_deterministic_under_a_seed() -> None:
    async def run() -> list[int]:
        async with client_of(create_app(seed=42)) as http:
            portal = Portal(http)
            await portal.login()
            await add_fault(http, service="LayDanhMucLinhVuc", status=503, rate=0.3)
            return await statuses(portal, "LayDanhMucLinhVuc", 40)

    first, second = await run(), await run()

    assert first == second
    assert 0 < first.count(503) < 40


async def test_faults_are_listed_removed_and_cleared(http: httpx.AsyncClient) -> None:
    first = await add_fault(http, service="TraCuuHoSo", status=500, rate=0.5)
    await add_fault(http, latency_ms=10)

    listed = (await http.get("/__admin/faults")).json()["faults"]
    assert [f["id"] for f in listed] == [first["id"], first["id"] + 1]
    assert listed[0] | {"fired": 0} == {**first, "fired": 0}

    assert (await http.delete(f"/__admin/faults/{first['id']}")).status_code == 204
    assert len((await http.get("/__admin/faults")).json()["faults"]) == 1
    assert (await http.delete("/__admin/faults")).status_code == 204
    assert (await http.get("/__admin/faults")).json()["faults"] == []


async def test_a_bad_fault_is_refused_naming_the_field(http: httpx.AsyncClient) -> None:
    response = await http.post("/__admin/faults", json={"status": 503, "rate": 1.5})

    assert response.status_code == 400
    assert response.json()["error"].startswith("rate:")


async def test_a_fault_without_status_or_latency_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.post("/__admin/faults", json={"service": "TraCuuHoSo"})

    assert response.status_code == 400


def test_the_injector_draws_the_same_faults_after_a_reseed() -> None:
    injector = FaultInjector(seed=7)
    injector.add({"status": 503, "rate": 0.5})

    first = [injector.draw("TraCuuHoSo") is not None for _ in range(20)]
    injector.reseed(7)
    second = [injector.draw("TraCuuHoSo") is not None for _ in range(20)]

    assert first == second
