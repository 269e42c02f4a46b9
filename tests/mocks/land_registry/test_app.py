"""The land registry mock against its contract: the password grant, the sends and their
verdicts, dossiers that progress, seeded parcels held by the population mock's people, admin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from mocks.land_registry import create_app
from mocks.land_registry.parcels import parcels
from mocks.population import population

TOKEN_FORM = {
    "grant_type": "password",
    "username": "lienthong",
    "password": "lienthong-dev",
    "client_id": "lienthong",
    "client_secret": "lienthong-dev",
}
INTAKE: dict[str, Any] = {
    "TinhId": 68,
    "SoBienNhan": "BN-1",
    "NguoiTiepNhan": "Bộ phận một cửa",
    "ThongTinNguoiNopDon": {"HoTen": "Nguyễn Văn An"},
    "ThongTinQuyTrinh": {"MaQuyTrinh": "1.012783", "TenQuyTrinh": "Cấp đổi"},
}


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://land.test") as client:
        yield client


async def signed_in(http: httpx.AsyncClient) -> httpx.AsyncClient:
    reply = await http.post("/connect/token", data=TOKEN_FORM)
    assert reply.status_code == 200, reply.text
    http.headers["Authorization"] = f"Bearer {reply.json()['access_token']}"
    return http


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"grant_type": "client_credentials"}, 400, "unsupported_grant_type"),
        ({"password": "wrong"}, 400, "invalid_grant"),
        ({"client_secret": "wrong"}, 401, "invalid_client"),
    ],
)
async def test_the_token_endpoint_takes_only_the_password_grant_of_a_known_account_and_client(
    http: httpx.AsyncClient, change: dict[str, str], status: int, error: str
) -> None:
    reply = await http.post("/connect/token", data={**TOKEN_FORM, **change})
    assert (reply.status_code, reply.json()["error"]) == (status, error)


async def test_every_service_needs_a_bearer_token(http: httpx.AsyncClient) -> None:
    reply = await http.get("/api/TraCuuHoSo", params={"SoBienNhan": "BN-1"})
    assert (reply.status_code, reply.json()["error"]) == (401, "invalid_token")
    assert reply.headers["WWW-Authenticate"].startswith("Bearer")


async def test_a_dossier_is_taken_once_and_a_body_off_the_contract_is_refused_naming_the_field(
    http: httpx.AsyncClient,
) -> None:
    await signed_in(http)
    first = (await http.post("/api/TiepNhanHoSo", json=INTAKE)).json()
    assert (first["data"], first["status"]["success"]) == (1, True)
    again = (await http.post("/api/TiepNhanHoSo", json=INTAKE)).json()
    assert (again["status"]["success"], again["status"]["code"]) == (False, 409)
    assert "đã tồn tại" in again["status"]["message"]
    broken = await http.post("/api/TiepNhanHoSo", json={**INTAKE, "SoBienNhan": "x" * 51})
    assert broken.status_code == 400
    assert broken.json()["status"]["message"].startswith("SoBienNhan")


async def test_a_dossier_moves_one_step_each_time_it_is_asked_about(
    http: httpx.AsyncClient,
) -> None:
    await signed_in(http)
    refused = {"name": "từ chối", "entity": "dossier", "only": ["BN-1"]}
    story = {**refused, "steps": [{"on": "TiepNhanHoSo", "answer": "refuse"}]}
    assert (await http.post("/__admin/stories", json=story)).status_code == 201
    await http.post("/api/TiepNhanHoSo", json=INTAKE)
    seen = [
        (await http.get("/api/TraCuuHoSo", params={"SoBienNhan": "BN-1"})).json()["data"]
        for _ in range(3)
    ]
    assert [s["TrangThai"] for s in seen] == [2, 6, 6]
    assert seen[-1]["LyDoTuChoi"]
    assert [h["TrangThai"] for h in seen[-1]["LichSu"]] == [1, 2, 6]
    handed = (
        await http.post(
            "/api/CapNhatTrangThaiHoSo",
            json={"SoBienNhan": "BN-1", "NgayTra": "2026-11-26T09:00:00"},
        )
    ).json()
    assert (handed["status"]["success"], handed["status"]["message"]) == (
        False,
        "Hồ sơ chưa có kết quả",
    )
    state = (await http.get("/__admin/state")).json()
    assert state["dossiers"] == 1


async def test_the_seeded_parcels_are_held_by_the_population_mocks_people_where_they_live() -> None:
    people = population(0)
    seeded = parcels(0)
    assert len(seeded.parcels) == 600
    for parcel in seeded.parcels[:100]:
        holder = people.by_id(parcel.holders[0])
        assert holder is not None and holder.age() >= 20
        assert parcel.commune == holder.permanent_address.ward_code
        assert parcel.record["ChuSuDung"][0]["HoTen"] == holder.full_name
        for other in parcel.holders[1:]:
            assert other == holder.spouse_id
    assert parcels(0).parcels[0].record == seeded.parcels[0].record
    assert parcels(1).parcels[0].record != seeded.parcels[0].record


async def test_parcels_are_found_by_reference_and_by_holder_and_bad_parameters_named(
    http: httpx.AsyncClient,
) -> None:
    await signed_in(http)
    (record,) = (await http.get("/__admin/sample", params={"n": 1})).json()["parcels"]
    params = {k: record[k] for k in ("MaXa", "SoHieuBanDo", "SoThuTuThua")}
    found = (await http.get("/api/TraCuuThuaDat", params=params)).json()
    assert found["data"] == record
    holder = record["ChuSuDung"][0]["SoGiayTo"]
    held = (await http.get("/api/TraCuuThuaDatTheoChu", params={"SoGiayTo": holder})).json()
    assert record in held["data"]
    bad = await http.get("/api/TraCuuThuaDat", params={**params, "SoHieuBanDo": "x"})
    assert bad.status_code == 400
    assert bad.json()["status"]["message"] == "SoHieuBanDo: a whole number"
    missing = await http.get("/api/TraCuuThuaDat", params={**params, "MaXa": "00000"})
    assert (missing.status_code, missing.json()["data"]) == (404, None)


async def test_faults_journal_and_reset_work_as_on_every_mock(http: httpx.AsyncClient) -> None:
    await signed_in(http)
    fault = {"service": "TraCuuHoSo", "status": 503, "times": 1}
    assert (await http.post("/__admin/faults", json=fault)).status_code == 201
    failed = await http.get("/api/TraCuuHoSo", params={"SoBienNhan": "BN-1"})
    assert failed.status_code == 503
    await http.post("/api/TiepNhanHoSo", json=INTAKE)
    journal = (await http.get("/__admin/journal")).json()["entries"]
    assert [e["service"] for e in journal] == ["token", "TraCuuHoSo", "TiepNhanHoSo"]
    assert (await http.post("/__admin/reset")).status_code == 200
    assert (await http.get("/__admin/state")).json()["dossiers"] == 0
