"""End to end: province A sends an official document to province B through the mock axis.

Both gateways and the mocks are real servers on loopback with real SQLite files. B's gateway
takes the document in (verifying A's signature), answers "arrived" by itself, and the one-stop
system of B acknowledges it and answers 03 then 06; A's timeline shows each step. Then A asks
for the document back (13) and B agrees (15).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from adapters.document_axis import AxisConfig, SoapDocumentAxis
from gateway.app import create_app
from gateway.keys import CERT_FILE, DEVELOPMENT_FOLDER, load_signing_identity
from gateway.settings import Settings
from tests.e2e.servers import ServerThread, gateway_client, wait_until

pytestmark = pytest.mark.e2e

A, B = "000.00.00.H56", "000.00.00.H49"
PDF = b"%PDF-1.7 " + bytes(range(256)) * 40


def _settings(tmp_path: Path, mocks: ServerThread, me: str, other: str) -> Settings:
    keys, other_keys = tmp_path / me / "keys", tmp_path / other / "keys"
    return Settings(
        database_url=f"sqlite:///{tmp_path / me}/gateway.db",
        mocks_url=mocks.url,
        organ_id=me,
        organ_name=f"Ủy ban nhân dân ({me})",
        keys_dir=keys,
        trust_anchors=str(other_keys / DEVELOPMENT_FOLDER / CERT_FILE),
        signature_mode="required",
        document_poll_interval=0.1,
        worker_poll_interval=0.05,
        retry_base_seconds=0.05,
    )


@pytest.fixture
def provinces(tmp_path: Path, mocks_server: ServerThread) -> Iterator[tuple[str, str]]:
    for me in (A, B):
        load_signing_identity(
            key_path=None, cert_path=None, keys_dir=tmp_path / me / "keys", unit_code=me
        )
    a = create_app(
        _settings(tmp_path, mocks_server, A, B), systems={"document_axis": {"username": A}}
    )
    b = create_app(
        _settings(tmp_path, mocks_server, B, A), systems={"document_axis": {"username": B}}
    )
    with ServerThread(a) as server_a, ServerThread(b) as server_b:
        yield server_a.url, server_b.url


def _document() -> dict[str, Any]:
    return {
        "to": [{"organ_id": B, "name": "Ủy ban nhân dân tỉnh Quảng Ninh"}],
        "number": "1234",
        "notation": "UBND-VX",
        "promulgated_on": "2026-11-20",
        "place": "Thanh Hóa",
        "type": "CV",
        "type_name": "Công văn",
        "subject": "V/v phối hợp giải quyết thủ tục hành chính liên thông",
        "content": "Đề nghị Ủy ban nhân dân tỉnh Quảng Ninh phối hợp xử lý hồ sơ.",
        "signer": {"full_name": "Lê Văn Minh", "position": "Phó Chủ tịch"},
        "attachments": [
            {
                "name": "cong-van-1234.pdf",
                "content_type": "application/pdf",
                "content": base64.b64encode(PDF).decode(),
            }
        ],
    }


def _statuses(client: httpx.Client, document: str) -> list[str]:
    reply = client.get(f"/v1/documents/{document}")
    assert reply.status_code == 200, reply.text
    return [entry["status"] for entry in reply.json()["timeline"]]


def test_a_document_goes_from_a_to_b_and_its_answers_come_back(
    provinces: tuple[str, str],
) -> None:
    url_a, url_b = provinces
    with (
        gateway_client(url_a, timeout=30) as a,
        gateway_client(url_b, timeout=30) as b,
    ):
        sent = a.post("/v1/documents", json=_document())
        assert sent.status_code == 202, sent.text
        ours = sent.json()["id"]
        assert sent.json()["document_id"] == f"{A},2026/11/20,1234/UBND-VX"

        wait_until(
            lambda: b.get("/v1/inbox/documents").json()["documents"],
            timeout=30,
            what="the document in B's inbox",
        )
        (received,) = b.get("/v1/inbox/documents").json()["documents"]
        assert (received["from_organ"], received["state"]) == (A, "received")
        assert received["subject"] == _document()["subject"]
        package = b.get(f"/v1/documents/{received['id']}/package").content
        assert b"SignatureValue" in package
        assert base64.b64encode(PDF) in package.replace(b"\n", b"")

        assert b.post(f"/v1/inbox/documents/{received['id']}/ack").status_code == 204
        assert b.get("/v1/inbox/documents").json()["documents"] == []

        for status in ("accepted", "done"):
            answer = b.post(
                f"/v1/documents/{received['id']}/status",
                json={"status": status, "description": f"Đã {status}"},
            )
            assert answer.status_code == 202, answer.text

        wait_until(lambda: "done" in _statuses(a, ours), timeout=30, what="B's answers at A")
        timeline = _statuses(a, ours)
        assert timeline[0] == "queued"
        assert timeline.index("sent") < timeline.index("arrived") < timeline.index("accepted")
        assert timeline.index("accepted") < timeline.index("done")
        codes = [e["code"] for e in a.get(f"/v1/documents/{ours}").json()["timeline"]]
        assert [c for c in codes if c] == ["01", "03", "06"]

        assert (
            a.post(f"/v1/documents/{ours}/recall", json={"reason": "Sai số liệu"}).status_code
            == 202
        )
        wait_until(
            lambda: "recall_requested" in _statuses(b, received["id"]),
            timeout=30,
            what="the recall request at B",
        )
        agreed = b.post(
            f"/v1/documents/{received['id']}/status", json={"status": "recall_or_update_agreed"}
        )
        assert agreed.status_code == 202
        wait_until(lambda: "recalled" in _statuses(a, ours), timeout=30, what="the recall at A")


def test_a_tampered_package_is_rejected_with_the_reason(
    provinces: tuple[str, str], mocks_server: ServerThread
) -> None:
    url_a, url_b = provinces
    with (
        gateway_client(url_a, timeout=30) as a,
        gateway_client(url_b, timeout=30) as b,
    ):
        ours = a.post("/v1/documents", json=_document()).json()["id"]
        signed = a.get(f"/v1/documents/{ours}/package").content
        wait_until(
            lambda: b.get("/v1/inbox/documents").json()["documents"],
            timeout=30,
            what="the genuine document at B",
        )
        assert signed.count("phối hợp giải quyết".encode()) == 1
        tampered = signed.replace("phối hợp giải quyết".encode(), "hủy bỏ".encode())
        tampered = tampered.replace(b"1234/UBND-VX", b"1235/UBND-VX").replace(
            b"<edXML:CodeNumber>1234", b"<edXML:CodeNumber>1235"
        )
        _send_raw(f"{mocks_server.url}/document-axis/", tampered)
        wait_until(
            lambda: len(b.get("/v1/inbox/documents").json()["documents"]) == 2,
            timeout=30,
            what="the tampered package at B",
        )
        states = {d["state"]: d for d in b.get("/v1/inbox/documents").json()["documents"]}
        assert "rejected" in states
        assert "signature" in states["rejected"]["reason"]


def _send_raw(axis_url: str, package: bytes) -> None:
    """Put bytes on the axis as A, past A's gateway (which would never send them)."""

    async def send() -> None:
        config = AxisConfig(url=axis_url, username=A, password="lienthong-dev", retries=1)
        async with SoapDocumentAxis(config) as axis:
            await axis.send_document(package)

    asyncio.run(send())
