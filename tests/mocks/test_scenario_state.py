"""The portal's scenario state: put the dossiers it holds in place, read them back."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.mocks.samples import Portal, dossier, step

CODE = dossier()["MaHoSo"]


async def put(http: httpx.AsyncClient, spec: Any) -> httpx.Response:
    return await http.put("/__admin/scenario", json=spec)


async def test_dossiers_put_in_place_are_what_the_portal_holds(portal: Portal) -> None:
    held = {"dossier": dossier(), "progress": [step(), step(NoiDungXuLy="Thẩm định")], "writes": 3}

    response = await put(portal.http, {"dossiers": [held]})

    assert response.status_code == 200
    assert response.json() == {"dossiers": [held]}
    assert await portal.admin("scenario") == {"dossiers": [held]}
    assert await portal.admin(f"dossiers/{CODE}") == held
    state = await portal.admin("state")
    assert (state["dossiers"], state["writes"], state["progress"]) == (1, 3, 2)
    found = await portal.call("TraCuuHoSo", MaHoSo=CODE)
    assert found["error_code"] == 0


async def test_putting_the_scenario_replaces_what_clients_did(portal: Portal) -> None:
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier("000.00.01.H56-1")])

    await put(portal.http, {"dossiers": [{"dossier": dossier()}]})

    assert [d["dossier"]["MaHoSo"] for d in (await portal.admin("scenario"))["dossiers"]] == [CODE]
    assert (await portal.admin(f"dossiers/{CODE}"))["writes"] == 1


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        ({}, 'body: "dossiers" is a required property'),
        ({"dossiers": [{"dossier": {"TenTTHC": "x"}}]}, 'dossiers.0.dossier: "MaHoSo" is a'),
        ({"dossiers": [{"dossier": dossier(), "writes": 0}]}, "dossiers.0.writes: 0 is less"),
        (
            {"dossiers": [{"dossier": dossier()}, {"dossier": dossier()}]},
            f"dossiers.1.dossier.MaHoSo: {CODE} is given twice",
        ),
        (
            {"dossiers": [{"dossier": dossier(), "progress": [step("000.00.01.H56-9")]}]},
            "dossiers.0.progress.0.MaHoSo: 000.00.01.H56-9 is not the dossier's",
        ),
    ],
)
async def test_a_bad_scenario_is_refused_naming_the_field_and_changes_nothing(
    portal: Portal, spec: Any, named: str
) -> None:
    await put(portal.http, {"dossiers": [{"dossier": dossier("000.00.01.H56-1")}]})

    response = await put(portal.http, spec)

    assert response.status_code == 400
    assert response.json()["error"].startswith(named), response.json()["error"]
    assert len((await portal.admin("scenario"))["dossiers"]) == 1


async def test_reset_empties_the_scenario(portal: Portal) -> None:
    await put(portal.http, {"dossiers": [{"dossier": dossier()}]})

    await portal.http.post("/__admin/reset")

    assert await portal.admin("scenario") == {"dossiers": []}
