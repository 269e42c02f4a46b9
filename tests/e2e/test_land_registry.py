"""End to end: the national mocks (``lienthong mocks``) and a gateway process (``lienthong
serve``) on loopback, the province's land dossiers going to the land office and back.

- Dossiers of land procedures pushed to the gateway are forwarded to the land mock (the others
  are not), and their statuses, a supplement request and the results come back into the inbox;
  the supplement and the handover the one-stop system reports reach the land mock, and every
  dossier ends returned or refused.
- A gateway killed with SIGKILL after the land mock took a dossier but before its answer came
  back forwards it again once restarted: the land mock holds it once, the gateway marks it
  forwarded, and its statuses are pulled back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.servers import GatewayProcess, ServerThread, gateway_client, wait_until
from tests.gateway.samples import dossier_json

pytestmark = pytest.mark.e2e

LAND = {"code": "1.012783", "name": "Cấp đổi Giấy chứng nhận quyền sử dụng đất"}


def _env(store_url: str, mocks: ServerThread, **more: str) -> dict[str, str]:
    return {
        "LIENTHONG_DATABASE_URL": store_url,
        "LIENTHONG_MOCKS_URL": mocks.url,
        "LIENTHONG_LAND_REGISTRY_POLL_INTERVAL": "0.3",
        "LIENTHONG_LAND_REGISTRY_RETRY_INITIAL_WAIT": "0.05",
        "LIENTHONG_LAND_REGISTRY_RETRY_MAX_WAIT": "0.2",
        "LIENTHONG_LAND_REGISTRY_TIMEOUT": "2",
        "LIENTHONG_LAND_REGISTRY_DEADLINE": "4",
        "LIENTHONG_LINKED_POLLER_ENABLED": "false",
        "LIENTHONG_WORKER_POLL_INTERVAL": "0.05",
        "LIENTHONG_RETRY_BASE_SECONDS": "0.05",
        "LIENTHONG_RETRY_MAX_SECONDS": "0.3",
        "LIENTHONG_LOG_LEVEL": "WARNING",
        **more,
    }


def _admin(mocks: ServerThread) -> str:
    return f"{mocks.url}/land-registry/__admin"


def _land(n: int) -> dict[str, Any]:
    return dossier_json(n, procedure=LAND, receipt_number=f"BN-{n:05d}")


def _code(n: int) -> str:
    return f"000.00.01.H56-261102-{n:05d}"


def _story(mocks: ServerThread, receipt: str, answer: str) -> None:
    story = {
        "name": answer,
        "entity": "dossier",
        "only": [receipt],
        "steps": [{"on": "TiepNhanHoSo", "answer": answer}],
    }
    assert httpx.post(f"{_admin(mocks)}/stories", json=story).status_code == 201


def _dossier(client: httpx.Client, n: int) -> dict[str, Any]:
    found: dict[str, Any] = client.get(f"/v1/inbox/land/{_code(n)}").json()
    return found


def _status(client: httpx.Client, n: int) -> str | None:
    reply = client.get(f"/v1/inbox/land/{_code(n)}")
    return reply.json()["status"] if reply.status_code == 200 else None


def _intakes(mocks: ServerThread) -> list[str]:
    entries = httpx.get(f"{_admin(mocks)}/journal", params={"service": "TiepNhanHoSo"}).json()
    return [e["request"]["SoBienNhan"] for e in entries["entries"]]


def test_land_dossiers_go_to_the_land_office_and_their_statuses_and_results_come_back(
    tmp_path: Path, store_url: str, mocks_server: ServerThread
) -> None:
    mocks = mocks_server
    _story(mocks, "BN-00001", "supplement")
    _story(mocks, "BN-00002", "refuse")
    gateway = GatewayProcess(_env(store_url, mocks), tmp_path / "gateway.log").start()
    try:
        with gateway_client(gateway.url) as client:
            batch = [_land(1), _land(2), _land(3), dossier_json(4)]
            reply = client.post("/v1/dossiers:batch", json={"dossiers": batch})
            assert reply.status_code == 202, reply.text
            wait_until(
                lambda: (
                    _status(client, 1) == "supplement_requested"
                    and _status(client, 2) == "refused"
                    and _status(client, 3) == "resolved"
                ),
                timeout=60,
                what="the land office to ask, refuse and resolve",
            )
            asked = _dossier(client, 1)["supplement"]
            supplied = client.post(
                f"/v1/land/dossiers/{_code(1)}/supplement",
                json={
                    "new_due_at": "2026-12-10T17:00:00+07:00",
                    "documents": [{"name": "Trích đo", "url": "https://mc.example/td.pdf"}],
                },
            )
            assert supplied.status_code == 202, supplied.text
            wait_until(lambda: _status(client, 1) == "resolved", timeout=60, what="resolved")
            for n in (1, 3):
                handed = client.post(
                    f"/v1/land/dossiers/{_code(n)}/handover",
                    json={"at": "2026-12-11T09:00:00+07:00"},
                )
                assert handed.status_code == 202, handed.text
            wait_until(
                lambda: _status(client, 1) == _status(client, 3) == "returned",
                timeout=60,
                what="both results to be handed over",
            )
            first = _dossier(client, 1)
            certificate = client.get(first["results"][0]["link"])
            page = client.get("/v1/inbox/land", params={"state": "all"}).json()["dossiers"]
            missing = client.get(f"/v1/inbox/land/{_code(4)}")
    finally:
        gateway.stop()
    assert sorted(_intakes(mocks)) == ["BN-00001", "BN-00002", "BN-00003"]
    assert missing.status_code == 404, "a dossier of another procedure is not forwarded"
    assert asked
    assert certificate.status_code == 200 and certificate.content.startswith(b"%PDF-1.4")
    assert {d["code"] for d in page} == {_code(1), _code(2), _code(3)}
    statuses = [e["status"] for e in first["timeline"] if e["event"] == "status"]
    assert statuses == ["processing", "supplement_requested", "resolved", "returned"]
    sent = {e["event"]: e["delivery"] for e in first["timeline"] if e["event"] != "status"}
    assert sent == {
        "forwarded": "delivered",
        "supplement_sent": "delivered",
        "handover_sent": "delivered",
    }
    state = httpx.get(f"{_admin(mocks)}/state").json()
    assert (state["Đã trả kết quả"], state["Từ chối giải quyết"]) == (2, 1)


def test_killed_before_the_land_office_answered_it_forwards_once_more_and_holds_it_once(
    tmp_path: Path, store_url: str, mocks_server: ServerThread
) -> None:
    mocks = mocks_server
    admin = _admin(mocks)
    fault = {"service": "TiepNhanHoSo", "hang": {"max_s": 120}, "phase": "after", "times": 1}
    assert httpx.post(f"{admin}/faults", json=fault).status_code == 201
    env = _env(store_url, mocks, LIENTHONG_WORKER_LEASE_SECONDS="2")
    log = tmp_path / "gateway.log"
    gateway = GatewayProcess(env, log).start()
    try:
        with gateway_client(gateway.url) as client:
            reply = client.post("/v1/dossiers:batch", json={"dossiers": [_land(1)]})
            assert reply.status_code == 202, reply.text
            wait_until(
                lambda: httpx.get(f"{admin}/state").json()["dossiers"] == 1,
                timeout=30,
                what="the land mock to take the dossier (its answer held up)",
            )
            assert _dossier(client, 1)["state"] == "queued", "the answer has not come back"
        gateway.kill()
        httpx.delete(f"{admin}/faults")
        gateway = GatewayProcess({**env, "LIENTHONG_PORT": str(gateway.port)}, log).start()
        with gateway_client(gateway.url) as client:
            wait_until(
                lambda: _status(client, 1) is not None,
                timeout=60,
                what="the restarted gateway to forward it again and pull its status",
            )
            after = _dossier(client, 1)
    finally:
        gateway.stop()
    assert _intakes(mocks) == ["BN-00001", "BN-00001"], "sent again after the crash"
    assert httpx.get(f"{admin}/state").json()["dossiers"] == 1, "held once"
    assert after["state"] == "forwarded"
    assert [e["event"] for e in after["timeline"]].count("forwarded") == 1
