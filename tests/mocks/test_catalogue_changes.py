"""The portal mock's catalogue in full (agencies, fees, the other lists), changed by a test, and
the mishaps that lose and alter dossiers for a reconciliation to find."""

from __future__ import annotations

import pytest

from tests.mocks.samples import Portal, dossier, step
from tests.mocks.test_contract import reply_validator

LISTS = {
    "LayDanhMucTonGiao": ("MaTonGiao", "TenTonGiao", "tonGiaoReply"),
    "LayDanhMucTinhTrangHonNhan": (
        "MaTinhTrangHonNhan",
        "TenTinhTrangHonNhan",
        "tinhTrangHonNhanReply",
    ),
    "LayDanhMucDoiTuong": ("MaDoiTuong", "TenDoiTuong", "doiTuongReply"),
    "LayDanhMucCapThucHien": ("MaCapThucHien", "TenCapThucHien", "capThucHienReply"),
    "LayDanhMucCanCuPhapLy": ("MaCanCuPhapLy", "TenCanCuPhapLy", "canCuPhapLyReply"),
}


@pytest.mark.parametrize("service", list(LISTS))
async def test_each_list_answers_codes_and_names_that_fit_the_contract(
    portal: Portal, service: str
) -> None:
    code, name, definition = LISTS[service]

    reply = await portal.call(service)

    assert reply["error_code"] == 0
    assert reply["result"] and all(entry[code] and entry[name] for entry in reply["result"])
    assert reply_validator(definition).is_valid(reply)


async def test_a_procedure_in_full_names_its_agencies_and_fees_the_list_only_a_summary(
    portal: Portal,
) -> None:
    [full] = (await portal.call("LayThuTuc", MaTTHC="1.001193"))["result"]
    listed = (await portal.call("LayDanhSachTTHC"))["result"]

    assert full["CoQuanThucHien"][0]["MaCoQuan"] == "000.00.00.H56"
    assert isinstance(full["DanhSachLePhi"], list)
    assert set(listed[0]) == {"MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "CapThucHien"}
    fees = [
        (await portal.call("LayThuTuc", MaTTHC=p["MaTTHC"]))["result"][0]["DanhSachLePhi"]
        for p in listed[:6]
    ]
    assert any(fees) and not all(fees)
    assert reply_validator("procedureReply").is_valid(
        await portal.call("LayThuTuc", MaTTHC="1.001193")
    )


async def test_a_test_adds_changes_and_withdraws_procedures_until_a_reset(portal: Portal) -> None:
    before = len((await portal.call("LayDanhSachTTHC"))["result"])

    added = await portal.http.put(
        "/__admin/procedures/1.999001",
        json={"TenTTHC": "Thủ tục thử nghiệm", "CapThucHien": "Cấp tỉnh"},
    )
    renamed = await portal.http.put(
        "/__admin/procedures/1.001193", json={"TenTTHC": "Thủ tục đăng ký khai sinh (sửa đổi)"}
    )
    withdrawn = await portal.http.delete("/__admin/procedures/1.000894")

    assert added.json()["added"] is True and renamed.json()["added"] is False
    assert withdrawn.status_code == 200
    listed = {p["MaTTHC"]: p for p in (await portal.call("LayDanhSachTTHC"))["result"]}
    assert len(listed) == before
    assert listed["1.999001"]["TenTTHC"] == "Thủ tục thử nghiệm"
    assert listed["1.001193"]["TenTTHC"] == "Thủ tục đăng ký khai sinh (sửa đổi)"
    assert "1.000894" not in listed
    assert (await portal.call("LayThuTuc", MaTTHC="1.000894"))["error_code"] == "03"
    assert (await portal.http.delete("/__admin/procedures/1.000894")).status_code == 404

    await portal.http.post("/__admin/reset")
    await portal.login()
    assert len((await portal.call("LayDanhSachTTHC"))["result"]) == before


async def test_a_procedure_put_that_breaks_the_contract_is_refused(portal: Portal) -> None:
    reply = await portal.http.put("/__admin/procedures/1.999001", json={"TenTTHC": ""})

    assert reply.status_code == 400
    assert reply.json()["error"] == "TenTTHC: may not be empty"


def codes(count: int) -> list[str]:
    return [f"000.00.01.H56-250301-{n:05d}" for n in range(1, count + 1)]


async def test_mishaps_lose_and_alter_the_dossiers_drawn_and_say_which(portal: Portal) -> None:
    held = codes(12)
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(code) for code in held])
    await portal.call("CapNhatTienDoHoSoMC", data=[step(code) for code in held])

    reply = await portal.http.post("/__admin/mishaps", json={"lose": 5, "alter": 3, "seed": 7})

    done = reply.json()
    lost, altered = done["lost"], [a["MaHoSo"] for a in done["altered"]]
    assert len(lost) == 5 and len(altered) == 3 and not set(lost) & set(altered)
    assert {a["how"] for a in done["altered"]} == {"status", "summary", "progress"}
    for code in lost:
        assert (await portal.call("TraCuuHoSo", MaHoSo=code))["error_code"] == "03"
    for change in done["altered"]:
        found = await portal.call("TraCuuHoSo", MaHoSo=change["MaHoSo"])
        if change["how"] == "progress":
            assert found["DanhSachTienDo"] == []
        elif change["how"] == "status":
            assert found["result"][0]["TrangThaiHoSo"] != dossier()["TrangThaiHoSo"]
        else:
            assert found["result"][0]["TrichYeuHoSo"] != dossier()["TrichYeuHoSo"]
    again = await portal.http.post("/__admin/reset")
    assert again.status_code == 200


async def test_a_lookup_answers_the_progress_the_portal_holds_beside_the_dossier(
    portal: Portal,
) -> None:
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier()])
    await portal.call("CapNhatTienDoHoSoMC", data=[step(), step(NoiDungXuLy="Chuyển xử lý")])

    found = await portal.call("TraCuuHoSo", MaHoSo=dossier()["MaHoSo"])

    assert [s["NoiDungXuLy"] for s in found["DanhSachTienDo"]] == [
        "Tiếp nhận hồ sơ",
        "Chuyển xử lý",
    ]
    assert reply_validator("dossierReply").is_valid(found)


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"lose": 20}, "lose, alter: 20 dossiers asked for, the portal holds 2 more"),
        ({"lose": ["000.00.01.H56-250301-09999"]}, "lose: the portal holds no dossier"),
        ({"lose": -1}, "lose:"),
    ],
)
async def test_a_mishap_that_cannot_happen_is_refused(
    portal: Portal, body: dict[str, object], error: str
) -> None:
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(c) for c in codes(2)])

    reply = await portal.http.post("/__admin/mishaps", json=body)

    assert reply.status_code == 400
    assert reply.json()["error"].startswith(error)
    assert (await portal.admin("state"))["dossiers"] == 2
