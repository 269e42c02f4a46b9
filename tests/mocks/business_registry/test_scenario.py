"""The business registry's scenario state: records a test puts over the seeded enterprises."""

from __future__ import annotations

import copy
from typing import Any

import httpx
import pytest

from mocks.business_registry.scenario import RECORD
from tests.mocks.business_registry.test_app import DOCUMENT, assert_fits

LOOKUP = "/TraCuuThongTinDoanhNghiep"
DISSOLVED = {
    "TinhTrangPhapLy": "Đã giải thể",
    "MaTinhTrangPhapLy": "3",
    "NgayBatDauTamNgung": None,
    "NgayKetThucTamNgung": None,
    "LyDoTamNgung": None,
}


async def sample(http: httpx.AsyncClient, **params: str) -> dict[str, Any]:
    found = (await http.get("/__admin/sample", params={"n": "1", **params})).json()
    record: dict[str, Any] = found["enterprises"][0]
    return record


async def lookup(http: httpx.AsyncClient, code: str) -> httpx.Response:
    return await http.get(LOOKUP, params={"MaSoDoanhNghiep": code})


def test_the_record_schema_is_the_contracts() -> None:
    contract = DOCUMENT["components"]["schemas"]["Enterprise"]

    assert RECORD["required"] == contract["required"]
    assert set(RECORD["properties"]) == set(contract["properties"])


async def test_a_changed_record_is_what_lookups_answer(authed: httpx.AsyncClient) -> None:
    record = await sample(authed, status="active")
    changed = {**record, "TinhTrangPhapLy": [DISSOLVED, *record["TinhTrangPhapLy"]]}

    response = await authed.put("/__admin/scenario", json={"records": [changed]})
    answered = await lookup(authed, record["MaSoDoanhNghiep"])

    assert response.status_code == 200
    assert response.json() == {"records": [changed], "removed": []}
    assert answered.json() == changed
    assert_fits("Enterprise", answered.json())


async def test_a_new_enterprise_and_its_branches_can_be_added(authed: httpx.AsyncClient) -> None:
    head = await sample(authed, branch="true")
    branch = (await lookup(authed, head["ChiNhanh"][0]["MaSoDoanhNghiep"])).json()
    new_code, branch_code = "0100109106", "0100109106-001"
    added = {**copy.deepcopy(head), "MaSoDoanhNghiep": new_code, "SoGCNDKKD": new_code}
    added["ChiNhanh"] = [{"MaSoDoanhNghiep": branch_code, "TenTiengViet": "Chi nhánh Hà Nội"}]
    added_branch = {**branch, "MaSoDoanhNghiep": branch_code, "ChiNhanh": []}

    await authed.put("/__admin/scenario", json={"records": [added, added_branch]})
    branches = await authed.get(f"{LOOKUP}/{new_code}/ChiNhanh")

    assert (await lookup(authed, new_code)).json() == added
    assert branches.json() == {"MaSoDoanhNghiep": new_code, "ChiNhanh": [added_branch]}


async def test_a_removed_code_is_not_found(authed: httpx.AsyncClient) -> None:
    record = await sample(authed)

    await authed.put("/__admin/scenario", json={"removed": [record["MaSoDoanhNghiep"]]})

    assert (await lookup(authed, record["MaSoDoanhNghiep"])).status_code == 404
    state = (await authed.get("/__admin/state")).json()
    assert state["removed_records"] == 1
    await authed.post("/__admin/reset")
    assert (await authed.get("/__admin/scenario")).json() == {"records": [], "removed": []}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"MaLoaiHinhDN": "09"}, "records.0.MaLoaiHinhDN:"),
        ({"TinhTrangPhapLy": []}, "records.0.TinhTrangPhapLy: [] has less than 1 item"),
        ({"MaSoDoanhNghiep": "0100109107"}, "records.0.MaSoDoanhNghiep: MaSoDoanhNghiep: "),
        ({"Extra": 1}, "records.0: Additional properties are not allowed"),
    ],
)
async def test_a_record_the_contract_does_not_allow_is_refused(
    http: httpx.AsyncClient, change: dict[str, Any], named: str
) -> None:
    record = {**await sample(http), **change}

    response = await http.put("/__admin/scenario", json={"records": [record]})

    assert response.status_code == 400
    assert response.json()["error"].startswith(named), response.json()["error"]
    assert (await http.get("/__admin/scenario")).json()["records"] == []
