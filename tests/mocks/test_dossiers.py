"""Create, update, progress and lookup of dossiers, as the contract's README says."""

from __future__ import annotations

import httpx

from tests.mocks.samples import Portal, dossier, step

CODE = "000.00.01.H56-250301-00012"
OTHER = "000.00.01.H56-250301-00013"


async def test_a_new_dossier_is_created(portal: Portal) -> None:
    reply = await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])

    assert reply["error_code"] == 0
    assert "thành công" in reply["message"]
    assert reply["result"] == [
        {"MaHoSo": CODE, "error_code": 0, "message": "Thêm mới hồ sơ thành công"}
    ]
    stored = await portal.admin(f"dossiers/{CODE}")
    assert stored == {"dossier": dossier(CODE), "progress": [], "writes": 1}


async def test_creating_an_existing_dossier_again_answers_02_already_exists(
    portal: Portal,
) -> None:
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])

    reply = await portal.call(
        "DongBoHoSoMC", isUpdating="False", data=[dossier(CODE, TrangThaiHoSo="4")]
    )

    assert reply["error_code"] == "02"
    assert "đã tồn tại" in reply["message"]
    [item] = reply["result"]
    assert item["MaHoSo"] == CODE
    assert item["error_code"] == "02"
    assert "đã tồn tại" in item["message"]
    stored = await portal.admin(f"dossiers/{CODE}")
    assert stored["dossier"]["TrangThaiHoSo"] == "2", "the refused create changed nothing"
    assert stored["writes"] == 1


async def test_an_update_replaces_the_snapshot_and_counts_the_write(portal: Portal) -> None:
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])
    resolved = dossier(CODE, TrangThaiHoSo="9", NgayKetThucXuLy="20250304100000")

    reply = await portal.call("DongBoHoSoMC", isUpdating="True", data=[resolved])

    assert reply["error_code"] == 0
    assert reply["result"][0]["message"] == "Cập nhật hồ sơ thành công"
    stored = await portal.admin(f"dossiers/{CODE}")
    assert stored["dossier"] == resolved
    assert stored["writes"] == 2


async def test_an_update_of_an_unknown_dossier_creates_it(portal: Portal) -> None:
    reply = await portal.call("DongBoHoSoMC", isUpdating="True", data=[dossier(OTHER)])

    assert reply["error_code"] == 0
    assert (await portal.admin(f"dossiers/{OTHER}"))["writes"] == 1


async def test_resending_the_same_update_is_an_idempotent_upsert(portal: Portal) -> None:
    for _ in range(3):
        await portal.call("DongBoHoSoMC", isUpdating="True", data=[dossier(CODE)])

    stored = await portal.admin(f"dossiers/{CODE}")
    state = await portal.admin("state")
    assert stored["writes"] == 3
    assert stored["dossier"] == dossier(CODE)
    assert state["dossiers"] == 1


async def test_a_batch_answers_one_result_per_item_in_order(portal: Portal) -> None:
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])
    bad = dossier("000.00.01.H56-250301-00014", TrangThaiHoSo="0")
    batch = [dossier(OTHER), dossier(CODE), bad]

    reply = await portal.call("DongBoHoSoMC", isUpdating="False", data=batch)

    assert [(r["MaHoSo"], r["error_code"]) for r in reply["result"]] == [
        (OTHER, 0),
        (CODE, "02"),
        ("000.00.01.H56-250301-00014", "01"),
    ]
    assert reply["error_code"] == "04"
    assert reply["result"][2]["message"].startswith("data[2].TrangThaiHoSo:")
    assert (await portal.admin(f"dossiers/{OTHER}"))["writes"] == 1, "good items are applied"


async def test_progress_steps_are_kept_in_arrival_order(portal: Portal) -> None:
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])
    steps = [
        step(CODE, NoiDungXuLy=f"Bước {n}", ThoiDiemXuLy=f"202503010{n}0000") for n in range(1, 6)
    ]

    first = await portal.call("CapNhatTienDoHoSoMC", data=steps[:2])
    second = await portal.call("CapNhatTienDoHoSoMC", data=steps[2:])

    assert first["error_code"] == second["error_code"] == 0
    assert [r["error_code"] for r in first["result"] + second["result"]] == [0] * 5
    stored = await portal.admin(f"dossiers/{CODE}")
    assert [s["NoiDungXuLy"] for s in stored["progress"]] == [f"Bước {n}" for n in range(1, 6)]


async def test_progress_for_an_unknown_dossier_is_refused_01(portal: Portal) -> None:
    reply = await portal.call("CapNhatTienDoHoSoMC", data=[step(OTHER)])

    [item] = reply["result"]
    assert item["error_code"] == "01"
    assert item["MaHoSo"] == OTHER
    assert item["message"].startswith("data[0].MaHoSo:")
    assert reply["error_code"] == "04"
    assert (await portal.admin("state"))["progress"] == 0


async def test_a_dossier_is_found_as_last_written(portal: Portal) -> None:
    latest = dossier(CODE, TrangThaiHoSo="10", NgayTra="20250305160000")
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])
    await portal.call("DongBoHoSoMC", isUpdating="True", data=[latest])

    reply = await portal.call("TraCuuHoSo", MaHoSo=CODE)

    assert reply["error_code"] == 0
    assert reply["result"] == [latest]


async def test_looking_up_an_unknown_dossier_answers_03(portal: Portal) -> None:
    reply = await portal.call("TraCuuHoSo", MaHoSo=OTHER)

    assert reply["error_code"] == "03"
    assert reply["result"] == []


async def test_admin_answers_404_for_an_unknown_dossier(portal: Portal) -> None:
    response = await portal.http.get(f"/__admin/dossiers/{OTHER}")

    assert response.status_code == 404
    assert OTHER in response.json()["error"]


async def test_a_procedure_the_portal_is_told_to_refuse_refuses_its_dossiers_until_lifted(
    portal: Portal, http: httpx.AsyncClient
) -> None:
    procedure = dossier(CODE)["MaTTHC"]
    told = await http.put(
        f"/__admin/refused-procedures/{procedure}", json={"message": "tạm dừng tiếp nhận"}
    )
    assert told.status_code == 200
    assert (await http.get("/__admin/refused-procedures")).json() == {
        "refused": {procedure: "tạm dừng tiếp nhận"}
    }

    refused = await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])
    [item] = refused["result"]
    assert item["error_code"] == "01"
    assert item["message"] == "data[0].MaTTHC: tạm dừng tiếp nhận"

    assert (await http.delete(f"/__admin/refused-procedures/{procedure}")).status_code == 200
    accepted = await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])
    assert accepted["result"][0]["error_code"] == 0
    assert (await http.delete(f"/__admin/refused-procedures/{procedure}")).status_code == 404


async def test_a_reset_lifts_every_refused_procedure(http: httpx.AsyncClient) -> None:
    await http.put("/__admin/refused-procedures/1.000001")
    await http.post("/__admin/reset", json={})
    assert (await http.get("/__admin/refused-procedures")).json() == {"refused": {}}
