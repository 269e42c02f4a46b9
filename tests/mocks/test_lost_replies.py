"""Replies lost on the wire, against real uvicorn servers on loopback.

A reset, a hang or a truncated body only mean something over a real TCP connection: these tests
serve the mocks with uvicorn and look at what an HTTP client (httpx, zeep, or a bare socket)
really gets. None of them may get an HTTP answer where the fault says there is none. The portal
is served both by plain uvicorn and as ``lienthong mocks`` serves it (``mocks.server``, its
replies written once, ``mocks.wire``).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import zeep
import zeep.exceptions

from mocks import document_axis
from mocks.national_portal import create_app
from mocks.server import MocksServer
from tests.e2e.servers import ServerThread, wait_until
from tests.mocks.samples import DSTCODE, UNIT, USER, dossier

#: What an HTTP client sees when the connection ends without a (complete) HTTP answer.
CONNECTION_LOST = (httpx.ReadError, httpx.RemoteProtocolError)


Served = ServerThread | MocksServer


@pytest.fixture(scope="module", params=["uvicorn", "one write"])
def portal_server(request: pytest.FixtureRequest) -> Iterator[Served]:
    server = ServerThread(create_app()) if request.param == "uvicorn" else MocksServer(create_app())
    with server:
        yield server


@pytest.fixture
def portal(portal_server: Served) -> Iterator[PortalOnTheWire]:
    with httpx.Client(base_url=portal_server.url, timeout=10) as http:
        assert http.post("/__admin/reset").status_code == 200
        yield PortalOnTheWire(http, portal_server)


class PortalOnTheWire:
    """A session-style client of the portal mock served by uvicorn."""

    def __init__(self, http: httpx.Client, server: Served) -> None:
        self.http = http
        self.server = server
        self.session = http.post("/login", json=USER, headers=DSTCODE).json()["session"]

    def fault(self, **spec: Any) -> None:
        response = self.http.post("/__admin/faults", json=spec)
        assert response.status_code == 201, response.text

    def body(self, service: str, **params: Any) -> dict[str, Any]:
        return {"session": self.session, "madonvi": UNIT, "service": service, **params}

    def push(self, *, timeout: float = 10) -> httpx.Response:
        """One push (an upsert) of the sample dossier, on a fresh connection."""
        body = self.body("DongBoHoSoMC", isUpdating="True", data=[dossier()])
        with httpx.Client(base_url=self.server.url, timeout=timeout) as fresh:
            return fresh.post("/api", json=body, headers=DSTCODE)

    def writes(self) -> int:
        held = self.http.get(f"/__admin/dossiers/{dossier()['MaHoSo']}")
        return int(held.json()["writes"]) if held.status_code == 200 else 0

    def journaled(self, service: str) -> list[dict[str, Any]]:
        entries = self.http.get("/__admin/journal", params={"service": service}).json()
        return list(entries["entries"])

    def raw(self, service: str) -> bytes:
        """Everything the server sends for one request, read until it closes the connection."""
        payload = json.dumps(self.body(service)).encode()
        request = (
            f"POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\ndstcode: {UNIT}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        ).encode() + payload
        received = b""
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as sock:
            sock.sendall(request)
            while chunk := sock.recv(65536):
                received += chunk
        return received


def _head_and_body(raw: bytes) -> tuple[dict[str, str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    return headers, body


def test_a_reset_drops_the_connection_without_an_http_answer(portal: PortalOnTheWire) -> None:
    portal.fault(service="DongBoHoSoMC", reset=True)

    with pytest.raises(CONNECTION_LOST):
        portal.push()

    assert portal.writes() == 0, "before handling: nothing was applied"
    [entry] = portal.journaled("DongBoHoSoMC")
    assert entry["status"] is None
    assert entry["fault"]["effect"] == "connection reset"


def test_a_reset_after_handling_is_the_lost_reply(portal: PortalOnTheWire) -> None:
    portal.fault(service="DongBoHoSoMC", reset=True, phase="after", times=1)

    with pytest.raises(CONNECTION_LOST):
        portal.push()
    redelivered = portal.push()

    assert redelivered.json()["error_code"] == 0
    assert portal.writes() == 2, "the lost push was applied, and so was the redelivery"
    lost, _ = portal.journaled("DongBoHoSoMC")
    assert lost["status"] is None
    assert lost["reply"]["error_code"] == 0, "the journal keeps the reply that was lost"


def test_a_hang_lasts_until_the_client_gives_up(portal: PortalOnTheWire) -> None:
    portal.fault(service="DongBoHoSoMC", hang={"max_s": 60}, phase="after")

    with pytest.raises(httpx.ReadTimeout):
        portal.push(timeout=0.3)

    wait_until(lambda: portal.journaled("DongBoHoSoMC"), timeout=10, what="the hang to end")
    [entry] = portal.journaled("DongBoHoSoMC")
    assert entry["status"] is None
    assert entry["fault"]["effect"].startswith("hung until the client gave up")
    assert entry["received_at"] < entry["finished_at"]
    assert portal.writes() == 1, "phase after: applied, then never answered"


def test_a_hang_past_its_limit_resets_the_connection(portal: PortalOnTheWire) -> None:
    portal.fault(service="DongBoHoSoMC", hang={"max_s": 0.2})

    with pytest.raises(CONNECTION_LOST):
        portal.push(timeout=30)

    [entry] = portal.journaled("DongBoHoSoMC")
    assert entry["fault"]["effect"] == "hung 0.2 s, the limit; connection reset"
    assert portal.writes() == 0


def test_a_truncated_body_is_shorter_than_its_declared_length(portal: PortalOnTheWire) -> None:
    portal.fault(service="LayDanhMucLinhVuc", truncate={"keep": 0.25})

    headers, body = _head_and_body(portal.raw("LayDanhMucLinhVuc"))
    with pytest.raises(httpx.RemoteProtocolError, match=r"received \d+ bytes, expected \d+"):
        portal.http.post("/api", json=portal.body("LayDanhMucLinhVuc"), headers=DSTCODE)

    declared = int(headers["content-length"])
    assert 0 < len(body) < declared
    assert len(body) == int(declared * 0.25)


def test_a_truncated_chunked_body_stops_without_its_last_chunk(portal: PortalOnTheWire) -> None:
    portal.fault(service="LayDanhMucLinhVuc", truncate={"framing": "chunked"})

    headers, body = _head_and_body(portal.raw("LayDanhMucLinhVuc"))
    with pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"):
        portal.http.post("/api", json=portal.body("LayDanhMucLinhVuc"), headers=DSTCODE)

    assert headers["transfer-encoding"] == "chunked"
    assert "content-length" not in headers
    assert body and not body.endswith(b"0\r\n\r\n")


def test_a_malformed_body_arrives_whole_and_is_not_json(portal: PortalOnTheWire) -> None:
    portal.fault(service="LayDanhMucLinhVuc", malformed=True)

    response = portal.http.post("/api", json=portal.body("LayDanhMucLinhVuc"), headers=DSTCODE)

    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_the_header_can_reset_a_connection_too(portal: PortalOnTheWire) -> None:
    body = portal.body("LayDanhMucLinhVuc")
    with (
        httpx.Client(base_url=portal.server.url, timeout=10) as fresh,
        pytest.raises(CONNECTION_LOST),
    ):
        fresh.post("/api", json=body, headers={**DSTCODE, "X-Mock-Fault": '{"reset": true}'})

    [entry] = portal.journaled("LayDanhMucLinhVuc")
    assert entry["fault"]["source"] == "header"


def test_zeep_sees_an_injected_500_as_a_soap_fault() -> None:
    with ServerThread(document_axis.create_app()) as server:
        httpx.post(f"{server.url}/__admin/faults", json={"status": 500}).raise_for_status()
        client = zeep.Client(f"{server.url}/?wsdl")

        with pytest.raises(zeep.exceptions.Fault) as raised:
            client.service.GetOrganizations()

    assert raised.value.code == "soap:Server"
    assert raised.value.message == "injected fault 1: HTTP 500"
