"""Sample requests and a thin client for the portal mock's tests."""

from __future__ import annotations

from typing import Any

import httpx
from starlette.types import ASGIApp

UNIT = "000.00.00.H56"
DSTCODE = {"dstcode": UNIT}
USER = {"username": "lienthong", "password": "lienthong-dev"}
CLIENT = ("lienthong", "lienthong-dev")


class FakeClock:
    """A monotonic clock that only moves when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def dossier(code: str = "000.00.01.H56-250301-00012", **fields: Any) -> dict[str, Any]:
    """A dossier that satisfies the contract, with ``fields`` changed."""
    base: dict[str, Any] = {
        "MaHoSo": code,
        "MaTTHC": "1.001193",
        "TenTTHC": "Thủ tục đăng ký khai sinh",
        "KenhThucHien": "1",
        "ChuHoSo": "Nguyễn Thị Hương",
        "LoaiDoiTuong": "1",
        "TrichYeuHoSo": "Đăng ký khai sinh cho con",
        "NgayTiepNhan": "20250301083000",
        "NgayHenTra": "20250305170000",
        "TrangThaiHoSo": "2",
        "NgayTra": "",
        "TaiLieuNop": [{"TepDinhKemId": "1", "TenTepDinhKem": "to-khai.pdf", "IsDeleted": "False"}],
        "DinhDanhCHS": [{"LoaiDinhDanh": "1", "SoDinhDanh": "001190012345"}],
        "DuocThanhToanTrucTuyen": "0",
    }
    base.update(fields)
    return base


def step(code: str = "000.00.01.H56-250301-00012", **fields: Any) -> dict[str, Any]:
    """A progress step that satisfies the contract, with ``fields`` changed."""
    base: dict[str, Any] = {
        "MaHoSo": code,
        "NguoiXuLy": "Trần Văn Nam",
        "ChucDanh": "Công chức tư pháp - hộ tịch",
        "ThoiDiemXuLy": "20250301090000",
        "PhongBanXuLy": "Bộ phận một cửa",
        "NoiDungXuLy": "Tiếp nhận hồ sơ",
        "TrangThai": "2",
        "NgayBatDau": "20250301083000",
        "NgayKetThucTheoQuyDinh": "20250305170000",
    }
    base.update(fields)
    return base


class Portal:
    """A session-style client of the portal mock, thin enough to show what goes on the wire."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.session = ""

    async def login(self) -> None:
        reply = (await self.http.post("/login", json=USER, headers=DSTCODE)).json()
        self.session = reply["session"]

    async def call(self, service: str, **params: Any) -> dict[str, Any]:
        body = {"session": self.session, "madonvi": UNIT, "service": service, **params}
        response = await self.http.post("/api", json=body, headers=DSTCODE)
        assert response.status_code == 200
        reply: dict[str, Any] = response.json()
        return reply

    async def admin(self, path: str) -> Any:
        response = await self.http.get(f"/__admin/{path}")
        assert response.status_code == 200, response.text
        return response.json()


def client_of(app: ASGIApp, base_url: str = "http://portal.test") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)
