"""Edge cases on a faked network (respx): the password grant, a refused token, the envelope's
verdicts, unreadable records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx

from adapters.errors import PermanentError, RefusedError, TransientError
from mappings.land_registry import WireHandover
from tests.adapters.land_registry.conftest import MakeLand

URL = "https://dat.lamdong.test/ilis"
HANDOVER = WireHandover(SoBienNhan="BN-00001", NgayTra="2026-11-26T09:00:00")


@pytest.fixture
def network() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=URL, assert_all_called=False) as router:
        yield router


def token(value: str, expires_in: int = 3600) -> httpx.Response:
    return httpx.Response(
        200, json={"access_token": value, "token_type": "Bearer", "expires_in": expires_in}
    )


def envelope(data: Any = 1, **status: Any) -> dict[str, Any]:
    return {"data": data, "status": {"success": True, "code": 200, **status}}


async def test_asks_for_a_token_with_the_account_and_replaces_it_before_it_expires(
    make_land: MakeLand, network: respx.MockRouter
) -> None:
    tokens = network.post("/connect/token").mock(side_effect=[token("first", 30), token("second")])
    sent = network.post("/api/CapNhatTrangThaiHoSo").respond(200, json=envelope())
    land = make_land(url=URL, transport=None, token_leeway=60)
    await land.send_handover(HANDOVER)
    await land.send_handover(HANDOVER)
    assert tokens.call_count == 2
    form = dict(httpx.QueryParams(tokens.calls.last.request.content.decode()))
    assert (form["grant_type"], form["username"], form["password"]) == (
        "password",
        "lienthong",
        "lienthong-dev",
    )
    assert sent.calls.last.request.headers["Authorization"] == "Bearer second"


async def test_a_token_the_system_forgot_is_fetched_again_once(
    make_land: MakeLand, network: respx.MockRouter
) -> None:
    network.post("/connect/token").mock(side_effect=[token("first"), token("second")])
    sent = network.post("/api/CapNhatTrangThaiHoSo").mock(
        side_effect=[httpx.Response(401), httpx.Response(200, json=envelope())]
    )
    await make_land(url=URL, transport=None).send_handover(HANDOVER)
    assert [c.request.headers["Authorization"] for c in sent.calls] == [
        "Bearer first",
        "Bearer second",
    ]


async def test_an_overloaded_token_endpoint_is_transient_with_retry_after(
    make_land: MakeLand, network: respx.MockRouter
) -> None:
    network.post("/connect/token").respond(503, headers={"Retry-After": "90"})
    with pytest.raises(TransientError, match="token: HTTP 503") as raised:
        await make_land(url=URL, transport=None, retries=1).send_handover(HANDOVER)
    assert raised.value.retry_after == 90


@pytest.mark.parametrize(
    ("status", "verdict"),
    [
        ({"success": False, "code": 500, "message": "Lỗi hệ thống"}, TransientError),
        ({"success": False, "code": None, "message": "Không xác định"}, TransientError),
        ({"success": False, "code": 400, "message": "SoBienNhan không hợp lệ"}, RefusedError),
    ],
)
async def test_the_envelope_decides_between_retry_and_refusal(
    make_land: MakeLand,
    network: respx.MockRouter,
    status: dict[str, Any],
    verdict: type[Exception],
) -> None:
    network.post("/connect/token").mock(return_value=token("t"))
    network.post("/api/CapNhatTrangThaiHoSo").respond(200, json=envelope(0, **status))
    with pytest.raises(verdict, match=str(status["message"])):
        await make_land(url=URL, transport=None, retries=1).send_handover(HANDOVER)


async def test_an_answer_that_is_not_the_envelope_is_transient(
    make_land: MakeLand, network: respx.MockRouter
) -> None:
    network.post("/connect/token").mock(return_value=token("t"))
    network.post("/api/CapNhatTrangThaiHoSo").respond(200, text="<html>proxy</html>")
    with pytest.raises(TransientError, match="without the reply envelope"):
        await make_land(url=URL, transport=None, retries=1).send_handover(HANDOVER)


async def test_a_record_it_cannot_read_is_permanent_naming_the_field(
    make_land: MakeLand, network: respx.MockRouter
) -> None:
    network.post("/connect/token").mock(return_value=token("t"))
    progress = {"SoBienNhan": "BN-00001", "TrangThai": 42, "ThoiDiemCapNhat": "2026-11-02T08:30:00"}
    network.get("/api/TraCuuHoSo").respond(200, json=envelope(progress))
    with pytest.raises(PermanentError, match="TrangThai"):
        await make_land(url=URL, transport=None).progress("BN-00001")
    parcel = {"MaXa": "26734", "SoHieuBanDo": "12", "SoThuTuThua": "x", "DienTich": "1"}
    network.get("/api/TraCuuThuaDatTheoChu").respond(
        200, json=envelope([{**parcel, "MucDichSuDung": "ONT"}])
    )
    with pytest.raises(PermanentError, match="SoThuTuThua"):
        await make_land(url=URL, transport=None).parcels_of("001095012345")


async def test_the_status_codes_are_a_setting(
    make_land: MakeLand, network: respx.MockRouter
) -> None:
    network.post("/connect/token").mock(return_value=token("t"))
    progress = {"SoBienNhan": "BN-00001", "TrangThai": 42, "ThoiDiemCapNhat": "2026-11-02T08:30:00"}
    network.get("/api/TraCuuHoSo").respond(200, json=envelope(progress))
    codes = "1=received,2=processing,3=supplement_requested,42=resolved,5=returned,6=refused"
    found = await make_land(url=URL, transport=None, status_codes=codes).progress("BN-00001")
    assert found is not None and found.status.value == "resolved"
    with pytest.raises(ValueError, match="every status needs a code; none for processing, refused"):
        make_land(url=URL, status_codes="1=received")
