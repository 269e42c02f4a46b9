"""The adapter against the real portal mock, in process, in both authentication styles.

The mock is an independent reading of the same contract (``openapi/national/national_portal``),
so agreement here means the adapter speaks the contract, not just what the adapter's own fakes
expect.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp

from adapters import HttpNationalPortal, PermanentError
from mappings.national_portal.wire import PortalDossier, PortalProgress
from mocks.app import create_mocks_app
from mocks.national_portal import create_app

MOCK_URL = "http://mock.test"
ACCOUNT = {"lienthong": "mock-secret"}
CREDENTIALS = {"password": "mock-secret", "client_secret": "mock-secret"}


class Clock:
    """The mock's monotonic clock, moved by tests instead of sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _dossier(n: int, status: str = "2") -> PortalDossier:
    return PortalDossier(
        MaHoSo=f"000.00.01.H56-250301-{n:05d}",
        MaTTHC="1.001193",
        TenTTHC="Đăng ký khai sinh",
        MaLinhVuc="G01",
        TenLinhVuc="Hộ tịch",
        KenhThucHien="1",
        ChuHoSo="Nguyễn Văn An",
        LoaiDoiTuong="1",
        TrichYeuHoSo="Đăng ký khai sinh cho con",
        NgayTiepNhan="20250301083000",
        NgayHenTra="20250305170000",
        TrangThaiHoSo=status,
        DonViXuLy="UBND xã Tân Hội",
    )


def _step(n: int) -> PortalProgress:
    return PortalProgress(
        MaHoSo=f"000.00.01.H56-250301-{n:05d}",
        NguoiXuLy="Trần Thị Bình",
        ChucDanh="Công chức tư pháp - hộ tịch",
        ThoiDiemXuLy="20250302091500",
        PhongBanXuLy="Bộ phận một cửa",
        NoiDungXuLy="Chuyển hồ sơ xử lý",
        TrangThai="4",
        NgayBatDau="20250302091500",
        NgayKetThucTheoQuyDinh="20250305170000",
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def mock_app(clock: Clock) -> ASGIApp:
    return create_app(users=ACCOUNT, clients=ACCOUNT, clock=clock)


@pytest.fixture
async def admin(mock_app: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    """The mock's admin API, to look at what the portal now holds."""
    transport = httpx.ASGITransport(app=mock_app)
    async with httpx.AsyncClient(transport=transport, base_url=MOCK_URL) as client:
        yield client


@pytest.fixture(params=["session", "oauth2"])
def adapter(
    request: pytest.FixtureRequest,
    mock_app: ASGIApp,
    make_adapter: Callable[..., HttpNationalPortal],
) -> HttpNationalPortal:
    return make_adapter(
        url=MOCK_URL,
        auth=request.param,
        transport=httpx.ASGITransport(app=mock_app),
        **CREDENTIALS,
    )


async def _held(admin: httpx.AsyncClient, code: str) -> dict[str, Any]:
    response = await admin.get(f"/__admin/dossiers/{code}")
    assert response.status_code == 200, response.text
    held = response.json()
    assert isinstance(held, dict)
    return held


async def _sign_ins(admin: httpx.AsyncClient) -> int:
    journal = (await admin.get("/__admin/journal")).json()
    return sum(1 for entry in journal["entries"] if entry["service"] in {"login", "token"})


async def test_pushes_a_dossier_then_pushes_it_again_as_an_update(
    adapter: HttpNationalPortal, admin: httpx.AsyncClient
) -> None:
    first = await adapter.push_dossiers([_dossier(1, status="2"), _dossier(2)])
    again = await adapter.push_dossiers([_dossier(1, status="4"), _dossier(3)])

    assert [(o.code, o.accepted) for o in first + again] == [
        (_dossier(1).MaHoSo, True),
        (_dossier(2).MaHoSo, True),
        (_dossier(1).MaHoSo, True),
        (_dossier(3).MaHoSo, True),
    ]
    held = await _held(admin, _dossier(1).MaHoSo)
    assert held["dossier"]["TrangThaiHoSo"] == "4"
    assert held["writes"] == 2
    journal = (await admin.get("/__admin/journal", params={"service": "DongBoHoSoMC"})).json()
    assert [entry["request"]["isUpdating"] for entry in journal["entries"]] == [
        "False",
        "False",
        "True",
    ]


async def test_pushes_progress_and_refuses_steps_of_unknown_dossiers(
    adapter: HttpNationalPortal, admin: httpx.AsyncClient
) -> None:
    await adapter.push_dossiers([_dossier(1)])

    outcomes = await adapter.push_progress([_step(1), _step(9)])

    assert outcomes[0].accepted
    refusal = outcomes[1].error
    assert isinstance(refusal, PermanentError)
    assert _step(9).MaHoSo in refusal.reason
    held = await _held(admin, _dossier(1).MaHoSo)
    assert [step["NoiDungXuLy"] for step in held["progress"]] == ["Chuyển hồ sơ xử lý"]


async def test_finds_what_was_pushed_and_nothing_else(adapter: HttpNationalPortal) -> None:
    await adapter.push_dossiers([_dossier(1)])

    found = await adapter.find_dossier(_dossier(1).MaHoSo)

    assert found is not None
    assert found.model_dump(include=set(_dossier(1).model_fields_set)) == _dossier(1).model_dump(
        include=set(_dossier(1).model_fields_set)
    )
    assert await adapter.find_dossier(_dossier(9).MaHoSo) is None


async def test_lists_procedures_and_gets_one_in_full(adapter: HttpNationalPortal) -> None:
    procedures = await adapter.list_procedures()

    assert procedures
    listed = procedures[0]
    full = await adapter.get_procedure(listed.MaTTHC)
    assert full is not None
    assert (full.MaTTHC, full.TenTTHC) == (listed.MaTTHC, listed.TenTTHC)
    assert await adapter.get_procedure("9.999999") is None


async def test_a_refused_dossier_names_the_mocks_rule(adapter: HttpNationalPortal) -> None:
    unknown_channel = _dossier(1).model_copy(update={"KenhThucHien": "9"})

    [outcome] = await adapter.push_dossiers([unknown_channel])

    assert outcome.error is not None
    assert "KenhThucHien" in outcome.error.reason


async def test_carries_on_after_the_portal_forgets_every_session_and_token(
    adapter: HttpNationalPortal, admin: httpx.AsyncClient
) -> None:
    await adapter.list_procedures()
    await admin.post("/__admin/expire-sessions")
    await admin.post("/__admin/revoke-tokens")

    assert await adapter.list_procedures()
    assert await _sign_ins(admin) == 2


async def test_carries_on_when_sessions_and_tokens_lapse_with_time(
    adapter: HttpNationalPortal, admin: httpx.AsyncClient, clock: Clock
) -> None:
    await adapter.list_procedures()
    clock.now += 24 * 3600

    assert await adapter.list_procedures()
    assert await _sign_ins(admin) == 2


async def test_rides_out_an_outage_by_retrying(
    adapter: HttpNationalPortal, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    fault = {"service": "LayDanhSachTTHC", "status": 503, "retry_after": 2, "times": 2}
    assert (await admin.post("/__admin/faults", json=fault)).status_code == 201

    assert await adapter.list_procedures()
    assert sleeps == [2.0, 2.0]


async def test_redelivers_safely_when_the_reply_to_an_applied_push_is_lost(
    adapter: HttpNationalPortal, admin: httpx.AsyncClient
) -> None:
    lost = {"service": "DongBoHoSoMC", "status": 503, "phase": "after", "times": 1}
    assert (await admin.post("/__admin/faults", json=lost)).status_code == 201

    [outcome] = await adapter.push_dossiers([_dossier(1)])

    assert outcome.accepted
    held = await _held(admin, _dossier(1).MaHoSo)
    assert held["writes"] == 2


async def test_speaks_to_the_portal_where_lienthong_mocks_mounts_it(
    make_adapter: Callable[..., HttpNationalPortal],
) -> None:
    transport = httpx.ASGITransport(app=create_mocks_app())
    adapter = make_adapter(
        url=f"{MOCK_URL}/national-portal",
        transport=transport,
        password="lienthong-dev",
        client_secret="lienthong-dev",
    )

    [outcome] = await adapter.push_dossiers([_dossier(1)])

    assert outcome.accepted
    assert await adapter.find_dossier(_dossier(1).MaHoSo) is not None
