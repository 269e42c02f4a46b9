"""The national catalogue held: synced from the portal mock, versioned with what was added,
changed and withdrawn, read through /v1/procedures, and, once held, refusing dossiers of a
procedure it lacks (local codes mapped first)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gateway.bootstrap import Gateway
from gateway.catalogue import EmptyCatalogue
from gateway.settings import Settings
from tests.gateway.fakes import FakePortal
from tests.gateway.portal_mock import admin_of, api_client, gateway_with_portal, held, portal_mock
from tests.gateway.samples import dossier_json


async def test_a_sync_keeps_every_list_and_a_second_one_finds_it_current(
    settings: Settings,
) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app:
        gateway: Gateway = app.state.gateway
        first = await gateway.catalogue.sync()
        second = await gateway.catalogue.sync()

    assert first.new and not second.new
    assert second.version.version == first.version.version == 1
    counts = first.version.counts
    assert counts["procedures"] >= 90
    assert all(counts[name] > 0 for name in ("fields", "religions", "legal_bases", "levels"))
    added = first.version.changes["procedures"].added
    assert len(added) == counts["procedures"], "the first version adds everything"
    assert second.version.checked_at >= first.version.checked_at


async def test_a_changed_catalogue_is_a_new_version_naming_what_changed(
    settings: Settings,
) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, admin_of(mock) as admin:
        gateway: Gateway = app.state.gateway
        await gateway.catalogue.sync()
        await admin.put(
            "/__admin/procedures/1.999001",
            json={"TenTTHC": "Thủ tục thử nghiệm", "CapThucHien": "Cấp tỉnh"},
        )
        await admin.put(
            "/__admin/procedures/1.001193",
            json={"TenTTHC": "Thủ tục đăng ký khai sinh (sửa đổi)", "DanhSachLePhi": []},
        )
        await admin.delete("/__admin/procedures/1.000894")

        outcome = await gateway.catalogue.sync()
        versions = await gateway.catalogue.versions()

    changes = outcome.version.changes["procedures"]
    assert outcome.new and outcome.version.version == 2
    assert [(a.code, a.name) for a in changes.added] == [("1.999001", "Thủ tục thử nghiệm")]
    assert [(c.code, c.fields) for c in changes.changed] == [("1.001193", ["TenTTHC"])]
    assert [w.code for w in changes.withdrawn] == ["1.000894"]
    assert list(outcome.version.changes) == ["procedures"], "the other lists did not change"
    assert [v.version for v in versions] == [2, 1]


async def test_procedures_are_read_from_the_catalogue_held(settings: Settings) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, api_client(app) as client:
        before = held(await client.get("/v1/procedures"))
        none = await client.get("/v1/procedures/1.001193")
        await app.state.gateway.catalogue.sync()
        page = held(await client.get("/v1/procedures", params={"limit": 5}))
        rest = held(
            await client.get("/v1/procedures", params={"limit": 500, "after": page["next_after"]})
        )
        one = held(await client.get("/v1/procedures/1.001193"))
        local = held(await client.get("/v1/procedures/1.001193.000.00.00.H56"))
        found = held(await client.get("/v1/procedures", params={"q": "khai sinh"}))
        unknown = await client.get("/v1/procedures/9.999999")

    assert before == {"catalogue": None, "procedures": [], "next_after": None}
    assert none.status_code == 404
    assert page["catalogue"]["version"] == 1 and len(page["procedures"]) == 5
    codes = [p["code"] for p in page["procedures"] + rest["procedures"]]
    assert codes == sorted(codes) and len(set(codes)) == len(codes) >= 90
    procedure = one["procedure"]
    assert procedure["name"] == "Thủ tục đăng ký khai sinh"
    assert procedure["agencies"][0]["code"] == "000.00.00.H56"
    assert local["procedure"] == procedure, "a local code is mapped to the national one"
    assert all("khai sinh" in p["name"].lower() for p in found["procedures"])
    assert unknown.status_code == 404


async def test_dossiers_of_any_procedure_are_accepted_while_no_catalogue_is_held(
    settings: Settings,
) -> None:
    mock = portal_mock()
    unknown = dossier_json(procedure={"code": "1.999999", "name": "Không có trong danh mục"})
    async with gateway_with_portal(settings, mock) as app, api_client(app) as client:
        reply = await client.post("/v1/dossiers", json=unknown)

    assert reply.status_code == 202


async def test_once_a_catalogue_is_held_an_unknown_procedure_is_refused_naming_it(
    settings: Settings, tmp_path: Path
) -> None:
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(
        "procedure_codes:\n  local_to_national:\n    '1.009999.000.00.00.H56': '1.001193'\n",
        encoding="utf-8",
    )
    province = settings.model_copy(update={"province_overrides": overrides})
    mock = portal_mock()
    async with gateway_with_portal(province, mock) as app, api_client(app) as client:
        await app.state.gateway.catalogue.sync()
        refused = await client.post(
            "/v1/dossiers",
            json=dossier_json(procedure={"code": "1.999999", "name": "Không có"}),
        )
        in_batch = await client.post(
            "/v1/dossiers:batch",
            json={
                "dossiers": [
                    dossier_json(1),
                    dossier_json(2, procedure={"code": "1.888888", "name": "Không có"}),
                ]
            },
        )
        known = await client.post("/v1/dossiers", json=dossier_json(3))
        mapped = await client.post(
            "/v1/dossiers",
            json=dossier_json(4, procedure={"code": "1.009999.000.00.00.H56", "name": "Khai sinh"}),
        )
        suffixed = await client.post(
            "/v1/dossiers",
            json=dossier_json(5, procedure={"code": "1.001193.000.00.00.H56", "name": "Khai sinh"}),
        )

    assert refused.status_code == 422
    [error] = _errors(refused.json())
    assert error["loc"] == ["body", "procedure", "code"]
    assert "1.999999" in error["msg"] and "national catalogue" in error["msg"]
    assert in_batch.status_code == 422
    assert _errors(in_batch.json())[0]["loc"] == ["body", "dossiers", 1, "procedure", "code"]
    assert (known.status_code, mapped.status_code, suffixed.status_code) == (202, 202, 202)


def _errors(body: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = body.get("errors") or body["detail"]
    return found


async def test_a_portal_that_lists_no_procedure_leaves_the_catalogue_as_it_was(
    settings: Settings,
) -> None:
    from gateway.app import create_app
    from tests.gateway.fakes import FakeAxis

    app = create_app(
        settings, adapters={"national_portal": FakePortal(), "document_axis": FakeAxis()}
    )
    async with app.router.lifespan_context(app):
        gateway: Gateway = app.state.gateway
        with pytest.raises(EmptyCatalogue):
            await gateway.catalogue.sync()
        assert await gateway.catalogue.latest() is None


async def test_the_refresh_fetches_again_once_the_catalogue_held_is_stale(
    settings: Settings,
) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, admin_of(mock) as admin:
        catalogue = app.state.gateway.catalogue
        await catalogue._refresh_if_due(3600)
        assert await catalogue.latest() is None, "the first catalogue is taken deliberately"
        await catalogue.sync()
        await admin.delete("/__admin/procedures/1.000894")
        await catalogue._refresh_if_due(3600)
        assert (await catalogue.latest()).version == 1, "not stale yet"
        await catalogue._refresh_if_due(0)
        latest = await catalogue.latest()

    assert latest is not None and latest.version == 2
    assert [w.code for w in latest.changes["procedures"].withdrawn] == ["1.000894"]
