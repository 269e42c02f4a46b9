"""Land dossiers and parcels at the gateway with a fake land system: dossiers of land procedures
forwarded once through the outbox (and only those), statuses, supplement requests and results
pulled back into the timeline and the inbox, supplements and handovers queued behind, and every
parcel look-up audited once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import select

from gateway.app import create_app
from gateway.bootstrap import Gateway
from gateway.settings import Settings
from gateway.store.schema import outbox
from gateway.webhooks import new_secret
from mappings.dossier import VIETNAM
from mappings.land_registry import (
    LandResult,
    LandStatus,
)
from tests.gateway.fakes import FakeAxis, FakePortal
from tests.gateway.land_fakes import DECLARED, HOLDER, LAND_PROCEDURE, FakeLand
from tests.gateway.samples import dossier_json


@pytest.fixture
def land() -> FakeLand:
    return FakeLand()


@pytest.fixture
def settings(settings: Settings, store_url: str) -> Settings:
    """On both stores: forwarding and pulling back depend on how each answers an insert."""
    return settings.model_copy(
        update={
            "database_url": store_url,
            "webhook_url": "http://127.0.0.1:9/hooks",
            "webhook_secret": SecretStr(new_secret()),
        }
    )


@pytest.fixture
async def app(settings: Settings, land: FakeLand) -> AsyncIterator[FastAPI]:
    application = create_app(
        settings,
        adapters={
            "national_portal": FakePortal(),
            "document_axis": FakeAxis(),
            "land_registry": land,
        },
    )
    async with application.router.lifespan_context(application):
        yield application


def land_dossier(sequence: int, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "procedure": LAND_PROCEDURE,
        "field": {"code": "DD", "name": "Đất đai"},
        "receipt_number": f"BN-{sequence:05d}",
        "documents": [
            {"id": "d1", "name": "Đơn đăng ký biến động", "url": "https://mc.example/d1.pdf"},
            {"id": "d2", "name": "Bản gốc giấy chứng nhận", "deleted": True},
        ],
    }
    return dossier_json(sequence, **{**fields, **changes})


async def push(client: httpx.AsyncClient, *dossiers: dict[str, Any]) -> None:
    reply = await client.post("/v1/dossiers:batch", json={"dossiers": list(dossiers)})
    assert reply.status_code == 202, reply.text


async def deliver(gateway: Gateway) -> None:
    """A few rounds of the worker: enough for every due row, bounded while one keeps failing."""
    for _ in range(3):
        if not await gateway.worker.run_once():
            return


async def poll_and_deliver(gateway: Gateway) -> Any:
    report = await gateway.land.poller.poll_once()
    await deliver(gateway)
    return report


async def land_rows(gateway: Gateway) -> list[tuple[str, str, str]]:
    def read(connection: Any) -> list[tuple[str, str, str]]:
        query = (
            select(outbox.c.kind, outbox.c.ordering_key, outbox.c.state)
            .where(outbox.c.target == "land_registry")
            .order_by(outbox.c.id)
        )
        return [tuple(row) for row in connection.execute(query)]

    return await gateway.store.read(read)


async def webhook_types(gateway: Gateway) -> list[str]:
    def read(connection: Any) -> list[str]:
        query = select(outbox.c.kind).where(outbox.c.target == "webhooks").order_by(outbox.c.id)
        return list(connection.execute(query).scalars())

    return await gateway.store.read(read)


async def test_only_dossiers_of_land_procedures_are_forwarded_and_each_once(
    client: httpx.AsyncClient, gateway: Gateway, land: FakeLand
) -> None:
    await push(client, land_dossier(1), dossier_json(2), land_dossier(3))
    report = await poll_and_deliver(gateway)
    assert sorted(report.forwarded) == [
        "000.00.01.H56-261102-00001",
        "000.00.01.H56-261102-00003",
    ]
    assert [i.SoBienNhan for i in land.intakes] == ["BN-00001", "BN-00003"]
    intake = land.intakes[0]
    assert intake.MaHoSoMotCua == "000.00.01.H56-261102-00001"
    assert intake.ThongTinQuyTrinh.MaQuyTrinh == "1.012783"
    assert intake.NgayTiepNhan == "2026-11-02T08:30:00"
    assert [d.TenGiayTo for d in intake.DanhSachGiayToDinhKem] == ["Đơn đăng ký biến động"]

    await push(client, land_dossier(1, summary="Sửa trích yếu"))
    report = await poll_and_deliver(gateway)
    assert report.forwarded == []
    assert len(land.intakes) == 2, "a new snapshot of a land dossier is not forwarded again"
    assert [kind for kind, _, _ in await land_rows(gateway)] == ["intake", "intake"]


async def test_a_dossier_the_land_format_cannot_carry_is_kept_unforwardable_with_the_reason(
    client: httpx.AsyncClient, gateway: Gateway, land: FakeLand
) -> None:
    await push(client, land_dossier(1, receipt_number="B" * 60))
    report = await poll_and_deliver(gateway)
    assert report.unforwardable == ["000.00.01.H56-261102-00001"]
    assert land.intakes == []
    one = (await client.get("/v1/inbox/land/000.00.01.H56-261102-00001")).json()
    assert one["state"] == "unforwardable"
    assert "receipt_number: the land system takes at most 50 characters" in one["reason"]
    supplement = await client.post(
        "/v1/land/dossiers/000.00.01.H56-261102-00001/handover",
        json={"at": "2026-11-20T09:00:00+07:00"},
    )
    assert supplement.status_code == 409
    assert "was not forwarded" in supplement.json()["detail"]


async def test_an_outage_keeps_the_dossier_queued_and_it_is_forwarded_when_the_land_system_answers(
    client: httpx.AsyncClient, gateway: Gateway, land: FakeLand
) -> None:
    await push(client, land_dossier(1))
    land.down = True
    await poll_and_deliver(gateway)
    assert (await land_rows(gateway))[0][2] == "pending"
    one = (await client.get("/v1/inbox/land/000.00.01.H56-261102-00001")).json()
    assert one["state"] == "queued"
    assert one["timeline"][0]["delivery"] == "pending"
    assert "HTTP 503" in one["timeline"][0]["delivery_error"]
    land.down = False
    await poll_and_deliver(gateway)
    one = (await client.get("/v1/inbox/land/000.00.01.H56-261102-00001")).json()
    assert (one["state"], one["timeline"][0]["delivery"]) == ("forwarded", "delivered")


async def test_a_refusal_by_the_land_system_is_dead_at_once_with_what_it_said(
    client: httpx.AsyncClient, gateway: Gateway, land: FakeLand
) -> None:
    await push(client, land_dossier(1))
    land.refuse_intake = True
    await poll_and_deliver(gateway)
    assert (await land_rows(gateway))[0][2] == "dead"
    one = (await client.get("/v1/inbox/land/000.00.01.H56-261102-00001")).json()
    assert one["state"] == "queued"
    assert "the land system refused it (400)" in one["timeline"][0]["delivery_error"]


async def test_statuses_and_results_are_pulled_into_the_timeline_and_the_inbox(
    client: httpx.AsyncClient, gateway: Gateway, land: FakeLand
) -> None:
    code = "000.00.01.H56-261102-00001"
    await push(client, land_dossier(1))
    await poll_and_deliver(gateway)
    await poll_and_deliver(gateway)
    page = (await client.get("/v1/inbox/land")).json()
    assert [(d["code"], d["status"], d["version"]) for d in page["dossiers"]] == [
        (code, "received", 1)
    ]
    taken = await client.post(f"/v1/inbox/land/{code}/ack", json={"version": 1})
    assert taken.status_code == 204
    assert (await client.get("/v1/inbox/land")).json()["dossiers"] == []

    await poll_and_deliver(gateway)
    assert (await client.get("/v1/inbox/land")).json()["dossiers"] == [], "nothing changed"

    land.set(
        "BN-00001",
        LandStatus.supplement_requested,
        supplement="Bổ sung trích đo địa chính",
        supplement_due=datetime(2026, 11, 20, 17, 0, tzinfo=VIETNAM),
    )
    await poll_and_deliver(gateway)
    (news,) = (await client.get("/v1/inbox/land")).json()["dossiers"]
    assert (news["status"], news["supplement"], news["version"]) == (
        "supplement_requested",
        "Bổ sung trích đo địa chính",
        2,
    )
    supplied = await client.post(
        f"/v1/land/dossiers/{code}/supplement",
        json={
            "new_due_at": "2026-11-25T17:00:00+07:00",
            "note": "Đã bổ sung",
            "documents": [{"name": "Trích đo địa chính", "url": "https://mc.example/td.pdf"}],
        },
    )
    assert supplied.status_code == 202, supplied.text
    corrected = await client.post(
        f"/v1/land/dossiers/{code}/supplement", json={"new_due_at": "2026-11-26T17:00:00+07:00"}
    )
    assert corrected.status_code == 202, "a second word before the land office answered is sent"
    await deliver(gateway)
    supplement, second = land.supplements
    assert second.NgayHenTraMoi == "2026-11-26T17:00:00"
    assert (supplement.SoBienNhan, supplement.NgayHenTraMoi) == ("BN-00001", "2026-11-25T17:00:00")
    assert supplement.DanhSachGiayToBoSung[0].TapTin is not None

    early = await client.post(
        f"/v1/land/dossiers/{code}/handover", json={"at": "2026-11-26T09:00:00+07:00"}
    )
    assert early.status_code == 409
    assert "only while the land office's status is resolved" in early.json()["detail"]

    certificate = b"%PDF-1.4 certificate"
    land.set(
        "BN-00001",
        LandStatus.resolved,
        results=[LandResult(name="Giấy chứng nhận", number="GCN-1", file_name="gcn.pdf")],
        contents=[certificate],
    )
    await poll_and_deliver(gateway)
    one = (await client.get(f"/v1/inbox/land/{code}")).json()
    assert one["status"] == "resolved"
    (result,) = one["results"]
    assert (result["name"], result["number"], result["size"]) == (
        "Giấy chứng nhận",
        "GCN-1",
        len(certificate),
    )
    download = await client.get(result["link"])
    assert download.status_code == 200
    assert download.content == certificate
    assert download.headers["content-type"] == "application/pdf"

    handed = await client.post(
        f"/v1/land/dossiers/{code}/handover", json={"at": "2026-11-26T09:00:00+07:00"}
    )
    assert handed.status_code == 202
    await deliver(gateway)
    assert [(h.SoBienNhan, h.NgayTra) for h in land.handovers] == [
        ("BN-00001", "2026-11-26T09:00:00")
    ]
    land.set("BN-00001", LandStatus.returned)
    await poll_and_deliver(gateway)
    asked = len(land.asked)
    await poll_and_deliver(gateway)
    assert len(land.asked) == asked, "a dossier the land office finished is not asked about"

    one = (await client.get(f"/v1/inbox/land/{code}")).json()
    assert [(e["event"], e["status"]) for e in one["timeline"]] == [
        ("forwarded", None),
        ("status", "received"),
        ("status", "supplement_requested"),
        ("supplement_sent", None),
        ("supplement_sent", None),
        ("status", "resolved"),
        ("handover_sent", None),
        ("status", "returned"),
    ]
    assert all(
        e["delivery"] == "delivered" for e in one["timeline"] if e["event"].endswith("_sent")
    )
    assert await webhook_types(gateway) == ["land.status_changed"] * 4


async def test_taking_a_version_not_pulled_yet_is_a_conflict(
    client: httpx.AsyncClient, gateway: Gateway
) -> None:
    await push(client, land_dossier(1))
    await poll_and_deliver(gateway)
    await poll_and_deliver(gateway)
    code = "000.00.01.H56-261102-00001"
    reply = await client.post(f"/v1/inbox/land/{code}/ack", json={"version": 7})
    assert reply.status_code == 409
    assert "is at version 1, not 7" in reply.json()["detail"]
    missing = await client.post(
        "/v1/inbox/land/000.00.01.H56-261102-09999/ack", json={"version": 1}
    )
    assert missing.status_code == 404


async def test_a_parcel_lookup_answers_the_registration_and_is_audited(
    client: httpx.AsyncClient,
) -> None:
    reply = await client.post(
        "/v1/land/parcels/lookup",
        json={**DECLARED, "commune_code": "26734", "map_sheet": 12, "parcel_number": 345},
    )
    assert reply.status_code == 200, reply.text
    assert reply.json()["parcel"]["owners"][0]["name"] == "Nguyễn Văn An"
    (record,) = (await client.get("/v1/audit")).json()["records"]
    assert (record["action"], record["system"], record["outcome"]) == (
        "parcel_lookup",
        "land_registry",
        "found",
    )
    assert record["officer"] == "canbo.lamdong.07"
    assert HOLDER not in str(record), "holders' numbers are masked in the audit"
    assert "001******345" in record["detail"]


async def test_a_parcel_lookup_names_the_field_and_rule_it_breaks(
    client: httpx.AsyncClient,
) -> None:
    reply = await client.post(
        "/v1/land/parcels/lookup",
        json={**DECLARED, "commune_code": "2673", "map_sheet": 0, "parcel_number": 1},
    )
    assert reply.status_code == 422
    fields = {e["loc"][-1] for e in reply.json()["errors"]}
    assert {"commune_code", "map_sheet"} <= fields
    held = await client.post(
        "/v1/land/parcels/held", json={**DECLARED, "id_number": "999095012345"}
    )
    assert held.status_code == 422
    assert (await client.get("/v1/audit")).json()["records"] == []


async def test_every_parcel_lookup_leaves_exactly_one_audit_record(
    client: httpx.AsyncClient, land: FakeLand
) -> None:
    async def one(n: int) -> int:
        if n % 50 == 49:
            land.down = True
        if n % 2:
            reply = await client.post(
                "/v1/land/parcels/held", json={**DECLARED, "id_number": HOLDER}
            )
        else:
            number = 345 if n % 3 else 346
            reply = await client.post(
                "/v1/land/parcels/lookup",
                json={
                    **DECLARED,
                    "commune_code": "26734",
                    "map_sheet": 12,
                    "parcel_number": number,
                },
            )
        land.down = False
        return reply.status_code

    statuses = await asyncio.gather(*(one(n) for n in range(300)))
    assert set(statuses) <= {200, 404, 503}
    assert 503 in statuses and 404 in statuses
    records: list[dict[str, Any]] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 1000, **({"after": after} if after else {})}
        page = (await client.get("/v1/audit", params=params)).json()
        records += page["records"]
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert len(records) == 300
    assert sum(r["action"] == "parcels_held" for r in records) == 150
    assert sum(r["outcome"] == "error" for r in records) == statuses.count(503)
    held_by = (await client.get("/v1/audit", params={"subject": HOLDER, "limit": 1000})).json()
    assert len(held_by["records"]) == 150


async def test_land_routes_need_their_scopes(app: FastAPI) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as c:
        form = {"grant_type": "client_credentials", "scope": "dossiers:read"}
        token = (await c.post("/oauth/token", data=form, auth=("demo", "demo-secret"))).json()
        c.headers["Authorization"] = f"Bearer {token['access_token']}"
        assert (await c.get("/v1/inbox/land")).status_code == 403
        lookup = await c.post(
            "/v1/land/parcels/lookup",
            json={**DECLARED, "commune_code": "26734", "map_sheet": 12, "parcel_number": 345},
        )
        assert lookup.status_code == 403
        handover = await c.post(
            "/v1/land/dossiers/000.00.01.H56-261102-00001/handover",
            json={"at": (datetime.now(VIETNAM) - timedelta(hours=1)).isoformat()},
        )
        assert handover.status_code == 403


async def test_readyz_says_when_the_land_office_cannot_be_polled(
    client: httpx.AsyncClient, gateway: Gateway, land: FakeLand
) -> None:
    await push(client, land_dossier(1))
    await poll_and_deliver(gateway)
    land.down = True
    await gateway.land.poller.tick()
    ready = (await client.get("/readyz")).json()
    assert (ready["status"], ready["national"]["land_registry"]) == ("ready", "failing")
    land.down = False
    await gateway.land.poller.tick()
    assert (await client.get("/readyz")).json()["national"]["land_registry"] == "ok"
