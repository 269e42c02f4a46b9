"""Inter-connected submissions at the gateway with a fake national system: the poller (stored
once, acknowledged only after, set aside, resubmitted), the inbox API, and the statuses sent
back through the outbox in order."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import select

from adapters.errors import RefusedError, TransientError
from adapters.linked_services import Answer
from gateway.app import create_app
from gateway.bootstrap import Gateway
from gateway.linked_dossiers import records
from gateway.settings import Settings
from gateway.store.schema import outbox
from gateway.webhooks import new_secret
from mappings.linked_services import (
    Acceptance,
    ListedSubmission,
    Module,
    SubmissionDetail,
    WireStatus,
)
from tests.gateway.conftest import demo_token
from tests.gateway.fakes import FakeAxis, FakePortal

GOLDEN = Path(__file__).resolve().parents[1] / "mappings" / "linked_services"
PROVINCE_CODE = "000.00.41.H56-261207-00001"


def detail(name: str = "birth", **changes: Any) -> SubmissionDetail:
    raw = json.loads((GOLDEN / f"{name}_detail.json").read_text(encoding="utf-8"))
    raw.update(changes)
    return SubmissionDetail.model_validate(raw)


class FakeLinked:
    """The national system as the province's account sees it; it checks that the gateway holds
    a submission before it is acknowledged."""

    def __init__(self) -> None:
        self.details: dict[str, SubmissionDetail] = {}
        self.waiting: list[str] = []
        self.acknowledged: list[str] = []
        self.statuses: list[WireStatus] = []
        self.fetched: list[str] = []
        self.gateway: Gateway | None = None
        self.ack_failures = 0
        self.status_failures: list[Exception] = []
        self.final: set[str] = set()

    def offer(self, submission_id: str, submission: SubmissionDetail) -> None:
        self.details[submission_id] = submission
        if submission_id not in self.waiting:
            self.waiting.append(submission_id)

    async def pending(self) -> list[ListedSubmission]:
        return [
            ListedSubmission(
                id=i,
                maDonVi=self.details[i].maDonVi,
                maTTHC=self.details[i].maTTHC,
                module=self.details[i].module,
                maHoSo=self.details[i].maHoSo,
                ngayTiepNhan=self.details[i].ngayTiepNhan,
                techId=self.details[i].techId,
            )
            for i in self.waiting
        ]

    async def fetch(self, submission_id: str) -> SubmissionDetail | None:
        self.fetched.append(submission_id)
        return self.details.get(submission_id)

    async def acknowledge(self, code: str) -> Answer:
        assert self.gateway is not None
        held = await self.gateway.store.read(lambda c: records.find(c, code))
        assert held is not None, f"{code} acknowledged before the gateway stored it"
        if self.ack_failures:
            self.ack_failures -= 1
            raise TransientError("linked_services", "acknowledge: server error")
        self.acknowledged.append(code)
        self.waiting = [i for i in self.waiting if self.details[i].maHoSo != code]
        return Answer("Hồ sơ đã được cập nhật thành công")

    async def send_status(self, status: WireStatus) -> Answer:
        if self.status_failures:
            raise self.status_failures.pop(0)
        self.statuses.append(status)
        if status.soHoSoLT in self.final:
            return Answer("Trạng thái hồ sơ đã tồn tại", final=True)
        return Answer("Cập nhật trạng thái hồ sơ thành công")

    async def aclose(self) -> None:
        return None


@pytest.fixture
def linked() -> FakeLinked:
    return FakeLinked()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "webhook_url": "http://127.0.0.1:9/hooks",
            "webhook_secret": SecretStr(new_secret()),
        }
    )


@pytest.fixture
async def app(settings: Settings, linked: FakeLinked) -> AsyncIterator[FastAPI]:
    application = create_app(
        settings,
        adapters={
            "national_portal": FakePortal(),
            "document_axis": FakeAxis(),
            "linked_services": linked,
        },
    )
    async with application.router.lifespan_context(application):
        linked.gateway = application.state.gateway
        yield application


def birth(n: int, **changes: Any) -> SubmissionDetail:
    return detail("birth", maHoSo=f"LTKS-261207-{n:06d}", **changes)


async def poll(gateway: Gateway) -> Any:
    return await gateway.linked_poller.poll_once()


async def webhook_types(gateway: Gateway) -> list[str]:
    def read(connection: Any) -> list[str]:
        query = select(outbox.c.kind).where(outbox.c.target == "webhooks").order_by(outbox.c.id)
        return list(connection.execute(query).scalars())

    return await gateway.store.read(read)


async def test_a_submission_is_stored_once_then_acknowledged(
    client: httpx.AsyncClient, gateway: Gateway, linked: FakeLinked
) -> None:
    linked.offer("1", birth(1))
    linked.offer("2", detail("death"))
    report = await poll(gateway)
    assert sorted(report.stored) == sorted(linked.acknowledged)
    assert len(linked.acknowledged) == 2
    page = (await client.get("/v1/inbox/dossiers")).json()
    assert {d["code"] for d in page["dossiers"]} == set(linked.acknowledged)
    assert await webhook_types(gateway) == ["dossier.received", "dossier.received"]
    one = (await client.get("/v1/inbox/dossiers/LTKS-261207-000001")).json()
    events = [e["event"] for e in one["timeline"]]
    assert events == ["received", "acknowledged"]


async def test_listed_again_after_a_lost_acknowledgement_it_is_acknowledged_not_stored_twice(
    client: httpx.AsyncClient, gateway: Gateway, linked: FakeLinked
) -> None:
    linked.offer("1", birth(1))
    linked.ack_failures = 1
    with pytest.raises(TransientError):
        await poll(gateway)
    assert linked.acknowledged == []
    report = await poll(gateway)
    assert (report.stored, report.acknowledged) == ([], ["LTKS-261207-000001"])
    assert linked.fetched == ["1"], "a submission held is not fetched again"
    one = (await client.get("/v1/inbox/dossiers/LTKS-261207-000001")).json()
    assert [e["event"] for e in one["timeline"]].count("received") == 1
    assert len(await webhook_types(gateway)) == 1


async def test_a_submission_the_province_does_not_take_is_set_aside_and_not_acknowledged(
    client: httpx.AsyncClient, gateway: Gateway, linked: FakeLinked
) -> None:
    linked.offer("1", birth(1, maTTHC="9.999999"))
    linked.offer("2", birth(2, data="<hoSo>"))
    report = await poll(gateway)
    assert sorted(report.set_aside) == ["LTKS-261207-000001", "LTKS-261207-000002"]
    assert linked.acknowledged == []
    assert (await client.get("/v1/inbox/dossiers")).json()["dossiers"] == []
    aside = (await client.get("/v1/inbox/dossiers", params={"state": "set_aside"})).json()
    reasons = {d["code"]: d["reason"] for d in aside["dossiers"]}
    assert "procedure '9.999999' is not one the province takes" in reasons["LTKS-261207-000001"]
    assert "cannot be read: data: " in reasons["LTKS-261207-000002"]
    one = (await client.get("/v1/inbox/dossiers/LTKS-261207-000001")).json()
    assert (one["state"], one["form"]) == ("set_aside", None)
    assert one["attachments"], "its papers are kept for operators"
    taken = await client.post("/v1/inbox/dossiers/LTKS-261207-000001/ack")
    assert taken.status_code == 409
    assert "set aside" in taken.json()["detail"]
    answered = await client.post(
        "/v1/inbox/dossiers/LTKS-261207-000001/status",
        json={"status": "received", "province_code": PROVINCE_CODE},
    )
    assert answered.status_code == 409

    await poll(gateway)
    assert linked.fetched == ["1", "2"], "a submission set aside is judged from what is stored"
    assert await webhook_types(gateway) == []

    gateway.linked_poller._acceptance = lambda: Acceptance(
        procedures={Module.birth: frozenset({"9.999999"}), Module.death: frozenset()}
    )
    report = await poll(gateway)
    assert report.stored == ["LTKS-261207-000001"]
    assert linked.acknowledged == ["LTKS-261207-000001"]
    one = (await client.get("/v1/inbox/dossiers/LTKS-261207-000001")).json()
    assert (one["state"], one["reason"], one["version"]) == ("new", None, 1)
    assert one["form"]["kind"] == "birth"
    assert await webhook_types(gateway) == ["dossier.received"]


async def test_a_resubmission_after_a_supplement_request_replaces_it_and_keeps_the_code(
    client: httpx.AsyncClient, gateway: Gateway, linked: FakeLinked
) -> None:
    linked.offer("1", birth(1))
    await poll(gateway)
    code = "LTKS-261207-000001"
    await client.post(f"/v1/inbox/dossiers/{code}/ack")
    sent = await client.post(
        f"/v1/inbox/dossiers/{code}/status",
        json={"status": "received", "province_code": PROVINCE_CODE},
    )
    assert sent.status_code == 202, sent.text
    await client.post(
        f"/v1/inbox/dossiers/{code}/status",
        json={"status": "supplement_requested", "supplement_deadline": "2026-12-20T17:00:00+07:00"},
    )
    files = [f.model_dump() for f in linked.details["1"].fileDinhKem]
    extra = {**files[0], "id": "bs-1", "tenGiayTo": "Giấy tờ bổ sung"}
    linked.offer("1", birth(1, fileDinhKem=[*files, extra]))
    report = await poll(gateway)
    assert report.resubmitted == [code]
    assert linked.acknowledged == [code, code]
    one = (await client.get(f"/v1/inbox/dossiers/{code}")).json()
    assert (one["state"], one["version"], one["province_code"]) == ("new", 2, PROVINCE_CODE)
    assert [a["id"] for a in one["attachments"]][-1] == "bs-1"
    assert one["timeline"][-2]["event"] == "resubmitted"
    assert await webhook_types(gateway) == ["dossier.received", "dossier.resubmitted"]

    linked.offer("1", birth(1, fileDinhKem=[*files, extra]))
    report = await poll(gateway)
    assert (report.resubmitted, report.acknowledged) == ([], [code]), "a repeat is acknowledged"
    assert (await client.get(f"/v1/inbox/dossiers/{code}")).json()["version"] == 2
    again = await client.post(f"/v1/inbox/dossiers/{code}/status", json={"status": "accepted"})
    assert again.json()["province_code"] == PROVINCE_CODE


async def test_the_inbox_pages_filters_and_takes(
    client: httpx.AsyncClient, gateway: Gateway, linked: FakeLinked
) -> None:
    for n in range(1, 6):
        linked.offer(str(n), birth(n))
    linked.offer("9", detail("death"))
    await poll(gateway)
    seen: list[str] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"after": after} if after else {})}
        page = (await client.get("/v1/inbox/dossiers", params=params)).json()
        seen += [d["code"] for d in page["dossiers"]]
        after = page["next_after"]
        if after is None:
            break
    assert len(seen) == len(set(seen)) == 6
    deaths = (await client.get("/v1/inbox/dossiers", params={"module": "KT"})).json()
    assert [d["module"] for d in deaths["dossiers"]] == ["KT"]
    code = "LTKS-261207-000003"
    assert (await client.post(f"/v1/inbox/dossiers/{code}/ack")).status_code == 204
    assert (await client.post(f"/v1/inbox/dossiers/{code}/ack")).status_code == 204
    waiting = (await client.get("/v1/inbox/dossiers")).json()["dossiers"]
    assert code not in {d["code"] for d in waiting}
    taken = (await client.get("/v1/inbox/dossiers", params={"state": "taken"})).json()
    assert [d["code"] for d in taken["dossiers"]] == [code]
    everything = (await client.get("/v1/inbox/dossiers", params={"state": "all"})).json()
    assert len(everything["dossiers"]) == 6
    missing = await client.post("/v1/inbox/dossiers/LTKS-000000-000000/ack")
    assert missing.status_code == 404


async def test_a_dossier_reads_in_the_canonical_model_with_its_attachments_by_link(
    client: httpx.AsyncClient, gateway: Gateway, linked: FakeLinked
) -> None:
    linked.offer("1", birth(1))
    await poll(gateway)
    one = (await client.get("/v1/inbox/dossiers/LTKS-261207-000001")).json()
    assert one["form"]["child"]["full_name"] == "Hoàng Quang Hiếu"
    assert one["module"] == "KS"
    assert one["submitted_on"] == "2025-11-12"
    first = one["attachments"][0]
    reply = await client.get(first["link"])
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/pdf"
    assert (
        reply.headers["content-disposition"] == "attachment; filename*=UTF-8''giay-chung-sinh.pdf"
    )
    expected = base64.b64decode(linked.details["1"].fileDinhKem[0].duLieuTepDinhKem)
    assert reply.content == expected
    gone = await client.get("/v1/inbox/dossiers/LTKS-261207-000001/attachments/nope")
    assert gone.status_code == 404
    assert (await client.get("/v1/inbox/dossiers/nope")).status_code == 404


@pytest.mark.parametrize(
    ("first", "then", "status", "says"),
    [
        ({"status": "received"}, None, 409, "needs province_code"),
        (
            {"status": "received", "province_code": PROVINCE_CODE},
            {"status": "accepted", "province_code": "another"},
            409,
            "known to the national system as the province's",
        ),
        (
            {"status": "received", "province_code": PROVINCE_CODE},
            {"status": "supplement_requested"},
            422,
            "supplement_deadline",
        ),
        (
            {"status": "refused", "province_code": PROVINCE_CODE},
            {"status": "accepted"},
            409,
            "final status (refused)",
        ),
        (
            {"status": "received", "province_code": PROVINCE_CODE},
            {"status": "registered"},
            422,
            "needs result",
        ),
    ],
)
async def test_a_status_that_cannot_be_sent_is_refused_before_it_is_queued(
    client: httpx.AsyncClient,
    gateway: Gateway,
    linked: FakeLinked,
    first: dict[str, Any],
    then: dict[str, Any] | None,
    status: int,
    says: str,
) -> None:
    linked.offer("1", birth(1))
    await poll(gateway)
    url = "/v1/inbox/dossiers/LTKS-261207-000001/status"
    reply = await client.post(url, json=first)
    if then is not None:
        assert reply.status_code == 202, reply.text
        reply = await client.post(url, json=then)
    assert reply.status_code == status
    assert says in json.dumps(reply.json(), ensure_ascii=False)


async def test_statuses_reach_the_national_system_in_order_through_the_outbox(
    client: httpx.AsyncClient, gateway: Gateway, linked: FakeLinked
) -> None:
    linked.offer("1", birth(1))
    linked.offer("2", birth(2))
    await poll(gateway)
    steps = [
        {"status": "received", "province_code": PROVINCE_CODE},
        {"status": "accepted", "officer": {"name": "Lê Thị Hoa"}},
        {
            "status": "registered",
            "result": {"number": "125", "registered_on": "2026-12-07"},
        },
        {"status": "handed_over"},
    ]
    for step in steps:
        for code in ("LTKS-261207-000001", "LTKS-261207-000002"):
            body = {**step}
            if "province_code" in body:
                body["province_code"] = f"{PROVINCE_CODE}-{code[-1]}"
            reply = await client.post(
                f"/v1/inbox/dossiers/{code}/status",
                json=body,
                headers={"Idempotency-Key": f"{code}-{step['status']}"},
            )
            assert reply.status_code == 202, reply.text
    replayed = await client.post(
        "/v1/inbox/dossiers/LTKS-261207-000001/status",
        json=steps[1],
        headers={"Idempotency-Key": "LTKS-261207-000001-accepted"},
    )
    assert replayed.headers["Idempotent-Replayed"] == "true"
    linked.status_failures = [TransientError("linked_services", "status: server error")]
    gateway.worker._config = replace(
        gateway.worker._config, backoff=replace(gateway.worker._config.backoff, base=0.0, cap=0.0)
    )
    for _ in range(12):
        await gateway.worker.run_once()
    for code in ("LTKS-261207-000001", "LTKS-261207-000002"):
        sent = [s.trangThai for s in linked.statuses if s.soHoSoLT == code]
        assert sent == [1, 3, 4, 5]
    one = (await client.get("/v1/inbox/dossiers/LTKS-261207-000001")).json()
    statuses = [e for e in one["timeline"] if e["event"] == "status"]
    assert [(e["status"], e["delivery"]) for e in statuses] == [
        ("received", "delivered"),
        ("accepted", "delivered"),
        ("registered", "delivered"),
        ("handed_over", "delivered"),
    ]
    assert one["status"] == "handed_over"
    wire = next(s for s in linked.statuses if s.trangThai == 4)
    assert json.loads(wire.ketQuaXuLy or "{}")["soDangKy"] == "125"


async def test_a_status_the_system_refuses_is_dead_at_once(
    client: httpx.AsyncClient, gateway: Gateway, linked: FakeLinked
) -> None:
    linked.offer("1", birth(1))
    await poll(gateway)
    linked.status_failures = [RefusedError("linked_services", "status: Logic xử lý không hợp lệ")]
    await client.post(
        "/v1/inbox/dossiers/LTKS-261207-000001/status",
        json={"status": "received", "province_code": PROVINCE_CODE},
    )
    await gateway.worker.run_once()
    counts = (await client.get("/v1/status")).json()["targets"]["linked_services"]
    assert (counts["dead"], counts["pending"]) == (1, 0)
    one = (await client.get("/v1/inbox/dossiers/LTKS-261207-000001")).json()
    (status,) = [e for e in one["timeline"] if e["event"] == "status"]
    assert status["delivery"] == "dead"
    assert "Logic xử lý không hợp lệ" in status["delivery_error"]


async def test_a_route_needs_its_inbox_scope(client: httpx.AsyncClient) -> None:
    reader = await demo_token(client, scope="inbox:read")
    headers = {"Authorization": f"Bearer {reader}"}
    assert (await client.get("/v1/inbox/dossiers", headers=headers)).status_code == 200
    refused = await client.post("/v1/inbox/dossiers/LTKS-261207-000001/ack", headers=headers)
    assert refused.status_code == 403


async def test_listed_again_unchanged_while_a_supplement_is_awaited_it_is_only_acknowledged(
    client: httpx.AsyncClient, gateway: Gateway, linked: FakeLinked
) -> None:
    linked.offer("1", birth(1))
    await poll(gateway)
    code = "LTKS-261207-000001"
    await client.post(
        f"/v1/inbox/dossiers/{code}/status",
        json={"status": "received", "province_code": PROVINCE_CODE},
    )
    await client.post(
        f"/v1/inbox/dossiers/{code}/status",
        json={"status": "supplement_requested", "supplement_deadline": "2026-12-20T17:00:00+07:00"},
    )
    linked.offer("1", birth(1))
    report = await poll(gateway)
    assert (report.resubmitted, report.acknowledged) == ([], [code])
    one = (await client.get(f"/v1/inbox/dossiers/{code}")).json()
    assert (one["version"], one["state"]) == (1, "taken")
