"""Documents at the gateway with a fake axis: sending, limits, the poller, the inbox."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import httpx
import pytest

from adapters.errors import TransientError
from gateway.bootstrap import Gateway
from gateway.documents.poller import PollerConfig
from tests.gateway.fakes import FakeAxis

OTHER = "000.00.00.H49"


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
    assert reply.json()["detail"][0]["loc"] == loc


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


async def test_an_unreadable_package_is_rejected_with_its_reason_and_confirmed(
    client: httpx.AsyncClient, gateway: Gateway, axis: FakeAxis
) -> None:
    axis.offer("axis-9", b"<not-edxml/>")
    await gateway.documents.poller.poll_once()
    assert axis.confirmed == ["axis-9"]
    (rejected,) = (await client.get("/v1/inbox/documents")).json()["documents"]
    assert rejected["state"] == "rejected"
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
