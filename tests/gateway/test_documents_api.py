"""Documents at the gateway with a fake axis: sending, limits, the poller, the inbox."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import httpx
import pytest
from lxml import etree
from signxml.algorithms import CanonicalizationMethod
from signxml.signer import XMLSigner

from adapters.errors import TransientError
from gateway.bootstrap import Gateway
from gateway.documents.outgoing import DocumentToSend, compose
from gateway.documents.poller import PollerConfig
from gateway.settings import Settings
from mappings.edxml.signature import sign_package
from mappings.edxml.writer import write_package
from tests.gateway.fakes import FakeAxis

OTHER = "000.00.00.H49"
EDXML = "{http://www.mic.gov.vn/TBT/QCVN_102_2016}"
DSIG = "http://www.w3.org/2000/09/xmldsig#"


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """The gateway's settings, changed by a test's indirect parameter."""
    changes: dict[str, Any] = getattr(request, "param", {})
    return settings.model_copy(update=changes)


def document_json(number: str = "1234", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "to": [{"organ_id": OTHER, "name": "Ủy ban nhân dân tỉnh Quảng Ninh"}],
        "number": number,
        "notation": "UBND-VX",
        "promulgated_on": "2026-11-20",
        "type": "CV",
        "subject": "V/v phối hợp giải quyết thủ tục hành chính",
        "attachments": [{"name": "cv.pdf", "content": base64.b64encode(b"%PDF-1.7").decode()}],
    }
    body.update(changes)
    return body


async def _signed_package(client: httpx.AsyncClient, number: str) -> bytes:
    sent = await client.post("/v1/documents", json=document_json(number))
    return (await client.get(f"/v1/documents/{sent.json()['id']}/package")).content


async def test_sending_stores_signs_and_queues_then_the_worker_sends(
    client: httpx.AsyncClient, gateway: Gateway, axis: FakeAxis
) -> None:
    reply = await client.post("/v1/documents", json=document_json())
    assert reply.status_code == 202, reply.text
    body = reply.json()
    assert body["document_id"] == "000.00.00.H56,2026/11/20,1234/UBND-VX"
    state = (await client.get(f"/v1/documents/{body['id']}")).json()
    assert (state["state"], [e["status"] for e in state["timeline"]]) == ("queued", ["queued"])
    await gateway.worker.run_once()
    (package,) = axis.sent
    assert b"SignatureValue" in package
    state = (await client.get(f"/v1/documents/{body['id']}")).json()
    assert (state["state"], [e["status"] for e in state["timeline"]]) == (
        "sent",
        ["queued", "sent"],
    )


async def test_a_body_past_the_limit_answers_413_saying_the_limit(
    client: httpx.AsyncClient, axis: FakeAxis
) -> None:
    big = base64.b64encode(b"x" * 300_000).decode()
    reply = await client.post(
        "/v1/documents", json=document_json(attachments=[{"name": "big.pdf", "content": big}])
    )
    assert reply.status_code == 413
    assert "200,000 bytes" in reply.json()["detail"]
    assert "LIENTHONG_DOCUMENT_MAX_BYTES" in reply.json()["detail"]


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"to": [{"organ_id": "H49", "name": "Quảng Ninh"}]}, ["body", "to", 0, "organ_id"]),
        ({"to": [{"organ_id": OTHER}]}, ["body", "to", 0, "name"]),
        ({"to": []}, ["body", "to"]),
        ({"promulgated_on": "20/11/2026"}, ["body", "promulgated_on"]),
        (
            {"attachments": [{"name": "a.pdf", "content": "not base64!"}]},
            ["body", "attachments", 0, "content"],
        ),
    ],
)
async def test_a_bad_document_answers_422_naming_the_field(
    client: httpx.AsyncClient, change: dict[str, Any], loc: list[Any]
) -> None:
    reply = await client.post("/v1/documents", json=document_json(**change))
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["loc"] == loc


async def test_the_poller_stores_once_then_confirms_and_answers_arrived(
    client: httpx.AsyncClient, gateway: Gateway, axis: FakeAxis
) -> None:
    package = await _signed_package(client, "77")
    axis.offer("axis-1", package)
    assert await gateway.documents.poller.poll_once() == 1
    assert axis.calls == ["fetch axis-1", "confirm axis-1"]
    axis.offer("axis-2", package)  # the sender's redelivery, under a new axis id
    assert await gateway.documents.poller.poll_once() == 0
    assert axis.confirmed == ["axis-1", "axis-2"]
    inbox = (await client.get("/v1/inbox/documents")).json()["documents"]
    assert len(inbox) == 1
    await gateway.worker.run_once()
    assert len(axis.statuses) == 1
    assert b"<edXML:StatusCode>01</edXML:StatusCode>" in axis.statuses[0]
    assert await _timeline(client, inbox[0]["id"]) == [
        ("received", None),
        ("signature_verified", "CN=lienthong development key,O=000.00.00.H56,C=VN"),
        ("arrived", None),
    ]


async def test_an_unreadable_package_is_rejected_with_its_reason_and_confirmed(
    client: httpx.AsyncClient, gateway: Gateway, axis: FakeAxis
) -> None:
    axis.offer("axis-9", b"<not-edxml/>")
    await gateway.documents.poller.poll_once()
    assert axis.confirmed == ["axis-9"]
    (rejected,) = (await client.get("/v1/inbox/documents")).json()["documents"]
    assert rejected["state"] == "rejected"
    assert "edXML" in rejected["reason"]
    assert "edXMLEnvelope" in rejected["reason"]


async def test_a_package_is_not_confirmed_when_storing_it_failed(
    gateway: Gateway, axis: FakeAxis, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    axis.offer("axis-1", await _signed_package(client, "78"))

    async def disk_full(work: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(gateway.store, "write", disk_full)
    with pytest.raises(OSError, match="disk full"):
        await gateway.documents.poller.poll_once()
    assert axis.confirmed == []
    assert "axis-1" in axis.waiting


async def test_the_inbox_pages_and_acknowledged_documents_leave_it(
    client: httpx.AsyncClient, gateway: Gateway, axis: FakeAxis
) -> None:
    for n in range(5):
        axis.offer(f"axis-{n}", await _signed_package(client, str(100 + n)))
    await gateway.documents.poller.poll_once()
    first = (await client.get("/v1/inbox/documents", params={"limit": 2})).json()
    assert len(first["documents"]) == 2 and first["next_after"]
    rest = (
        await client.get("/v1/inbox/documents", params={"limit": 10, "after": first["next_after"]})
    ).json()
    assert len(rest["documents"]) == 3 and rest["next_after"] is None
    codes = [d["code"] for d in first["documents"] + rest["documents"]]
    assert codes == [f"{100 + n}/UBND-VX" for n in range(5)]
    taken = first["documents"][0]["id"]
    assert (await client.post(f"/v1/inbox/documents/{taken}/ack")).status_code == 204
    left = (await client.get("/v1/inbox/documents", params={"limit": 10})).json()["documents"]
    assert taken not in [d["id"] for d in left] and len(left) == 4


async def test_answering_an_unknown_document_answers_404(client: httpx.AsyncClient) -> None:
    reply = await client.post(f"/v1/documents/{'0' * 32}/status", json={"status": "accepted"})
    assert reply.status_code == 404


async def test_an_axis_outage_shows_in_readyz_and_is_logged_once(
    client: httpx.AsyncClient,
    gateway: Gateway,
    axis: FakeAxis,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def down(limit: int | None = None) -> list[str]:
        raise TransientError("document_axis", "could not reach the axis (ConnectError)")

    monkeypatch.setattr(axis, "pending_documents", down)
    poller = gateway.documents.poller
    monkeypatch.setattr(poller, "_config", PollerConfig(interval=0.01))
    task = asyncio.create_task(poller.run())
    await asyncio.sleep(0.2)
    await poller.stop()
    await task
    ready = (await client.get("/readyz")).json()
    assert ready["national"]["document_axis"] == "failing"
    warnings = [r for r in caplog.records if "cannot poll the document axis" in r.getMessage()]
    assert len(warnings) == 1


# Signatures and the messiness of real packages, as the timeline of a received document shows.


async def _timeline(client: httpx.AsyncClient, document: str) -> list[tuple[str, str | None]]:
    state = (await client.get(f"/v1/documents/{document}")).json()
    return [(entry["status"], entry["description"]) for entry in state["timeline"]]


def _unsigned(gateway: Gateway, number: str, **changes: Any) -> bytes:
    document = DocumentToSend.model_validate(document_json(number, **changes))
    package, _ = compose(document, gateway.documents.sender)
    return write_package(package)


class _LegacySender(XMLSigner):
    """Signs as legacy senders do: RSA-SHA1 over SHA-1 digests, inclusive C14N 1.0."""

    def __init__(self) -> None:
        super().__init__(
            signature_algorithm="rsa-sha1",
            digest_algorithm="sha1",
            c14n_algorithm=CanonicalizationMethod.CANONICAL_XML_1_0,
        )

    def check_deprecated_methods(self) -> None:
        return None


def _legacy_signed(gateway: Gateway, number: str) -> bytes:
    root = etree.fromstring(_unsigned(gateway, number))
    header = root.find(f"{EDXML}edXMLEnvelope/{EDXML}edXMLHeader")
    assert header is not None
    etree.SubElement(header, f"{{{DSIG}}}Signature", {"Id": "placeholder"}, nsmap={"ds": DSIG})
    signing = gateway.documents.signing
    signed = _LegacySender().sign(root, key=signing.key_pem, cert=signing.cert_pem.decode())
    return etree.tostring(signed, encoding="UTF-8", xml_declaration=True)


def _with_placeholder_certificate(signed: bytes) -> bytes:
    root = etree.fromstring(signed)
    certificate = root.find(f".//{{{DSIG}}}X509Certificate")
    assert certificate is not None and certificate.text
    certificate.text = certificate.text[:40]
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


async def _received(client: httpx.AsyncClient, gateway: Gateway, axis: FakeAxis) -> Any:
    await gateway.documents.poller.poll_once()
    (document,) = (await client.get("/v1/inbox/documents")).json()["documents"]
    return document


async def test_a_legacy_signature_is_accepted_and_its_weak_algorithms_noted(
    client: httpx.AsyncClient, gateway: Gateway, axis: FakeAxis
) -> None:
    axis.offer("axis-1", _legacy_signed(gateway, "80"))

    received = await _received(client, gateway, axis)

    assert received["state"] == "received"
    timeline = await _timeline(client, received["id"])
    assert [status for status, _ in timeline] == [
        "received",
        "signature_verified",
        "signature_legacy",
        "arrived",
    ]
    assert timeline[2][1] == (
        "signed with legacy algorithms: RSA-SHA1 signature method "
        "(http://www.w3.org/2000/09/xmldsig#rsa-sha1), "
        "SHA-1 digest (http://www.w3.org/2000/09/xmldsig#sha1)"
    )


@pytest.mark.parametrize("settings", [{"signature_allow_legacy": False}], indirect=True)
async def test_a_legacy_signature_is_rejected_when_the_setting_refuses_it(
    client: httpx.AsyncClient, gateway: Gateway, axis: FakeAxis
) -> None:
    axis.offer("axis-1", _legacy_signed(gateway, "81"))

    received = await _received(client, gateway, axis)

    assert received["state"] == "rejected"
    assert "legacy algorithm refused" in received["reason"]
    assert "RSA-SHA1" in received["reason"]


async def test_an_unverifiable_signature_is_stored_as_such_if_present(
    client: httpx.AsyncClient, gateway: Gateway, axis: FakeAxis
) -> None:
    axis.offer("axis-1", _with_placeholder_certificate(await _signed_package(client, "82")))

    received = await _received(client, gateway, axis)

    assert received["state"] == "received"
    (_, (status, description), _) = await _timeline(client, received["id"])
    assert status == "signature_unverifiable"
    assert description is not None and "truncated or a placeholder" in description


@pytest.mark.parametrize("settings", [{"signature_mode": "required"}], indirect=True)
async def test_an_unverifiable_signature_is_rejected_when_signatures_are_required(
    client: httpx.AsyncClient, gateway: Gateway, axis: FakeAxis
) -> None:
    axis.offer("axis-1", _with_placeholder_certificate(await _signed_package(client, "83")))

    received = await _received(client, gateway, axis)

    assert received["state"] == "rejected"
    assert "unverifiable signature" in received["reason"]


async def test_an_impossible_date_in_the_business_document_id_is_kept_with_a_warning(
    client: httpx.AsyncClient, gateway: Gateway, axis: FakeAxis
) -> None:
    unsigned = _unsigned(
        gateway, "84", business="update", about_document_id=f"{OTHER},2026/11/19,5/UBND-VX"
    ).replace(b"2026/11/19", b"2026/02/30")
    signing = gateway.documents.signing
    axis.offer("axis-1", sign_package(unsigned, key_pem=signing.key_pem, cert_pem=signing.cert_pem))

    received = await _received(client, gateway, axis)

    assert (received["state"], received["business"]) == ("received", "update")
    timeline = await _timeline(client, received["id"])
    assert [status for status, _ in timeline] == [
        "received",
        "signature_verified",
        "read_warning",
        "arrived",
    ]
    assert timeline[2] == (
        "read_warning",
        "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/DocumentId: "
        f"'{OTHER},2026/02/30,5/UBND-VX' names a date that is not on the calendar; "
        "kept as text, as it was sent",
    )


@pytest.mark.parametrize(
    "about", [f"{OTHER},2026/02/30,5/UBND-VX", "5/UBND-VX"], ids=["off-calendar", "not-an-id"]
)
async def test_a_document_id_the_gateway_would_write_is_checked_in_full(
    client: httpx.AsyncClient, about: str
) -> None:
    reply = await client.post(
        "/v1/documents", json=document_json(business="recall", about_document_id=about)
    )

    assert reply.status_code == 422
    assert reply.json()["errors"][0]["loc"] == ["body", "about_document_id"]
