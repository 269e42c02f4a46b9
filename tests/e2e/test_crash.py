"""The gateway killed with SIGKILL while delivering loses nothing and keeps each dossier's order:
restarted on its own store (SQLite or PostgreSQL), or, on PostgreSQL, taken over by a second
replica already running beside it."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.e2e.portal_checks import assert_portal_has, lifecycle
from tests.e2e.servers import GatewayProcess, ServerThread, gateway_client, gateway_get, wait_until

pytestmark = pytest.mark.e2e

DOSSIERS = 120
REPLICA_DOSSIERS = 60


def _journal_size(portal_admin: str) -> int:
    entries = httpx.get(f"{portal_admin}/journal", params={"limit": 100000}).json()["entries"]
    return len(entries)


def test_killed_while_delivering_then_restarted_every_event_arrives_in_order(
    tmp_path: Path, store_url: str, mocks_server: ServerThread
) -> None:
    portal = f"{mocks_server.url}/national-portal"
    httpx.post(f"{portal}/__admin/faults", json={"service": None, "rate": 1.0, "latency_ms": 40})
    env = {
        "LIENTHONG_DATABASE_URL": store_url,
        "LIENTHONG_NATIONAL_PORTAL_URL": portal,
        "LIENTHONG_NATIONAL_PORTAL_BATCH_SIZE": "5",
        "LIENTHONG_WORKER_BATCH_SIZE": "10",
        "LIENTHONG_WORKER_LEASE_SECONDS": "2",
        "LIENTHONG_WORKER_POLL_INTERVAL": "0.05",
        "LIENTHONG_LOG_LEVEL": "WARNING",
    }
    log = tmp_path / "gateway.log"
    gateway = GatewayProcess(env, log).start()
    dossiers, steps = [], {}
    try:
        with gateway_client(gateway.url, timeout=30) as client:
            for n in range(1, DOSSIERS + 1):
                dossier, its_steps = lifecycle(n)
                dossier["progress"] = its_steps
                assert client.post("/v1/dossiers", json=dossier).status_code == 202
                dossiers.append(dossier)
                steps[dossier["code"]] = its_steps
        wait_until(
            lambda: _journal_size(f"{portal}/__admin") >= 8, timeout=30, what="delivery to start"
        )
        gateway.kill()
        delivered_before = httpx.get(f"{portal}/__admin/state").json()
        gateway = GatewayProcess({**env, "LIENTHONG_PORT": str(gateway.port)}, log).start()

        def drained() -> bool:
            counts = gateway_get(gateway.url, "/v1/status").json()["targets"]["national_portal"]
            return counts["pending"] == 0

        wait_until(drained, timeout=240, what="the restarted gateway to drain the outbox")
        counts = gateway_get(gateway.url, "/v1/status").json()["targets"]["national_portal"]
    finally:
        gateway.stop()
    reached_before_kill = delivered_before["dossiers"] + delivered_before["progress"]
    assert 0 < reached_before_kill < 480, "the kill must land while delivery was under way"
    assert (counts["accepted"], counts["delivered"], counts["dead"]) == (480, 480, 0)
    assert_portal_has(portal, dossiers, steps)


def test_a_replica_killed_while_delivering_is_taken_over_by_the_other(
    tmp_path: Path, postgres_url: str, mocks_server: ServerThread
) -> None:
    """Two replicas share one PostgreSQL outbox and deliver side by side; one is killed outright.
    The survivor takes its rows once their leases run out, and every dossier still arrives whole
    and in order."""
    portal = f"{mocks_server.url}/national-portal"
    httpx.post(f"{portal}/__admin/faults", json={"service": None, "rate": 1.0, "latency_ms": 100})
    env = {
        "LIENTHONG_DATABASE_URL": postgres_url,
        "LIENTHONG_NATIONAL_PORTAL_URL": portal,
        "LIENTHONG_NATIONAL_PORTAL_BATCH_SIZE": "5",
        "LIENTHONG_WORKER_BATCH_SIZE": "10",
        "LIENTHONG_WORKER_LEASE_SECONDS": "2",
        "LIENTHONG_WORKER_POLL_INTERVAL": "0.05",
        "LIENTHONG_LOG_LEVEL": "WARNING",
    }
    doomed = GatewayProcess(env, tmp_path / "doomed.log").start()
    survivor = GatewayProcess(env, tmp_path / "survivor.log").start()
    dossiers, steps = [], {}
    try:
        for n in range(1, REPLICA_DOSSIERS + 1):
            dossier, its_steps = lifecycle(n)
            dossier["progress"] = its_steps
            dossiers.append(dossier)
            steps[dossier["code"]] = its_steps
        with gateway_client(doomed.url, timeout=30) as client:
            reply = client.post("/v1/dossiers:batch", json={"dossiers": dossiers})
            assert reply.status_code == 202, reply.text
        wait_until(
            lambda: _journal_size(f"{portal}/__admin") >= 8, timeout=30, what="delivery to start"
        )
        doomed.kill()
        delivered_before = httpx.get(f"{portal}/__admin/state").json()

        def drained() -> bool:
            counts = gateway_get(survivor.url, "/v1/status").json()["targets"]["national_portal"]
            return counts["pending"] == 0

        wait_until(drained, timeout=240, what="the surviving replica to drain the outbox")
        counts = gateway_get(survivor.url, "/v1/status").json()["targets"]["national_portal"]
    finally:
        doomed.stop()
        survivor.stop()
    reached_before_kill = delivered_before["dossiers"] + delivered_before["progress"]
    events = 4 * REPLICA_DOSSIERS
    assert 0 < reached_before_kill < events, "the kill must land while delivery was under way"
    assert (counts["accepted"], counts["delivered"], counts["dead"]) == (events, events, 0)
    assert_portal_has(portal, dossiers, steps)
