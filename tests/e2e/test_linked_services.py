"""End to end: the national mocks (``lienthong mocks``) and a gateway process (``lienthong
serve``) on loopback, the province pulling inter-connected submissions and answering them.

- On a fresh store, the first poll takes every submission the mock holds: the inbox lists them
  all before a second poll could have run, and the mock heard each acknowledgement only after
  the gateway had stored its submission.
- A gateway killed with SIGKILL between storing a submission and acknowledging it loses
  nothing and stores nothing twice once restarted on its store.
- Statuses posted for inbox dossiers reach the mock, each dossier's in order, while the mock
  answers 503s, drops connections after applying a status, and says "try again" in words.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.servers import GatewayProcess, ServerThread, gateway_client, wait_until

pytestmark = pytest.mark.e2e

POLL_SECONDS = 30
"""Long enough that everything seen within it came from the first poll."""
SEEDED = 20


def _env(store_url: str, mocks: ServerThread, **more: str) -> dict[str, str]:
    return {
        "LIENTHONG_DATABASE_URL": store_url,
        "LIENTHONG_MOCKS_URL": mocks.url,
        "LIENTHONG_LINKED_POLL_INTERVAL": str(POLL_SECONDS),
        "LIENTHONG_DOCUMENT_POLLER_ENABLED": "true",
        "LIENTHONG_WORKER_POLL_INTERVAL": "0.05",
        "LIENTHONG_RETRY_BASE_SECONDS": "0.05",
        "LIENTHONG_RETRY_MAX_SECONDS": "0.3",
        "LIENTHONG_LINKED_SERVICES_RETRY_INITIAL_WAIT": "0.05",
        "LIENTHONG_LINKED_SERVICES_RETRY_MAX_WAIT": "0.2",
        "LIENTHONG_LINKED_SERVICES_BREAKER_FAILURES": "1000",
        "LIENTHONG_LOG_LEVEL": "WARNING",
        **more,
    }


def _admin(mocks: ServerThread) -> str:
    return f"{mocks.url}/linked-services/__admin"


def _inbox(client: httpx.Client, state: str = "new") -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        params: dict[str, Any] = {"state": state, "limit": 7}
        if after:
            params["after"] = after
        page = client.get("/v1/inbox/dossiers", params=params).json()
        found.extend(page["dossiers"])
        after = page["next_after"]
        if after is None:
            return found


def _seeded(mocks: ServerThread) -> set[str]:
    submissions = httpx.get(f"{_admin(mocks)}/submissions").json()["submissions"]
    return {s["maHoSo"] for s in submissions}


def test_the_first_poll_takes_every_submission_and_acknowledges_each_once_stored(
    tmp_path: Path, store_url: str, mocks_server: ServerThread
) -> None:
    mocks = mocks_server
    seeded = _seeded(mocks)
    assert len(seeded) == SEEDED
    gateway = GatewayProcess(_env(store_url, mocks), tmp_path / "gateway.log").start()
    try:
        with gateway_client(gateway.url) as client:
            wait_until(
                lambda: len(_inbox(client)) == SEEDED,
                timeout=POLL_SECONDS - 5,
                what="the first poll to store every submission",
            )
            stored = {d["code"]: d for d in _inbox(client)}
            full = client.get(f"/v1/inbox/dossiers/{next(iter(stored))}").json()
    finally:
        gateway.stop()
    assert set(stored) == seeded
    acknowledgements = httpx.get(f"{_admin(mocks)}/acknowledgements").json()["acknowledgements"]
    assert sorted(a["maHoSo"] for a in acknowledgements) == sorted(seeded)
    for ack in acknowledgements:
        received = stored[ack["maHoSo"]]["received_at"]
        assert ack["at"] >= _epoch(received), "acknowledged before it was stored"
    assert httpx.get(f"{_admin(mocks)}/state").json()["waiting"] == 0
    assert full["form"]["kind"] in ("birth", "death")
    assert full["attachments"] and full["attachments"][0]["link"].startswith("/v1/inbox/dossiers/")


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def test_killed_between_storing_and_acknowledging_it_loses_nothing_and_stores_nothing_twice(
    tmp_path: Path, store_url: str, mocks_server: ServerThread
) -> None:
    mocks = mocks_server
    admin = _admin(mocks)
    fault = {"service": "acknowledge", "hang": {"max_s": 120}, "times": 1}
    assert httpx.post(f"{admin}/faults", json=fault).status_code == 201
    env = _env(store_url, mocks)
    log = tmp_path / "gateway.log"
    gateway = GatewayProcess(env, log).start()
    try:
        with gateway_client(gateway.url) as client:
            wait_until(
                lambda: len(_inbox(client)) >= 1,
                timeout=POLL_SECONDS - 5,
                what="the first submission to be stored",
            )
            (first,) = _inbox(client)
        assert httpx.get(f"{admin}/acknowledgements").json()["acknowledgements"] == [], (
            "stored, its acknowledgement held up: the moment to crash"
        )
        gateway.kill()
        httpx.delete(f"{admin}/faults")
        gateway = GatewayProcess({**env, "LIENTHONG_PORT": str(gateway.port)}, log).start()
        with gateway_client(gateway.url) as client:
            wait_until(
                lambda: httpx.get(f"{admin}/state").json()["waiting"] == 0,
                timeout=POLL_SECONDS - 5,
                what="the restarted gateway to take every submission",
            )
            everything = _inbox(client, state="all")
            timeline = client.get(f"/v1/inbox/dossiers/{first['code']}").json()["timeline"]
    finally:
        gateway.stop()
    codes = [d["code"] for d in everything]
    assert sorted(codes) == sorted(_seeded(mocks)), "nothing lost, nothing twice"
    assert all(d["version"] == 1 for d in everything)
    assert [e["event"] for e in timeline].count("received") == 1
    acknowledgements = httpx.get(f"{admin}/acknowledgements").json()["acknowledgements"]
    assert sorted(a["maHoSo"] for a in acknowledgements) == sorted(codes)
    assert all(a["first"] for a in acknowledgements)


def _result() -> dict[str, Any]:
    return {
        "number": "125",
        "book": "01/2026",
        "registered_on": "2026-12-07",
        "certificate": {"file_name": "trich-luc.pdf", "content": "JVBERi0xLjQK"},
    }


STEPS: list[dict[str, Any]] = [
    {"status": "received"},
    {"status": "accepted", "officer": {"name": "Lê Thị Hoa", "title": "Công chức tư pháp"}},
    {"status": "registered"},
    {"status": "handed_over", "note": "Trả kết quả tại bộ phận một cửa"},
]
CODES = {"received": 1, "accepted": 3, "registered": 4, "handed_over": 5}


def test_statuses_reach_the_mock_in_order_while_it_misbehaves(
    tmp_path: Path, store_url: str, mocks_server: ServerThread
) -> None:
    mocks = mocks_server
    admin = _admin(mocks)
    gateway = GatewayProcess(_env(store_url, mocks), tmp_path / "gateway.log").start()
    try:
        with gateway_client(gateway.url) as client:
            wait_until(
                lambda: len(_inbox(client)) == SEEDED,
                timeout=POLL_SECONDS - 5,
                what="the first poll",
            )
            dossiers = [d["code"] for d in _inbox(client)][:6]
            for fault in (
                {"service": "status", "status": 503, "rate": 0.3},
                {"service": "status", "reset": True, "phase": "after", "rate": 0.15},
            ):
                assert httpx.post(f"{admin}/faults", json=fault).status_code == 201
            failing = {"service": "status", "times": 4}
            assert httpx.post(f"{admin}/failures", json=failing).status_code == 201
            for step in STEPS:
                for n, code in enumerate(dossiers):
                    body = dict(step)
                    if step["status"] == "received":
                        body["province_code"] = f"000.00.41.H56-261207-{n:05d}"
                    if step["status"] == "registered":
                        body["result"] = _result()
                    reply = client.post(f"/v1/inbox/dossiers/{code}/status", json=body)
                    assert reply.status_code == 202, reply.text

            def delivered() -> bool:
                targets = client.get("/v1/status").json()["targets"]
                return targets["linked_services"]["pending"] == 0

            wait_until(delivered, timeout=120, what="every status to be delivered")
            counts = client.get("/v1/status").json()["targets"]["linked_services"]
            timeline = client.get(f"/v1/inbox/dossiers/{dossiers[0]}").json()["timeline"]
    finally:
        gateway.stop()
    assert (counts["delivered"], counts["dead"]) == (len(STEPS) * len(dossiers), 0)
    assert counts["retried"] > 0, "the faults made the gateway try again"
    for code in dossiers:
        received = httpx.get(f"{admin}/statuses", params={"maHoSo": code}).json()["statuses"]
        accepted = [s["body"]["trangThai"] for s in received if s["accepted"]]
        assert accepted == [CODES[s["status"]] for s in STEPS], code
        sent = [s["body"]["trangThai"] for s in received]
        assert sent == sorted(sent), f"{code}: a status was sent before the one before it"
        assert {s["body"]["maHoSo"] for s in received} == {received[0]["body"]["maHoSo"]}
    statuses = [e for e in timeline if e["event"] == "status"]
    assert [e["delivery"] for e in statuses] == ["delivered"] * len(STEPS)
