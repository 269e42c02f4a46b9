"""The land registry adapter against the mock in process: the password grant, a dossier's whole
path (received, supplement, resolved with a certificate, handed over), parcels, refusals."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from adapters.errors import AuthError, RefusedError
from adapters.land_registry import LAND_REGISTRY
from mappings.land_registry import (
    LandStatus,
    ParcelRef,
    Supplement,
    WireIntake,
    to_wire_handover,
    to_wire_supplement,
)
from tests.adapters.land_registry.conftest import MakeLand


def intake(receipt: str = "BN-00001") -> WireIntake:
    return WireIntake(
        TinhId=68,
        SoBienNhan=receipt,
        MaHoSoMotCua="000.00.01.H56-261102-00001",
        NguoiTiepNhan="Bộ phận tiếp nhận và trả kết quả",
        NgayTiepNhan="2026-11-02T08:30:00",
        ThongTinNguoiNopDon={"HoTen": "Nguyễn Văn An", "SoChungMinh": "001095012345"},
        ThongTinQuyTrinh={"MaQuyTrinh": "1.012783", "TenQuyTrinh": "Cấp đổi giấy chứng nhận"},
    )


async def journal(admin: httpx.AsyncClient, service: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = (
        await admin.get("/__admin/journal", params={"service": service})
    ).json()["entries"]
    return entries


async def test_a_dossier_goes_its_whole_path_with_a_supplement(
    make_land: MakeLand, admin: httpx.AsyncClient
) -> None:
    story = {
        "name": "bổ sung",
        "entity": "dossier",
        "only": ["BN-00001"],
        "steps": [{"on": "TiepNhanHoSo", "answer": "supplement"}],
    }
    assert (await admin.post("/__admin/stories", json=story)).status_code == 201
    land = make_land()
    answer = await land.forward(intake())
    assert (answer.said, answer.final) == ("Tiếp nhận hồ sơ thành công", False)
    again = await land.forward(intake())
    assert again.final and "đã tồn tại" in again.said

    seen = [await land.progress("BN-00001") for _ in range(3)]
    statuses = [progress.status for progress in seen if progress is not None]
    assert statuses == [
        LandStatus.processing,
        LandStatus.supplement_requested,
        LandStatus.supplement_requested,
    ]
    assert seen[-1] is not None and seen[-1].supplement
    supplement = Supplement.model_validate({"new_due_at": "2026-11-25T17:00:00+07:00"})
    assert not (await land.send_supplement(to_wire_supplement("BN-00001", supplement))).final
    resolved = await land.progress("BN-00001")
    assert resolved is not None and resolved.status is LandStatus.resolved
    (result,) = resolved.results
    assert resolved.contents[0].startswith(b"%PDF-1.4")
    assert result.size == len(resolved.contents[0])
    done = await land.send_handover(to_wire_handover("BN-00001", resolved.updated_at))
    assert not done.final
    returned = await land.progress("BN-00001")
    assert returned is not None and returned.status is LandStatus.returned
    assert [s.status for s in returned.history] == [
        LandStatus.received,
        LandStatus.processing,
        LandStatus.supplement_requested,
        LandStatus.processing,
        LandStatus.resolved,
        LandStatus.returned,
    ]
    (token_call,) = await journal(admin, "token")
    assert token_call["request"]["password"] == "***", "the journal keeps no password"


async def test_a_dossier_the_land_office_does_not_hold_is_none(make_land: MakeLand) -> None:
    assert await make_land().progress("BN-UNKNOWN") is None


async def test_a_handover_before_the_result_is_refused_with_what_the_land_system_said(
    make_land: MakeLand,
) -> None:
    land = make_land()
    await land.forward(intake("BN-00002"))
    progress = await land.progress("BN-00002")
    assert progress is not None
    with pytest.raises(RefusedError, match="refused it \\(409\\): Hồ sơ chưa có kết quả"):
        await land.send_handover(to_wire_handover("BN-00002", progress.updated_at))


async def test_a_body_that_breaks_the_contract_is_refused_naming_the_field(
    make_land: MakeLand,
) -> None:
    land = make_land(intake_path="/api/TiepNhanHoSo")
    broken = intake().model_copy(update={"TinhId": 0})
    with pytest.raises(RefusedError, match="HTTP 400 Bad Request: the land system refused it"):
        await land.forward(broken)


async def test_parcels_are_found_by_reference_and_by_holder(
    make_land: MakeLand, admin: httpx.AsyncClient
) -> None:
    (record,) = (await admin.get("/__admin/sample", params={"n": 1})).json()["parcels"]
    land = make_land()
    ref = ParcelRef(
        commune_code=record["MaXa"],
        map_sheet=int(record["SoHieuBanDo"]),
        parcel_number=int(record["SoThuTuThua"]),
    )
    parcel = await land.find_parcel(ref)
    assert parcel is not None
    assert parcel.ref == ref
    assert parcel.owners[0].name == record["ChuSuDung"][0]["HoTen"]
    holder = record["ChuSuDung"][0]["SoGiayTo"]
    held = await land.parcels_of(holder)
    assert ref in [p.ref for p in held]
    assert await land.parcels_of("001095000000") == []
    missing = ParcelRef(commune_code="00000", map_sheet=1, parcel_number=1)
    assert await land.find_parcel(missing) is None


async def test_wrong_account_credentials_are_an_auth_error(make_land: MakeLand) -> None:
    land = make_land(password="not-the-password", retries=1)
    with pytest.raises(AuthError, match="invalid_grant"):
        await land.progress("BN-00001")


async def test_an_expired_token_is_replaced_once_and_the_call_goes_through(
    make_land: MakeLand, admin: httpx.AsyncClient
) -> None:
    land = make_land()
    await land.forward(intake("BN-00003"))
    assert (await admin.post("/__admin/expire")).json()["expired"]["tokens"] == 1
    assert await land.progress("BN-00003") is not None
    assert len(await journal(admin, "token")) == 2


async def test_the_probe_signs_in_and_changes_nothing_upstream(
    make_land: MakeLand, admin: httpx.AsyncClient
) -> None:
    land = make_land()
    assert LAND_REGISTRY.probe is not None
    said = await LAND_REGISTRY.probe(land, land.config)
    assert said == "signed in as lienthong; the land system holds no dossier LIENTHONG-PROBE"
    assert (await admin.get("/__admin/state")).json()["dossiers"] == 0
