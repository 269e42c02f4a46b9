"""End to end: the gateway and the portal mock as real servers on loopback, on a real SQLite
file and on a real PostgreSQL database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.settings import Settings
from tests.e2e.portal_checks import assert_portal_has, lifecycle
from tests.e2e.servers import ServerThread, gateway_client, gateway_get, wait_until

pytestmark = pytest.mark.e2e


@pytest.fixture
def gateway_server(store_url: str, mocks_server: ServerThread) -> Iterator[ServerThread]:
    settings = Settings(
        database_url=store_url,
        mocks_url=mocks_server.url,
        worker_poll_interval=0.05,
        retry_base_seconds=0.05,
        retry_max_seconds=0.5,
        document_poller_enabled=False,
    )
    # the injected faults trip the breaker: retry soon, not in 30 s
    portal = {"retries": 1, "breaker_cool_down": 0.5}
    with ServerThread(create_app(settings, systems={"national_portal": portal})) as server:
        yield server


Pushed = tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]


def _push_all(gateway_url: str, count: int) -> Pushed:
    dossiers: list[dict[str, Any]] = []
    steps: dict[str, list[dict[str, Any]]] = {}
    with gateway_client(gateway_url, timeout=30) as client:
        for n in range(1, count + 1):
            dossier, its_steps = lifecycle(n)
            assert client.post("/v1/dossiers", json=dossier).status_code == 202
            reply = client.post(
                f"/v1/dossiers/{dossier['code']}/progress", json={"steps": its_steps}
            )
            assert reply.status_code == 202
            dossiers.append(dossier)
            steps[dossier["code"]] = its_steps
    return dossiers, steps


def _all_delivered(gateway_url: str) -> bool:
    counts = gateway_get(gateway_url, "/v1/status").json()["targets"]["national_portal"]
    return counts["pending"] == 0 and counts["accepted"] > 0


def test_dossiers_and_progress_reach_the_portal_in_order(
    gateway_server: ServerThread, mocks_server: ServerThread
) -> None:
    dossiers, steps = _push_all(gateway_server.url, 25)
    wait_until(lambda: _all_delivered(gateway_server.url), timeout=60, what="delivery")
    assert_portal_has(f"{mocks_server.url}/national-portal", dossiers, steps)
    status = gateway_get(gateway_server.url, "/v1/status").json()["targets"]["national_portal"]
    assert (status["accepted"], status["delivered"], status["dead"]) == (100, 100, 0)
    state = gateway_get(gateway_server.url, f"/v1/dossiers/{dossiers[0]['code']}").json()
    assert state["sync"][0]["delivered"] == 4


def test_delivers_everything_through_errors_and_lost_replies(
    gateway_server: ServerThread, mocks_server: ServerThread
) -> None:
    admin = f"{mocks_server.url}/national-portal/__admin"
    for fault in (
        {"service": None, "status": 503, "rate": 0.3},
        {"service": "CapNhatTienDoHoSoMC", "status": 502, "rate": 0.3, "phase": "after"},
        {"service": "DongBoHoSoMC", "status": 429, "rate": 0.1, "retry_after": 0},
    ):
        assert httpx.post(f"{admin}/faults", json=fault).status_code in (200, 201)
    dossiers, steps = _push_all(gateway_server.url, 20)
    wait_until(lambda: _all_delivered(gateway_server.url), timeout=120, what="delivery")
    assert_portal_has(f"{mocks_server.url}/national-portal", dossiers, steps)
    status = gateway_get(gateway_server.url, "/v1/status").json()["targets"]["national_portal"]
    assert status["delivered"] == status["accepted"] == 80
    assert status["dead"] == 0
    assert status["retried"] > 0


def test_a_dossier_the_portal_refuses_is_dead_with_the_portals_reason(
    gateway_server: ServerThread, mocks_server: ServerThread
) -> None:
    dossier, _ = lifecycle(1)
    dossier["procedure"] = {"code": "1.999999", "name": "Thủ tục không có thật"}
    with gateway_client(gateway_server.url, timeout=10) as client:
        assert client.post("/v1/dossiers", json=dossier).status_code == 202
        wait_until(lambda: _all_delivered(gateway_server.url), timeout=30, what="an outcome")
        state = client.get(f"/v1/dossiers/{dossier['code']}").json()["sync"][0]
    assert state["dead"] == 1
    assert "MaTTHC" in state["last_error"]
