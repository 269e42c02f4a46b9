"""Every request is checked against the contract's JSON Schemas; a refusal names the field."""

from __future__ import annotations

from typing import Any

import pytest

from mocks.national_portal import create_app
from tests.mocks.samples import Portal, client_of, dossier, step

CODE = "000.00.01.H56-250301-00012"


@pytest.mark.parametrize(
    ("fields", "field_path"),
    [
        ({"MaHoSo": "H56-2503-12"}, "data[0].MaHoSo"),
        ({"MaHoSo": "000.00.01.H56-251301-00012"}, "data[0].MaHoSo"),
        ({"NgayTiepNhan": "2025-03-01 08:30:00"}, "data[0].NgayTiepNhan"),
        ({"NgayHenTra": "202503051700"}, "data[0].NgayHenTra"),
        ({"TrichYeuHoSo": "Đ" * 1001}, "data[0].TrichYeuHoSo"),
        ({"TrangThaiHoSo": "11"}, "data[0].TrangThaiHoSo"),
        ({"TrangThaiHoSo": 2}, "data[0].TrangThaiHoSo"),
        ({"KenhThucHien": "4"}, "data[0].KenhThucHien"),
        ({"LoaiDoiTuong": "5"}, "data[0].LoaiDoiTuong"),
        ({"MaTTHC": "1.001193.000.00.00.H56"}, "data[0].MaTTHC"),
        ({"TaiLieuNop": [{"IsDeleted": "false"}]}, "data[0].TaiLieuNop[0].IsDeleted"),
        (
            {"DinhDanhCHS": [{"LoaiDinhDanh": "1", "SoDinhDanh": "012345678"}]},
            "data[0].DinhDanhCHS[0].SoDinhDanh",
        ),
        ({"MaHoSoo": CODE}, "data[0].MaHoSoo"),
    ],
)
async def test_a_dossier_that_breaks_the_contract_is_refused_01_naming_the_field(
    portal: Portal, fields: dict[str, Any], field_path: str
) -> None:
    reply = await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(**fields)])

    [item] = reply["result"]
    assert item["error_code"] == "01"
    assert item["message"].startswith(f"{field_path}: ")
    assert field_path in reply["message"]
    assert (await portal.admin("state"))["dossiers"] == 0


async def test_a_dossier_of_a_procedure_outside_the_catalogue_is_refused_naming_matthc(
    portal: Portal,
) -> None:
    reply = await portal.call("DongBoHoSoMC", isUpdating="True", data=[dossier(MaTTHC="1.999999")])

    [item] = reply["result"]
    assert item["error_code"] == "01"
    assert item["message"].startswith("data[0].MaTTHC: ")
    assert "1.999999" in item["message"]


async def test_any_procedure_is_accepted_when_the_portal_is_told_so() -> None:
    async with client_of(create_app(known_procedures_only=False)) as http:
        portal = Portal(http)
        await portal.login()
        reply = await portal.call(
            "DongBoHoSoMC", isUpdating="True", data=[dossier(MaTTHC="1.999999")]
        )

    assert reply["error_code"] == 0


async def test_a_missing_required_field_is_named(portal: Portal) -> None:
    incomplete = dossier()
    del incomplete["TrangThaiHoSo"]

    reply = await portal.call("DongBoHoSoMC", isUpdating="False", data=[incomplete])

    assert reply["result"][0]["message"] == "data[0].TrangThaiHoSo: is required"


async def test_the_rule_is_told_in_words(portal: Portal) -> None:
    reply = await portal.call(
        "DongBoHoSoMC", isUpdating="False", data=[dossier(TrichYeuHoSo="x" * 1001)]
    )

    assert reply["result"][0]["message"] == "data[0].TrichYeuHoSo: is longer than 1000 characters"


async def test_a_progress_step_with_a_long_officer_name_is_refused_naming_nguoixuly(
    portal: Portal,
) -> None:
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier()])

    reply = await portal.call("CapNhatTienDoHoSoMC", data=[step(NguoiXuLy="Nguyễn " * 8)])

    [item] = reply["result"]
    assert item["error_code"] == "01"
    assert item["message"] == "data[0].NguoiXuLy: is longer than 50 characters"
    assert (await portal.admin("state"))["progress"] == 0


async def test_a_progress_step_with_a_bad_time_is_refused_naming_the_field(
    portal: Portal,
) -> None:
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier()])

    reply = await portal.call("CapNhatTienDoHoSoMC", data=[step(ThoiDiemXuLy="")])

    assert reply["result"][0]["message"].startswith("data[0].ThoiDiemXuLy: ")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"data": [dossier()]}, "isUpdating"),
        ({"isUpdating": "yes", "data": [dossier()]}, "isUpdating"),
        ({"isUpdating": "True", "data": []}, "data"),
        ({"isUpdating": "True", "data": {"MaHoSo": CODE}}, "data"),
        ({"isUpdating": "True", "data": [dossier()] * 1001}, "data"),
        ({"isUpdating": "True", "data": [dossier()], "madonvi": "H56"}, "madonvi"),
    ],
)
async def test_a_malformed_request_is_refused_01_as_a_whole_and_nothing_is_applied(
    portal: Portal, params: dict[str, Any], field: str
) -> None:
    reply = await portal.call("DongBoHoSoMC", **params)

    assert reply["error_code"] == "01"
    assert reply["message"].startswith(f"{field}: ")
    assert reply["result"] == []
    assert (await portal.admin("state"))["dossiers"] == 0


async def test_a_lookup_with_a_malformed_code_is_refused_naming_the_field(
    portal: Portal,
) -> None:
    reply = await portal.call("TraCuuHoSo", MaHoSo="12")

    assert reply["error_code"] == "01"
    assert reply["message"].startswith("MaHoSo: must match")
