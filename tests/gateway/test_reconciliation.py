"""Reconciliation with the portal: a portal mock that lost 5 dossiers and altered 3 is found out
exactly, the repairs go through the outbox, and a second reconciliation finds nothing; text is
compared in NFC and times within the clock skew; what the outbox is still at work on is late."""

from __future__ import annotations

import time
import unicodedata
from typing import Any

import httpx
import pytest

from gateway.bootstrap import Gateway
from gateway.operations import ActionQuery, Operator
from gateway.reconciliation import Kind, Reconciler, ReconcileRefused
from gateway.settings import Settings
from tests.gateway.portal_mock import (
    admin_of,
    api_client,
    deliver_all,
    gateway_with_portal,
    held,
    portal_mock,
    states,
)
from tests.gateway.samples import dossier_json, step_json

OPERATOR = Operator(id="op-1", name="Hoàng Minh Tuấn")
DOSSIERS = 12


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Times compared exactly and nothing counted as just delivered, unless a test says."""
    return settings.model_copy(update={"reconcile_clock_skew_seconds": 0.0})


async def push_and_deliver(client: httpx.AsyncClient, gateway: Gateway, count: int) -> list[str]:
    codes = []
    for sequence in range(1, count + 1):
        body = dossier_json(sequence, progress=[step_json(10), step_json(20, "processing")])
        body["progress"][1]["content"] = "Chuyển phòng chuyên môn"
        reply = await client.post("/v1/dossiers", json=body)
        assert reply.status_code == 202, reply.text
        codes.append(body["code"])
    await deliver_all(gateway)
    return codes


async def test_a_portal_that_lost_five_and_altered_three_is_found_out_and_repaired(
    settings: Settings,
) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, admin_of(mock) as admin:
        gateway: Gateway = app.state.gateway
        async with api_client(app) as client:
            codes = await push_and_deliver(client, gateway, DOSSIERS)
        mishap = held(await admin.post("/__admin/mishaps", json={"lose": 5, "alter": 3}))
        lost = set(mishap["lost"])
        altered = {a["MaHoSo"]: a["how"] for a in mishap["altered"]}

        plan = await gateway.reconciler.plan(actor=OPERATOR)

        assert plan.compared == DOSSIERS
        found = {d.dossier: d for d in plan.differences}
        assert set(found) == lost | set(altered), "exactly the eight, nothing else"
        for code in lost:
            assert found[code].kinds == [Kind.missing]
            assert found[code].repair_snapshot and found[code].repair_steps == [0, 1]
        expected = {
            "status": [Kind.status_differs],
            "summary": [Kind.fields_differ],
            "progress": [Kind.progress_missing],
        }
        for code, how in altered.items():
            assert found[code].kinds == expected[how], (code, how, found[code])
        summary = plan.summary
        assert (summary["missing"], summary["late"]) == (5, 0)
        assert (
            summary["status_differs"] + summary["fields_differ"] + summary["progress_missing"] == 3
        )
        changed = next(d for c, d in found.items() if altered.get(c) == "summary")
        assert changed.fields == ["TrichYeuHoSo"]

        assert plan.id is not None
        applied = await gateway.reconciler.apply(plan.id, operator=OPERATOR, reason="mất dữ liệu")
        assert applied.queued == 5 * 3 + 2 + 1, (
            "5 snapshots and their 10 steps, 2 snapshots, 1 step"
        )
        await deliver_all(gateway)
        again = await gateway.reconciler.plan(actor=OPERATOR)

        assert again.differences == [] and again.compared == DOSSIERS
        assert (await states(gateway)).get("dead", 0) == 0
        for code in lost:
            record = held(await admin.get(f"/__admin/dossiers/{code}"))
            assert len(record["progress"]) == 2
        audited = await gateway.operations.actions(ActionQuery(action="reconcile"))
        assert audited.total == 1 and audited.items[0].reason == "mất dữ liệu"
        assert codes  # every dossier pushed was compared
        with pytest.raises(ReconcileRefused):
            await gateway.reconciler.apply(plan.id, operator=OPERATOR, reason="lần nữa")


async def test_one_dossier_or_those_changed_since_a_day_are_compared(settings: Settings) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, admin_of(mock) as admin:
        gateway: Gateway = app.state.gateway
        async with api_client(app) as client:
            codes = await push_and_deliver(client, gateway, 3)
        await admin.post("/__admin/mishaps", json={"lose": codes[:2]})

        one = await gateway.reconciler.plan(actor=OPERATOR, dossier=codes[0])
        future = await gateway.reconciler.plan(actor=OPERATOR, since="2999-01-01")
        today = time.strftime("%Y-%m-%d")
        recent = await gateway.reconciler.plan(actor=OPERATOR, since=today)

    assert (one.compared, [d.dossier for d in one.differences]) == (1, [codes[0]])
    assert future.compared == 0
    assert recent.compared == 3 and len(recent.differences) == 2


async def test_text_in_another_normal_form_and_times_within_the_skew_are_no_difference(
    settings: Settings,
) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, admin_of(mock) as admin:
        gateway: Gateway = app.state.gateway
        async with api_client(app) as client:
            [code] = await push_and_deliver(client, gateway, 1)
        record = held(await admin.get(f"/__admin/dossiers/{code}"))
        dossier: dict[str, Any] = record["dossier"]
        dossier["ChuHoSo"] = unicodedata.normalize("NFD", dossier["ChuHoSo"])
        dossier["TrichYeuHoSo"] = " " + dossier["TrichYeuHoSo"] + " "
        dossier["NgayTiepNhan"] = str(int(dossier["NgayTiepNhan"]) + 30)
        assert dossier["ChuHoSo"] != dossier_json()["applicant"]["name"]
        await admin.put("/__admin/scenario", json={"dossiers": [record]})
        tolerant = Reconciler(
            gateway.store,
            gateway.national.adapters["national_portal"],
            gateway.dossier_targets["national_portal"],
            skew_seconds=60,
            clock=lambda: time.time() + 3600,
        )

        lenient = await tolerant.plan(actor=OPERATOR)
        strict = await gateway.reconciler.plan(actor=OPERATOR)

    assert lenient.differences == []
    [difference] = strict.differences
    assert difference.fields == ["NgayTiepNhan"], "NFC and blanks are never a difference"


async def test_what_the_outbox_is_still_at_work_on_is_late_not_repaired(
    settings: Settings,
) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, admin_of(mock) as admin:
        gateway: Gateway = app.state.gateway
        async with api_client(app) as client:
            [code] = await push_and_deliver(client, gateway, 1)
            await client.post(f"/v1/dossiers/{code}/progress", json={"steps": [step_json(40)]})
        await admin.post("/__admin/mishaps", json={"lose": [code]})
        just_now = Reconciler(
            gateway.store,
            gateway.national.adapters["national_portal"],
            gateway.dossier_targets["national_portal"],
            skew_seconds=600,
        )

        pending = await gateway.reconciler.plan(actor=OPERATOR)
        await deliver_all(gateway)
        recent = await just_now.plan(actor=OPERATOR)

    [late] = pending.differences
    assert late.kinds == [Kind.late] and "on their way" in late.detail
    assert not late.repair_snapshot and pending.repairs == []
    assert recent.differences[0].kinds in ([Kind.late], [Kind.missing])


async def test_a_plan_needs_a_reason_and_is_kept_for_the_console(settings: Settings) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, admin_of(mock) as admin:
        gateway: Gateway = app.state.gateway
        async with api_client(app) as client:
            codes = await push_and_deliver(client, gateway, 2)
        await admin.post("/__admin/mishaps", json={"lose": codes[:1]})
        plan = await gateway.reconciler.plan(actor=OPERATOR)
        assert plan.id is not None

        with pytest.raises(ReconcileRefused, match="reason"):
            await gateway.reconciler.apply(plan.id, operator=OPERATOR, reason=" ")
        kept = await gateway.reconciler.plan_of(plan.id)
        recent = await gateway.reconciler.recent()

    assert kept is not None and kept.as_json()["summary"]["missing"] == 1
    assert kept.applied_at is None
    assert [p.id for p in recent] == [plan.id]
