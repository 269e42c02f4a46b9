"""End to end: the national mocks (``lienthong mocks``) and a gateway process (``lienthong
serve``) on loopback, the one-stop system moving dossiers through their states.

The monitoring centre mock receives exactly one event per change of a dossier's state, each
dossier's in the order its states changed: across an outage of the centre during which the
gateway is killed with SIGKILL, and after the gateway restarts on its store. Snapshots that
leave the state as it was, and progress steps, send it nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.servers import GatewayProcess, ServerThread, gateway_client, wait_until
from tests.gateway.samples import dossier_json, step_json

pytestmark = pytest.mark.e2e

SITE = 38
DOSSIERS = 8
OUTAGE = {"service": "TrackingMCDT", "status": 503, "rate": 1.0}


def _env(store_url: str, mocks: ServerThread) -> dict[str, str]:
    return {
        "LIENTHONG_DATABASE_URL": store_url,
        "LIENTHONG_MOCKS_URL": mocks.url,
        "LIENTHONG_MONITORING_CENTRE_SITE_ID": str(SITE),
        "LIENTHONG_MONITORING_CENTRE_RETRY_INITIAL_WAIT": "0.05",
        "LIENTHONG_MONITORING_CENTRE_RETRY_MAX_WAIT": "0.1",
        "LIENTHONG_MONITORING_CENTRE_BREAKER_FAILURES": "1000",
        "LIENTHONG_WORKER_POLL_INTERVAL": "0.05",
        "LIENTHONG_WORKER_LEASE_SECONDS": "3",
        "LIENTHONG_RETRY_BASE_SECONDS": "0.05",
        "LIENTHONG_RETRY_MAX_SECONDS": "0.3",
        "LIENTHONG_LINKED_POLLER_ENABLED": "false",
        "LIENTHONG_LOG_LEVEL": "WARNING",
    }


def _admin(mocks: ServerThread) -> str:
    return f"{mocks.url}/monitoring-centre/__admin"


def _push(client: httpx.Client, body: dict[str, Any]) -> list[str]:
    """Push one snapshot; the national systems it queued for."""
    reply = client.post("/v1/dossiers", json=body)
    assert reply.status_code == 202, reply.text
    return [q["target"] for q in reply.json()["queued"]]


def _pending(client: httpx.Client, target: str) -> int:
    pending: int = client.get("/v1/status").json()["targets"][target]["pending"]
    return pending


def test_one_event_per_state_change_across_an_outage_a_crash_and_a_restart(
    tmp_path: Path, store_url: str, mocks_server: ServerThread
) -> None:
    mocks = mocks_server
    admin = _admin(mocks)
    assert httpx.post(f"{admin}/faults", json=OUTAGE).status_code == 201
    env = _env(store_url, mocks)
    log = tmp_path / "gateway.log"
    codes = [dossier_json(n)["code"] for n in range(1, DOSSIERS + 1)]
    gateway = GatewayProcess(env, log).start()
    try:
        with gateway_client(gateway.url) as client:
            for n in range(1, DOSSIERS + 1):
                assert "monitoring_centre" in _push(client, dossier_json(n, status="received"))
                assert "monitoring_centre" in _push(client, dossier_json(n, status="processing"))
                unchanged = dossier_json(n, status="processing", note="Đã phân công")
                assert "monitoring_centre" not in _push(client, unchanged)
                steps = client.post(
                    f"/v1/dossiers/{codes[n - 1]}/progress", json={"steps": [step_json()]}
                )
                assert [q["target"] for q in steps.json()["queued"]] == ["national_portal"]
            wait_until(
                lambda: len(httpx.get(f"{admin}/journal").json()["entries"]) >= 2 * DOSSIERS,
                timeout=60,
                what="the worker to try the centre while it is down",
            )
            assert _pending(client, "monitoring_centre") == 2 * DOSSIERS
        gateway.kill()
        assert httpx.get(f"{admin}/state").json()["events"] == 0, "the outage kept them all out"
        assert httpx.delete(f"{admin}/faults").status_code == 204

        gateway = GatewayProcess({**env, "LIENTHONG_PORT": str(gateway.port)}, log).start()
        with gateway_client(gateway.url) as client:
            for n in range(1, DOSSIERS + 1):
                assert "monitoring_centre" in _push(client, dossier_json(n, status="returned"))
            wait_until(
                lambda: _pending(client, "monitoring_centre") == 0,
                timeout=120,
                what="every event to reach the centre",
            )
            status = client.get("/v1/status").json()["targets"]["monitoring_centre"]
    finally:
        gateway.stop()

    events = httpx.get(f"{admin}/events").json()["events"]
    assert len(events) == 3 * DOSSIERS, "one event per change of state, none twice"
    for code in codes:
        mine = [e for e in events if e["CodeProfile"] == code]
        assert [e["Status"] for e in mine] == ["1", "2", "3"], f"{code}: in the order of its states"
    assert {e["SiteId"] for e in events} == {SITE}
    assert (status["delivered"], status["dead"]) == (3 * DOSSIERS, 0)
    assert status["retried"] >= DOSSIERS, (
        "each dossier's first event was retried through the outage (its next one waited behind it)"
    )
