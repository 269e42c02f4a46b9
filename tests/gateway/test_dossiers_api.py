"""The dossier API: what the one-stop system sees when it pushes and reads."""

from __future__ import annotations

import httpx
import pytest

from gateway.bootstrap import Gateway
from tests.gateway.fakes import FakePortal
from tests.gateway.samples import dossier_json, step_json


async def test_push_answers_202_with_what_was_queued(client: httpx.AsyncClient) -> None:
    reply = await client.post("/v1/dossiers", json=dossier_json())
    assert reply.status_code == 202
    body = reply.json()
    assert body["code"] == "000.00.01.H56-261102-00001"
    assert body["version"] == 1
    assert [(q["target"], q["kind"]) for q in body["queued"]] == [("national_portal", "dossier")]


async def test_unchanged_snapshot_queues_nothing(client: httpx.AsyncClient) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    again = await client.post("/v1/dossiers", json=dossier_json())
    assert again.status_code == 202
    assert again.json()["queued"] == []
    assert again.json()["version"] == 1


async def test_changed_snapshot_is_a_new_version(client: httpx.AsyncClient) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    changed = await client.post("/v1/dossiers", json=dossier_json(status="processing"))
    assert changed.json()["version"] == 2
    assert len(changed.json()["queued"]) == 1


async def test_steps_inside_a_snapshot_are_queued_after_it(client: httpx.AsyncClient) -> None:
    body = dossier_json(progress=[step_json(10), step_json(20, "resolved")])
    reply = await client.post("/v1/dossiers", json=body)
    kinds = [q["kind"] for q in reply.json()["queued"]]
    assert kinds == ["dossier", "progress", "progress"]
    again = await client.post("/v1/dossiers", json=body)
    assert again.json()["queued"] == []


async def test_get_shows_snapshot_and_sync_state(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    pending = (await client.get("/v1/dossiers/000.00.01.H56-261102-00001")).json()
    assert pending["sync"][0]["pending"] == 1
    await gateway.worker.run_once()
    delivered = (await client.get("/v1/dossiers/000.00.01.H56-261102-00001")).json()
    assert delivered["dossier"]["applicant"]["name"] == "Nguyễn Thị Hồng Nhung"
    sync = delivered["sync"][0]
    assert (sync["target"], sync["pending"], sync["delivered"], sync["attempts"]) == (
        "national_portal",
        0,
        1,
        1,
    )
    assert sync["last_delivered_at"] is not None


async def test_unknown_dossier_answers_404(client: httpx.AsyncClient) -> None:
    reply = await client.get("/v1/dossiers/000.00.01.H56-261102-09999")
    assert reply.status_code == 404


async def test_progress_for_unknown_dossier_answers_404_naming_it(
    client: httpx.AsyncClient,
) -> None:
    reply = await client.post(
        "/v1/dossiers/000.00.01.H56-261102-00404/progress", json={"steps": [step_json()]}
    )
    assert reply.status_code == 404
    assert "000.00.01.H56-261102-00404" in reply.json()["detail"]


async def test_progress_is_queued_in_order(client: httpx.AsyncClient) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    reply = await client.post(
        "/v1/dossiers/000.00.01.H56-261102-00001/progress",
        json={"steps": [step_json(10), step_json(20, "resolved")]},
    )
    assert reply.status_code == 202
    ids = [q["id"] for q in reply.json()["queued"]]
    assert ids == sorted(ids) and len(ids) == 2


async def test_batch_accepts_many_in_one_transaction(client: httpx.AsyncClient) -> None:
    batch = {"dossiers": [dossier_json(n) for n in range(1, 51)]}
    reply = await client.post("/v1/dossiers:batch", json=batch)
    assert reply.status_code == 202
    assert reply.json()["accepted"] == 50
    assert len(reply.json()["queued"]) == 50


async def test_batch_with_one_bad_dossier_accepts_none(client: httpx.AsyncClient) -> None:
    batch = {"dossiers": [dossier_json(1), dossier_json(2, code="bad"), dossier_json(3)]}
    reply = await client.post("/v1/dossiers:batch", json=batch)
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["loc"] == ["body", "dossiers", 1, "code"]
    status = (await client.get("/v1/status")).json()
    assert status["targets"]["national_portal"]["accepted"] == 0


async def test_batch_over_1000_is_refused(client: httpx.AsyncClient) -> None:
    batch = {"dossiers": [dossier_json(n) for n in range(1, 1002)]}
    reply = await client.post("/v1/dossiers:batch", json=batch)
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["loc"] == ["body", "dossiers"]
    assert "1000" in reply.json()["errors"][0]["msg"]


async def test_idempotency_key_replays_the_first_answer(client: httpx.AsyncClient) -> None:
    headers = {"Idempotency-Key": "4f1c1b2e-first"}
    first = await client.post("/v1/dossiers", json=dossier_json(), headers=headers)
    second = await client.post("/v1/dossiers", json=dossier_json(), headers=headers)
    assert second.status_code == 202
    assert second.json() == first.json()
    assert second.headers["Idempotent-Replayed"] == "true"
    status = (await client.get("/v1/status")).json()
    assert status["targets"]["national_portal"]["accepted"] == 1


async def test_idempotency_key_reused_with_another_body_is_refused(
    client: httpx.AsyncClient,
) -> None:
    headers = {"Idempotency-Key": "4f1c1b2e-second"}
    await client.post("/v1/dossiers", json=dossier_json(), headers=headers)
    other = await client.post("/v1/dossiers", json=dossier_json(2), headers=headers)
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]


BAD_INPUT = [
    ({"code": "H56-1"}, ["body", "code"], "dossier code"),
    ({"code": "000.00.01.H56-261399-00001"}, ["body", "code"], "yyMMdd"),
    ({"handling_unit": "H56"}, ["body", "handling_unit"], "unit identifier"),
    ({"procedure": {"code": "khai-sinh"}}, ["body", "procedure", "code"], "procedure code"),
    ({"summary": "x" * 1001}, ["body", "summary"], "1000"),
    ({"status": "lost"}, ["body", "status"], "received"),
    ({"channel": "fax"}, ["body", "channel"], "online"),
    ({"received_at": "yesterday"}, ["body", "received_at"], "ISO 8601"),
    ({"received_at": 0}, ["body", "received_at"], "ISO 8601"),
    (
        {"applicant": {"kind": "citizen", "name": "An", "id_number": "999095001234"}},
        ["body", "applicant", "id_number"],
        "province code",
    ),
    ({"applicant": {"kind": "citizen", "name": ""}}, ["body", "applicant", "name"], "at least 1"),
    ({"unexpected": 1}, ["body", "unexpected"], "not permitted"),
]


@pytest.mark.parametrize(("change", "loc", "rule"), BAD_INPUT)
async def test_bad_dossier_answers_422_naming_field_and_rule(
    client: httpx.AsyncClient, change: dict[str, object], loc: list[object], rule: str
) -> None:
    reply = await client.post("/v1/dossiers", json=dossier_json(**change))
    assert reply.status_code == 422
    error = reply.json()["errors"][0]
    assert error["loc"] == loc
    assert rule in error["msg"]


async def test_bad_progress_step_answers_422_naming_field(client: httpx.AsyncClient) -> None:
    await client.post("/v1/dossiers", json=dossier_json())
    reply = await client.post(
        "/v1/dossiers/000.00.01.H56-261102-00001/progress",
        json={"steps": [step_json(officer="Ô" * 51)]},
    )
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["loc"] == ["body", "steps", 0, "officer"]
    assert "50" in reply.json()["errors"][0]["msg"]


async def test_bad_code_in_path_answers_422(client: httpx.AsyncClient) -> None:
    reply = await client.get("/v1/dossiers/not-a-code")
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["loc"] == ["path", "code"]


async def test_probes(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["store"] == "ok"
    metrics = await client.get("/metrics")
    assert "lienthong_events_total" in metrics.text


async def test_dossier_the_portal_format_cannot_carry_is_refused_at_once(
    client: httpx.AsyncClient,
) -> None:
    applicant = dossier_json()["applicant"] | {
        "identifiers": [{"type": "passport", "number": "C1234567"}]
    }
    reply = await client.post("/v1/dossiers", json=dossier_json(applicant=applicant))
    assert reply.status_code == 422
    error = reply.json()["errors"][0]
    assert error["loc"] == ["body", "applicant", "identifiers", 0, "type"]
    assert "national_portal" in error["msg"]
    status = (await client.get("/v1/status")).json()
    assert status["targets"]["national_portal"]["accepted"] == 0


async def test_batch_names_the_dossier_the_portal_format_cannot_carry(
    client: httpx.AsyncClient,
) -> None:
    applicant = dossier_json()["applicant"] | {
        "identifiers": [{"type": "passport", "number": "C1234567"}]
    }
    batch = {"dossiers": [dossier_json(1), dossier_json(2, applicant=applicant)]}
    reply = await client.post("/v1/dossiers:batch", json=batch)
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["loc"][:3] == ["body", "dossiers", 1]
