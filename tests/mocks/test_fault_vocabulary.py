"""The full fault vocabulary, in process: delays, outages, the header, SOAP Faults, garbling.

Faults that drop a connection need a real server; ``test_lost_replies`` has them.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from lxml import etree

from mocks import document_axis, population_registry
from mocks.faults import FaultInjector
from mocks.national_portal import create_app
from tests.mocks.samples import DSTCODE, UNIT, FakeClock, Portal, client_of, dossier

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"


def api_body(portal: Portal, service: str, **params: Any) -> dict[str, Any]:
    return {"session": portal.session, "madonvi": UNIT, "service": service, **params}


async def add_fault(http: httpx.AsyncClient, **spec: Any) -> dict[str, Any]:
    response = await http.post("/__admin/faults", json=spec)
    assert response.status_code == 201, response.text
    fault: dict[str, Any] = response.json()
    return fault


async def last_entry(portal: Portal) -> dict[str, Any]:
    [entry] = (await portal.admin("journal?limit=1"))["entries"]
    return dict(entry)


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        ({"status": 600}, "status: 600 is greater than the maximum of 599"),
        ({"delay": {"type": "gamma", "ms": 5}}, "delay.type:"),
        ({"delay": {"type": "uniform", "min_ms": 5}}, 'delay: "max_ms" is a required property'),
        ({"delay": {"type": "fixed", "ms": 5, "sigma": 1}}, "delay: Additional properties"),
        ({"delay": {"type": "uniform", "min_ms": 9, "max_ms": 5}}, "delay.min_ms: 9 is more"),
        ({"delay": {"type": "fixed", "ms": 5}, "latency_ms": 5}, "delay: give either"),
        ({"reset": True, "status": 503}, "reset: cannot be combined with status"),
        ({"hang": {"max_s": 0}}, "hang.max_s: 0 is less than or equal to the minimum of 0"),
        ({"truncate": {"keep": 1}}, "truncate.keep: 1 is greater than or equal to the maximum"),
        ({"malformed": True, "phase": "before"}, "phase: malformed acts on the real reply"),
        ({"window": {"after_s": 5}, "status": 503}, 'window: "for_s" is a required property'),
        ({"outage": {"for_s": 60}, "status": 500}, "status: an outage says it itself"),
        ({"outage": {"for_s": 60, "reset": True, "status": 503}}, "outage.reset: cannot be"),
        ({"service": "x"}, "status: a fault needs an outcome"),
        ({"status": 503, "colour": "red"}, "body: Additional properties are not allowed"),
    ],
)
async def test_a_bad_fault_is_refused_naming_the_field_and_the_rule(
    http: httpx.AsyncClient, spec: dict[str, Any], named: str
) -> None:
    response = await http.post("/__admin/faults", json=spec)

    assert response.status_code == 400
    assert response.json()["error"].startswith(named), response.json()["error"]


async def test_an_outage_is_a_503_with_the_seconds_left_until_it_ends(
    portal: Portal, clock: FakeClock
) -> None:
    listed = await add_fault(portal.http, outage={"after_s": 10, "for_s": 60})
    body = api_body(portal, "LayDanhMucLinhVuc")

    before = await portal.http.post("/api", json=body, headers=DSTCODE)
    clock.advance(25)
    during = await portal.http.post("/api", json=body, headers=DSTCODE)
    clock.advance(50)
    after = await portal.http.post("/api", json=body, headers=DSTCODE)

    assert listed["window"] == {"after_s": 10, "for_s": 60}
    assert listed["status"] == 503
    assert [before.status_code, during.status_code, after.status_code] == [200, 503, 200]
    assert during.headers["retry-after"] == "45"


async def test_an_outage_may_reset_connections_instead(portal: Portal, clock: FakeClock) -> None:
    listed = await add_fault(portal.http, outage={"for_s": 30, "reset": True})

    with pytest.raises(ConnectionError):
        await portal.call("LayDanhMucLinhVuc")
    clock.advance(30)
    reply = await portal.call("LayDanhMucLinhVuc")

    assert (listed["outcome"], listed["status"]) == ("reset", None)
    assert reply["error_code"] == 0


async def test_a_window_bounds_any_fault(portal: Portal, clock: FakeClock) -> None:
    await add_fault(portal.http, status=429, window={"for_s": 5})
    body = api_body(portal, "LayDanhMucLinhVuc")

    throttled = await portal.http.post("/api", json=body, headers=DSTCODE)
    clock.advance(5)
    served = await portal.http.post("/api", json=body, headers=DSTCODE)

    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "5"
    assert served.status_code == 200


async def test_random_delays_are_journaled_and_the_same_under_the_same_seed() -> None:
    async def delays() -> list[float]:
        async with client_of(create_app(seed=3)) as http:
            portal = Portal(http)
            await portal.login()
            await add_fault(http, delay={"type": "uniform", "min_ms": 0, "max_ms": 4})
            for _ in range(5):
                await portal.call("LayDanhMucLinhVuc")
            entries = (await portal.admin("journal?service=LayDanhMucLinhVuc"))["entries"]
            return [e["fault"]["delayed_ms"] for e in entries]

    first, second = await delays(), await delays()

    assert first == second
    assert all(0 <= d <= 4 for d in first)
    assert len(set(first)) == 5


def test_lognormal_delays_have_their_median_and_their_cap() -> None:
    injector = FaultInjector(seed=11)
    fault = injector.add({"delay": {"type": "lognormal", "median_ms": 100, "sigma": 1.5}})
    capped = injector.add(
        {"delay": {"type": "lognormal", "median_ms": 100, "sigma": 3, "max_ms": 400}}
    )

    drawn = sorted(injector.delay_of(fault) for _ in range(2001))
    capped_draws = [injector.delay_of(capped) for _ in range(500)]

    assert 0.08 < drawn[1000] < 0.125, "the median of 2,001 draws is near 100 ms"
    assert drawn[-1] > 1.0, "and the tail is long"
    assert max(capped_draws) == 0.4


def test_delays_do_not_change_which_requests_fail() -> None:
    plain, delayed = FaultInjector(seed=5), FaultInjector(seed=5)
    plain.add({"status": 503, "rate": 0.4})
    uniform = {"type": "uniform", "min_ms": 1, "max_ms": 9}
    delayed.add({"status": 503, "rate": 0.4, "delay": uniform})

    def failures(injector: FaultInjector) -> list[bool]:
        found = []
        for _ in range(30):
            fault = injector.draw("x")
            if fault is not None:
                injector.delay_of(fault)
            found.append(fault is not None)
        return found

    assert failures(plain) == failures(delayed)


async def test_the_header_injects_a_fault_for_its_own_request_only(portal: Portal) -> None:
    body = api_body(portal, "LayDanhMucLinhVuc")
    fault = json.dumps({"status": 429, "retry_after": 3})

    faulted = await portal.http.post("/api", json=body, headers={**DSTCODE, "X-Mock-Fault": fault})
    next_one = await portal.http.post("/api", json=body, headers=DSTCODE)

    assert faulted.status_code == 429
    assert faulted.headers["retry-after"] == "3"
    assert next_one.status_code == 200
    entries = (await portal.admin("journal?limit=2"))["entries"]
    assert entries[0]["fault"]["source"] == "header"
    assert entries[1]["fault"] is None


async def test_the_header_comes_before_the_registered_faults(portal: Portal) -> None:
    await add_fault(portal.http, status=503)
    body = api_body(portal, "LayDanhMucLinhVuc")

    response = await portal.http.post(
        "/api", json=body, headers={**DSTCODE, "X-Mock-Fault": '{"status": 502}'}
    )

    assert response.status_code == 502
    assert (await portal.admin("faults"))["faults"][0]["fired"] == 0


async def test_a_header_fault_that_does_not_fire_leaves_the_registered_ones(
    portal: Portal,
) -> None:
    await add_fault(portal.http, status=503)
    body = api_body(portal, "LayDanhMucLinhVuc")

    response = await portal.http.post(
        "/api", json=body, headers={**DSTCODE, "X-Mock-Fault": '{"status": 502, "rate": 0}'}
    )

    assert response.status_code == 503
    assert (await last_entry(portal))["fault"]["source"] == "admin"


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("{not json", "X-Mock-Fault: not valid JSON"),
        ('{"status": 399}', "X-Mock-Fault: status: 399 is less than the minimum of 400"),
        ('{"status": 503, "service": "TraCuuHoSo"}', "X-Mock-Fault: Additional properties"),
        ('{"outage": {"for_s": 5}}', "X-Mock-Fault: Additional properties"),
        ('{"rate": 0.5}', "X-Mock-Fault: status: a fault needs an outcome"),
    ],
)
async def test_a_bad_header_is_answered_400_naming_the_field(
    portal: Portal, header: str, named: str
) -> None:
    body = api_body(portal, "DongBoHoSoMC", isUpdating="False", data=[dossier()])

    response = await portal.http.post(
        "/api", json=body, headers={**DSTCODE, "X-Mock-Fault": header}
    )

    assert response.status_code == 400
    assert response.json()["error"] == "bad_fault_header"
    assert response.json()["message"].startswith(named), response.json()["message"]
    assert (await portal.admin("state"))["dossiers"] == 0
    assert (await last_entry(portal))["status"] == 400


async def test_a_malformed_reply_is_applied_and_not_json(portal: Portal) -> None:
    await add_fault(portal.http, service="DongBoHoSoMC", malformed=True)
    body = api_body(portal, "DongBoHoSoMC", isUpdating="False", data=[dossier()])

    response = await portal.http.post("/api", json=body, headers=DSTCODE)

    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert (await portal.admin("state"))["dossiers"] == 1
    entry = await last_entry(portal)
    assert entry["fault"]["phase"] == "after"
    assert entry["fault"]["effect"].startswith("malformed: sent")


async def test_a_reset_in_process_raises_to_the_client(portal: Portal) -> None:
    await add_fault(portal.http, reset=True, times=1)

    with pytest.raises(ConnectionError, match="connection reset"):
        await portal.call("LayDanhMucLinhVuc")

    entry = await last_entry(portal)
    assert entry["status"] is None
    assert entry["fault"]["effect"] == "connection reset"


def _soap_fault(response: httpx.Response) -> tuple[str, str]:
    root = etree.fromstring(response.content)
    fault = root.find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    assert fault is not None, response.text
    return fault.findtext("faultcode") or "", fault.findtext("faultstring") or ""


@pytest.mark.parametrize("mock", [document_axis, population_registry])
async def test_a_soap_mock_answers_an_injected_500_with_a_soap_fault(mock: Any) -> None:
    async with client_of(mock.create_app(), "http://soap.test") as http:
        await add_fault(http, status=500)
        response = await http.post("/", content=b"<x/>", headers={"Content-Type": "text/xml"})
        entry = (await http.get("/__admin/journal")).json()["entries"][0]

    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/xml")
    assert _soap_fault(response) == ("soap:Server", "injected fault 1: HTTP 500")
    assert entry["reply"]["fault"]["code"] == "soap:Server"


@pytest.mark.parametrize("mock", [document_axis, population_registry])
async def test_a_soap_mock_keeps_throttling_plain_http(mock: Any) -> None:
    async with client_of(mock.create_app(), "http://soap.test") as http:
        await add_fault(http, status=503, retry_after=4)
        response = await http.post("/", content=b"<x/>", headers={"Content-Type": "text/xml"})

    assert response.status_code == 503
    assert response.headers["retry-after"] == "4"
    assert response.json()["error"] == "injected_fault"


async def test_a_malformed_soap_reply_is_not_xml() -> None:
    async with client_of(document_axis.create_app(), "http://soap.test") as http:
        response = await http.post(
            "/",
            content=b"<x/>",
            headers={"Content-Type": "text/xml", "X-Mock-Fault": '{"malformed": true}'},
        )

    assert response.status_code == 500, "the real reply: a Fault for a bad envelope"
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(response.content)
