"""The national reporting mock against its contract: tokens, the rules a report is checked by,
receipts (a repeat answers the first, a new submission replaces), listing, reading, and its
replies fitting the contract's schemas."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from mocks.national_reporting import create_app

CONTRACT = Path(__file__).resolve().parents[3] / "openapi" / "national" / "national_reporting"
FIGURES = {
    "SoKyTruocChuyenQua": 1,
    "SoTiepNhanTrucTuyen": 2,
    "SoTiepNhanTrucTiep": 3,
    "SoDaGiaiQuyetTruocHan": 1,
    "SoDaGiaiQuyetDungHan": 1,
    "SoDaGiaiQuyetQuaHan": 1,
    "SoDangGiaiQuyetTrongHan": 2,
    "SoDangGiaiQuyetQuaHan": 1,
}


def report(request_id: str = "2026-Q4-a", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "MaYeuCau": request_id,
        "MaBieuMau": "II.05a",
        "LoaiKy": "QUY",
        "Nam": 2026,
        "SoKy": 4,
        "TuNgay": "2026-09-15",
        "DenNgay": "2026-12-14",
        "MaDonVi": "000.00.00.H56",
        "TenDonVi": "Ủy ban nhân dân tỉnh Thanh Hóa",
        "ThoiGianLap": "2026-12-20T08:00:00+07:00",
        "ChiTieu": [
            {"MaDonVi": "000.00.01.H56", "TenDonVi": "", **FIGURES},
            {"MaDonVi": "000.00.02.H56", "TenDonVi": "", **FIGURES},
        ],
        "TongHop": {name: 2 * value for name, value in FIGURES.items()},
    }
    body.update(changes)
    return body


def schema(name: str) -> dict[str, Any]:
    document = yaml.safe_load((CONTRACT / "openapi.yaml").read_text(encoding="utf-8"))
    return {"$ref": f"#/components/schemas/{name}", "components": document["components"]}


@pytest.fixture
async def mock() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://reporting.test") as c:
        token = await c.post(
            "/token",
            data={"grant_type": "client_credentials"},
            auth=("lienthong", "lienthong-dev"),
        )
        c.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        yield c


async def test_a_report_is_taken_and_its_receipt_fits_the_contract(
    mock: httpx.AsyncClient,
) -> None:
    jsonschema.validate(report(), schema("BaoCao"))
    reply = await mock.post("/api/baocao", json=report())
    assert reply.status_code == 200, reply.text
    receipt = reply.json()
    jsonschema.validate(receipt, schema("BienNhan"))
    assert (receipt["LanNop"], receipt["TrangThai"]) == (1, "DA_TIEP_NHAN")
    held = await mock.get(f"/api/baocao/{receipt['MaBienNhan']}")
    assert held.json() == {"BienNhan": receipt, "BaoCao": report()}


async def test_a_repeated_request_id_answers_the_first_receipt(mock: httpx.AsyncClient) -> None:
    first = (await mock.post("/api/baocao", json=report())).json()
    again = (await mock.post("/api/baocao", json=report())).json()
    assert again == first
    state = (await mock.get("/__admin/state")).json()
    assert (state["reports"], state["submissions"]) == (1, 1)


async def test_a_new_submission_replaces_the_report_of_its_period_and_unit(
    mock: httpx.AsyncClient,
) -> None:
    await mock.post("/api/baocao", json=report("first"))
    second = (await mock.post("/api/baocao", json=report("second"))).json()
    assert second["LanNop"] == 2
    other_unit = report("third", MaDonVi="000.00.01.H56")
    await mock.post("/api/baocao", json=other_unit)
    listed = (await mock.get("/api/baocao")).json()["DanhSach"]
    assert [(r["MaYeuCau"], r["LanNop"]) for r in listed] == [("second", 2), ("third", 1)]
    only = (await mock.get("/api/baocao", params={"MaDonVi": "000.00.01.H56"})).json()
    assert [r["MaYeuCau"] for r in only["DanhSach"]] == ["third"]


def broken(path: list[Any], value: Any) -> dict[str, Any]:
    body = copy.deepcopy(report())
    into: Any = body
    for step in path[:-1]:
        into = into[step]
    into[path[-1]] = value
    return body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (broken(["TongHop", "SoDaGiaiQuyetQuaHan"], 3), "TongHop.SoDaGiaiQuyetQuaHan"),
        (broken(["ChiTieu", 1, "SoTiepNhanTrucTuyen"], -1), "ChiTieu[1].SoTiepNhanTrucTuyen"),
        (broken(["ChiTieu", 1, "MaDonVi"], "000.00.01.H56"), "ChiTieu[1].MaDonVi"),
        (broken(["LoaiKy"], "SAU_THANG"), "SoKy"),
        (broken(["TuNgay"], "2026-12-15"), "TuNgay"),
        (broken(["DenNgay"], "2026-02-30"), "DenNgay"),
        (broken(["MaBieuMau"], "II.06a"), "MaBieuMau"),
        (broken(["ChiTieu"], []), "ChiTieu"),
    ],
)
async def test_a_report_breaking_a_rule_is_refused_naming_the_field(
    mock: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    reply = await mock.post("/api/baocao", json=body)
    assert reply.status_code == 400
    refusal = reply.json()
    jsonschema.validate(refusal, schema("Loi"))
    assert (refusal["MaLoi"], refusal["TruongLoi"]) == ("DU_LIEU_KHONG_HOP_LE", field)
    assert (await mock.get("/__admin/state")).json()["submissions"] == 0


async def test_without_a_valid_token_nothing_is_taken(mock: httpx.AsyncClient) -> None:
    reply = await mock.post("/api/baocao", json=report(), headers={"Authorization": "Bearer stale"})
    assert reply.status_code == 401
    assert "invalid_token" in reply.headers["WWW-Authenticate"]
    assert (await mock.post("/__admin/expire")).json() == {"expired": {"tokens": 1}}
    assert (await mock.get("/api/baocao")).status_code == 401


async def test_an_unknown_receipt_is_404(mock: httpx.AsyncClient) -> None:
    reply = await mock.get("/api/baocao/BC-000000000000")
    assert reply.status_code == 404
    assert reply.json()["MaLoi"] == "KHONG_TON_TAI"


async def test_the_scenario_holds_every_report_and_a_reset_forgets_them(
    mock: httpx.AsyncClient,
) -> None:
    await mock.post("/api/baocao", json=report())
    scenario = (await mock.get("/__admin/scenario")).json()
    assert [item["report"]["MaYeuCau"] for item in scenario["reports"]] == ["2026-Q4-a"]
    journal = (await mock.get("/__admin/journal", params={"service": "NopBaoCao"})).json()
    assert [e["status"] for e in journal["entries"]] == [200]
    restored = await mock.put("/__admin/scenario", json=scenario)
    assert restored.status_code == 200, restored.text
    refused = await mock.put(
        "/__admin/scenario",
        json={"reports": [{"receipt": {}, "report": broken(["SoKy"], 5)}]},
    )
    assert refused.status_code == 400
    assert "reports.0.report.SoKy" in refused.text
    await mock.post("/__admin/reset")
    assert (await mock.get("/__admin/scenario")).json() == {"reports": []}
