"""What operators do beside the console, through ``gateway.operations``, on SQLite and on
PostgreSQL: find failed events, open one, replay or discard them (previewed, with a reason,
perhaps approved by a second operator) without breaking a dossier's order, read and export the
operator action audit, see how each national system stands, and test one now."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import Connection, select, update

from adapters.errors import TransientError
from gateway import outbox
from gateway.bootstrap import Gateway
from gateway.operations import (
    Action,
    ActionQuery,
    ActionState,
    FailureQuery,
    ItemResult,
    NothingSelected,
    Operations,
    Operator,
    ReasonRequired,
    SameOperator,
    Selection,
    Status,
    UnknownSystem,
)
from gateway.settings import Settings
from gateway.store.schema import outbox as outbox_table
from tests.gateway.fakes import FakeAxis, FakePortal
from tests.gateway.samples import dossier_json, step_json

CODE = "000.00.01.H56-261102-00001"
OTHER = "000.00.01.H56-261102-00002"
APPLICANT_ID = "068195001234"
ALICE = Operator("console:alice", "Nguyễn Thị An")
BINH = Operator("console:binh", "Trần Văn Bình")


@pytest.fixture
def settings(settings: Settings, store_url: str) -> Settings:
    """The gateway of ``tests/gateway/conftest.py``, on each store in turn."""
    return settings.model_copy(update={"database_url": store_url})


@pytest.fixture
def ops(gateway: Gateway) -> Operations:
    return gateway.operations


async def _rows(gateway: Gateway) -> dict[int, dict[str, object]]:
    def read(connection: Connection) -> dict[int, dict[str, object]]:
        result = connection.execute(select(outbox_table).order_by(outbox_table.c.id))
        return {row.id: dict(row._mapping) for row in result}

    return await gateway.store.read(read)


async def _make_due(gateway: Gateway) -> None:
    await gateway.store.write(
        lambda c: c.execute(update(outbox_table).values(due_at=time.time() - 1))
    )


async def _drain(gateway: Gateway) -> None:
    while await gateway.worker.run_once():
        pass


def _claim(owner: str) -> Callable[[Connection], list[outbox.Claimed]]:
    return lambda c: outbox.claim(c, owner=owner, limit=10, lease_seconds=60)


async def _dead_head_with_waiting_steps(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> list[int]:
    """Dossier CODE's snapshot dead at the portal; two of its steps queued after it, not yet
    tried (the portal was down for them): the ids, in order."""
    portal.refuse[CODE] = "MaTTHC: không tồn tại thủ tục 1.001193"
    await client.post("/v1/dossiers", json=dossier_json())
    await gateway.worker.run_once()
    del portal.refuse[CODE]
    steps = [step_json(10), step_json(20)]
    await client.post(f"/v1/dossiers/{CODE}/progress", json={"steps": steps})
    return list(await _rows(gateway))


# --- finding failed events ---------------------------------------------------------------


async def test_finds_dead_and_retrying_events_by_every_filter(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal, ops: Operations
) -> None:
    portal.refuse[CODE] = "MaTTHC: không tồn tại thủ tục"
    await client.post("/v1/dossiers", json=dossier_json())
    await client.post(
        "/v1/dossiers",
        json=dossier_json(
            2,
            procedure={"code": "1.000894", "name": "Đăng ký kết hôn"},
            applicant={
                "kind": "citizen",
                "name": "Lê Văn Cường",
                "id_type": "personal_id",
                "id_number": "001090004567",
            },
        ),
    )
    await gateway.worker.run_once()
    portal.transient_failures = 1
    await client.post(f"/v1/dossiers/{OTHER}/progress", json={"steps": [step_json()]})
    await gateway.worker.run_once()

    everything = await ops.failures(FailureQuery())
    assert [(e.dossier, e.status) for e in everything.items] == [
        (OTHER, Status.retrying),
        (CODE, Status.dead),
    ]
    dead = everything.items[1]
    assert "không tồn tại thủ tục" in (dead.last_error or "")
    assert dead.procedure_code == "1.001193"
    assert dead.applicant_masked == "068******234"

    async def found(**filters: object) -> list[str]:
        page = await ops.failures(FailureQuery(**filters))  # type: ignore[arg-type]
        return [e.dossier for e in page.items]

    assert await found(status=Status.dead) == [CODE]
    assert await found(status=Status.retrying) == [OTHER]
    assert await found(system="national_portal") == [OTHER, CODE]
    assert await found(system="document_axis") == []
    assert await found(dossier=CODE) == [CODE]
    assert await found(procedure="1.000894") == [OTHER]
    assert await found(reason="KHÔNG TỒN TẠI") == [CODE]
    assert await found(citizen=APPLICANT_ID) == [CODE]
    assert await found(citizen="068******234") == [CODE]
    assert await found(citizen="001090004567") == [OTHER]
    assert await found(citizen="068195009999") == []
    assert await found(since=time.time() + 60) == []
    assert await found(since=time.time() - 60, until=time.time() + 60) == [OTHER, CODE]

    first = await ops.failures(FailureQuery(), limit=1)
    second = await ops.failures(FailureQuery(), offset=1, limit=1)
    assert (first.total, first.has_more, second.has_more) == (2, True, False)
    assert [e.dossier for e in first.items + second.items] == [OTHER, CODE]


async def test_an_event_shows_its_attempts_errors_history_and_masked_payload(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal, ops: Operations
) -> None:
    portal.transient_failures = 2
    answer = await client.post("/v1/dossiers", json=dossier_json())
    (event_id,) = [q["id"] for q in answer.json()["queued"]]
    for _ in range(3):
        await _make_due(gateway)
        await gateway.worker.run_once()

    detail = await ops.event(event_id)

    assert detail is not None
    assert detail.event.status is Status.delivered
    assert [a.outcome for a in detail.attempts] == ["retry", "retry", "delivered"]
    assert all(a.replica == gateway.worker.owner for a in detail.attempts)
    assert detail.errors == ["national_portal: 503 from the fake"]
    assert [h.what for h in detail.history] == ["accepted", "retry", "retry", "delivered"]
    assert "068******234" in detail.payload
    for personal in (APPLICANT_ID, "Nguyễn Thị Hồng Nhung", "0912345678"):
        assert personal not in detail.payload
    assert "Thủ tục đăng ký khai sinh" in detail.payload, "what is not personal stays readable"
    assert await ops.event(event_id + 1000) is None


# --- replay keeps each dossier's order -------------------------------------------------------


async def test_a_replayed_dead_head_goes_back_to_the_head_and_later_events_wait_behind_it(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal, ops: Operations
) -> None:
    head, first_step, second_step = await _dead_head_with_waiting_steps(client, gateway, portal)

    outcome = await ops.replay(
        Selection(ids=(head,)), operator=ALICE, reason="thủ tục đã được công bố lại"
    )
    assert [(r.id, r.result) for r in outcome.results] == [(head, ItemResult.replayed)]

    claimed = await gateway.store.write(_claim("probe"))
    assert [row.id for row in claimed] == [head], "the steps wait behind the replayed head"
    await gateway.store.write(lambda c: outbox.release(c, "probe", [head]))

    portal.calls.clear()
    await _drain(gateway)
    assert portal.calls == [
        ("DongBoHoSoMC", [CODE]),
        ("CapNhatTienDoHoSoMC", [CODE]),
        ("CapNhatTienDoHoSoMC", [CODE]),
    ]
    rows = await _rows(gateway)
    assert [rows[i]["state"] for i in (head, first_step, second_step)] == ["delivered"] * 3
    assert rows[head]["id"] == head, "replayed under its own id, not queued again as a copy"


async def test_a_dead_event_is_not_replayed_beside_a_later_one_in_delivery(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal, ops: Operations
) -> None:
    head, first_step, _ = await _dead_head_with_waiting_steps(client, gateway, portal)
    (in_flight,) = await gateway.store.write(_claim("another-replica"))
    assert in_flight.id == first_step

    preview = await ops.preview(Action.replay, Selection(ids=(head,)))
    outcome = await ops.replay(Selection(ids=(head,)), operator=ALICE, reason="thử lại")

    assert preview.ready == 0
    assert "being delivered now" in (preview.items[0].blocked or "")
    assert outcome.results[0].result is ItemResult.skipped
    assert (await _rows(gateway))[head]["state"] == "dead"

    await gateway.store.write(lambda c: outbox.mark_delivered(c, "another-replica", [first_step]))
    again = await ops.replay(Selection(ids=(head,)), operator=ALICE, reason="thử lại")
    assert again.results[0].result is ItemResult.replayed


async def test_an_old_snapshot_is_not_replayed_over_a_newer_one_already_delivered(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal, ops: Operations
) -> None:
    portal.refuse[CODE] = "tạm thời từ chối"
    await client.post("/v1/dossiers", json=dossier_json())
    await gateway.worker.run_once()
    del portal.refuse[CODE]
    await client.post("/v1/dossiers", json=dossier_json(summary="Đăng ký khai sinh (sửa)"))
    await gateway.worker.run_once()
    (old,) = [e.id for e in (await ops.failures(FailureQuery())).items]

    outcome = await ops.replay(Selection(ids=(old,)), operator=ALICE, reason="gửi lại")
    assert outcome.results[0].result is ItemResult.skipped
    assert "superseded" in (outcome.results[0].detail or "")
    assert portal.dossiers[CODE].TrichYeuHoSo == "Đăng ký khai sinh (sửa)"

    discarded = await ops.discard(Selection(ids=(old,)), operator=ALICE, reason="đã có bản mới")
    assert discarded.results[0].result is ItemResult.discarded


async def test_a_retrying_event_replayed_is_tried_now(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal, ops: Operations
) -> None:
    portal.transient_failures, portal.retry_after = 1, 3600.0
    await client.post("/v1/dossiers", json=dossier_json())
    await gateway.worker.run_once()
    assert await gateway.worker.run_once() == 0, "waiting an hour, as the portal asked"

    outcome = await ops.replay(
        Selection(query=FailureQuery(system="national_portal")),
        operator=ALICE,
        reason="cổng đã hoạt động lại",
    )

    assert outcome.counts == {"replayed": 1}
    assert await gateway.worker.run_once() == 1
    assert CODE in portal.dossiers


async def test_a_replayed_event_gets_its_full_age_limit_again(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal, ops: Operations
) -> None:
    portal.transient_failures = 2
    await client.post("/v1/dossiers", json=dossier_json())
    await gateway.store.write(
        lambda c: c.execute(update(outbox_table).values(created_at=time.time() - 73 * 3600))
    )
    await gateway.worker.run_once()
    (dead,) = (await ops.failures(FailureQuery(status=Status.dead))).items
    assert "undelivered after 1 attempts" in (dead.last_error or "")

    await ops.replay(Selection(ids=(dead.id,)), operator=ALICE, reason="cổng đã ổn định")
    await gateway.worker.run_once()

    (event,) = (await ops.failures(FailureQuery())).items
    assert (event.status, event.attempts) == (Status.retrying, 1), "not dead again at once"
    await _make_due(gateway)
    await gateway.worker.run_once()
    assert CODE in portal.dossiers


# --- discard ---------------------------------------------------------------------------------


async def test_discarded_events_are_kept_with_their_reason_and_no_longer_fail(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal, ops: Operations
) -> None:
    portal.refuse[CODE] = "bị từ chối"
    portal.refuse[OTHER] = "bị từ chối"
    await client.post("/v1/dossiers", json=dossier_json())
    await client.post("/v1/dossiers", json=dossier_json(2))
    await gateway.worker.run_once()
    selection = Selection(query=FailureQuery(reason="từ chối"))

    preview = await ops.preview(Action.discard, selection)
    outcome = await ops.discard(selection, operator=ALICE, reason="hồ sơ nhập sai, đã nhập lại")

    assert (preview.count, preview.ready, preview.dossiers) == (2, 2, [CODE, OTHER])
    assert preview.by_system == {"national_portal": 2}
    assert outcome.counts == {"discarded": 2}
    assert (await ops.failures(FailureQuery())).total == 0
    rows = await _rows(gateway)
    assert [r["state"] for r in rows.values()] == ["discarded", "discarded"]
    assert {r["discard_reason"] for r in rows.values()} == {"hồ sơ nhập sai, đã nhập lại"}
    detail = await ops.event(next(iter(rows)))
    assert detail is not None and detail.event.status is Status.discarded
    assert detail.history[-1].what == "discard: discarded"
    assert detail.history[-1].actor == ALICE.name
    counts = await gateway.store.read(outbox.counts)
    assert (counts["national_portal"].discarded, counts["national_portal"].dead) == (2, 0)
    again = await ops.discard(Selection(ids=tuple(rows)), operator=ALICE, reason="lần nữa")
    assert {r.result for r in again.results} == {ItemResult.skipped}


async def test_an_action_needs_a_reason_and_something_to_act_on(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal, ops: Operations
) -> None:
    portal.refuse[CODE] = "bị từ chối"
    await client.post("/v1/dossiers", json=dossier_json())
    await gateway.worker.run_once()

    with pytest.raises(ReasonRequired):
        await ops.replay(Selection(query=FailureQuery()), operator=ALICE, reason="  ")
    with pytest.raises(NothingSelected):
        await ops.discard(
            Selection(query=FailureQuery(dossier=OTHER)), operator=ALICE, reason="dọn"
        )
    assert (await ops.actions(ActionQuery())).total == 0, "nothing refused is recorded as done"


async def test_with_a_second_approver_an_action_waits_for_a_different_operator(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal
) -> None:
    ops = Operations(gateway.store, subject_key=gateway.auditor.subject_key, second_approver=True)
    portal.refuse[CODE] = "bị từ chối"
    await client.post("/v1/dossiers", json=dossier_json())
    await gateway.worker.run_once()
    del portal.refuse[CODE]

    asked = await ops.replay(Selection(query=FailureQuery()), operator=ALICE, reason="gửi lại")
    assert (asked.state, asked.counts) == (ActionState.requested, {"requested": 1})
    assert [r["state"] for r in (await _rows(gateway)).values()] == ["dead"]
    assert [a.id for a in await ops.requests()] == [asked.action_id]
    with pytest.raises(SameOperator):
        await ops.approve(asked.action_id, operator=ALICE)

    approved = await ops.approve(asked.action_id, operator=BINH, note="đã kiểm tra")

    assert (approved.state, approved.counts) == (ActionState.approved, {"replayed": 1})
    assert await ops.requests() == []
    await gateway.worker.run_once()
    assert CODE in portal.dossiers
    trail = (await ops.actions(ActionQuery())).items
    assert [(a.action, a.state, a.actor) for a in trail] == [
        ("approve", ActionState.done, BINH.id),
        ("replay", ActionState.approved, ALICE.id),
    ]
    assert trail[0].approves == asked.action_id
    assert trail[1].decided_by == BINH.id
    (event_id,) = await _rows(gateway)
    detail = await ops.event(event_id)
    assert detail is not None
    assert [h.what for h in detail.history if ":" in h.what] == [
        "replay: requested",
        "replay: replayed",
    ]

    portal.refuse[CODE] = "bị từ chối"
    await client.post("/v1/dossiers", json=dossier_json(summary="bản sửa"))
    await gateway.worker.run_once()
    again = await ops.discard(Selection(query=FailureQuery()), operator=ALICE, reason="bỏ")
    rejected = await ops.reject(again.action_id, operator=BINH, reason="cần giữ lại")
    assert rejected.counts == {"rejected": 1}
    assert [e.status for e in (await ops.failures(FailureQuery())).items] == [Status.dead]


# --- the operator action audit ------------------------------------------------------------


async def test_the_audit_is_queried_and_exported_and_the_export_is_audited(
    gateway: Gateway, ops: Operations
) -> None:
    await ops.record(ALICE, Action.sign_in, detail="national SSO")
    await ops.record(BINH, Action.download, count=1, selection={"event": 7}, reason="=cmd|' /C")
    await ops.record(ALICE, Action.invite, count=1, detail="mời Lê Thị Duyên (viewer)")

    mine = await ops.actions(ActionQuery(actor=ALICE.id))
    invites = await ops.actions(ActionQuery(action=Action.invite))
    found = await ops.actions(ActionQuery(text="DUYÊN"))
    exported = await ops.export_actions(ActionQuery(actor=BINH.id), operator=ALICE)

    assert [a.action for a in mine.items] == ["invite", "sign-in"]
    assert [a.actor_name for a in invites.items] == [ALICE.name]
    assert [a.action for a in found.items] == ["invite"]
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [(r["actor"], r["action"], r["count"]) for r in rows] == [(BINH.id, "download", "1")]
    assert rows[0]["reason"].startswith("'="), "a spreadsheet does not run it as a formula"
    assert rows[0]["at"].endswith("+07:00")
    (export,) = (await ops.actions(ActionQuery(action=Action.export))).items
    assert (export.actor, export.count) == (ALICE.id, 1)
    assert export.selection == {"operator_actions": {"actor": BINH.id}}


async def test_a_filter_selection_is_audited_with_the_citizen_masked(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal, ops: Operations
) -> None:
    portal.refuse[CODE] = "bị từ chối"
    await client.post("/v1/dossiers", json=dossier_json())
    await gateway.worker.run_once()

    await ops.discard(
        Selection(query=FailureQuery(citizen=APPLICANT_ID)), operator=ALICE, reason="trùng"
    )

    (action,) = (await ops.actions(ActionQuery(action=Action.discard))).items
    assert action.selection == {"filter": {"citizen": "068******234"}}
    assert (action.count, action.reason, action.detail) == (1, "trùng", "1 discarded")


# --- national systems ------------------------------------------------------------------------


async def test_status_counts_reasons_oldest_pending_and_today_per_system(
    client: httpx.AsyncClient, gateway: Gateway, portal: FakePortal, ops: Operations
) -> None:
    portal.refuse[CODE] = "MaTTHC: không tồn tại thủ tục"
    portal.refuse[OTHER] = "MaTTHC: không tồn tại thủ tục"
    for n in (1, 2, 3):
        await client.post("/v1/dossiers", json=dossier_json(n))
    await gateway.worker.run_once()
    portal.transient_failures = 1
    await client.post("/v1/dossiers", json=dossier_json(4))
    await gateway.worker.run_once()

    status = {s.system: s for s in await ops.status()}

    portal_status = status["national_portal"]
    assert list(status) == gateway.national.in_use
    assert (portal_status.counts.delivered, portal_status.counts.dead) == (1, 2)
    assert (portal_status.counts.pending, portal_status.retrying) == (1, 1)
    assert [(r.text, r.count) for r in portal_status.reasons] == [
        ("national_portal: MaTTHC: không tồn tại thủ tục", 2),
        ("national_portal: 503 from the fake", 1),
    ]
    assert portal_status.oldest_pending_age is not None
    assert 0 <= portal_status.oldest_pending_age < 60
    assert (portal_status.delivered_today, portal_status.dead_today) == (1, 2)
    assert portal_status.last_success_at is not None
    assert portal_status.last_error == "national_portal: 503 from the fake"
    assert status["document_axis"].counts == outbox.TargetCounts()
    days = await ops.daily("national_portal", days=7)
    assert len(days) == 7 and (days[-1].delivered, days[-1].dead) == (1, 2)


async def test_testing_a_system_keeps_its_answer_and_audits_the_test(
    gateway: Gateway, ops: Operations, axis: FakeAxis
) -> None:
    async def down() -> list[object]:
        raise TransientError("document_axis", "HTTP 503 from the axis")

    passed = await ops.test("national_portal", operator=ALICE)
    axis.organisations = down  # type: ignore[assignment,method-assign]
    failed = await ops.test("document_axis", operator=BINH)

    assert passed.ok and "holds no dossier" in passed.detail
    assert not failed.ok and "HTTP 503 from the axis" in failed.detail
    status = {s.system: s for s in await ops.status()}
    assert status["national_portal"].probe == passed
    assert status["document_axis"].probe is not None
    assert status["document_axis"].probe.actor == BINH.id
    tests = (await ops.actions(ActionQuery(action=Action.test))).items
    assert [(t.actor, t.detail[:6]) for t in tests] == [(BINH.id, "failed"), (ALICE.id, "ok: si")]
    with pytest.raises(UnknownSystem):
        await ops.test("land_survey", operator=ALICE)
