"""What the land registry mock checks requests against: the JSON Schemas of the contract's
request bodies (``openapi/national/land_registry/openapi.yaml``), written here independently."""

from __future__ import annotations

from typing import Any

_TEXT = {"type": "string", "minLength": 1}
_OPTIONAL_TEXT = {"type": ["string", "null"]}
_TIME = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"}
_OPTIONAL_TIME = {**_TIME, "type": ["string", "null"]}

DOCUMENT: dict[str, Any] = {
    "type": "object",
    "required": ["TenGiayTo"],
    "properties": {
        "TenGiayTo": _TEXT,
        "SoBanChinh": {"type": ["integer", "null"], "minimum": 0},
        "SoBanSao": {"type": ["integer", "null"], "minimum": 0},
        "TapTin": {
            "type": ["object", "null"],
            "properties": {
                "name": _OPTIONAL_TEXT,
                "data": _OPTIONAL_TEXT,
                "DuongDan": _OPTIONAL_TEXT,
            },
        },
    },
}

INTAKE: dict[str, Any] = {
    "type": "object",
    "required": [
        "TinhId",
        "SoBienNhan",
        "NguoiTiepNhan",
        "ThongTinNguoiNopDon",
        "ThongTinQuyTrinh",
    ],
    "properties": {
        "LaQuyTrinhCapTinh": {"type": "boolean"},
        "TinhId": {"type": "integer", "minimum": 1},
        "HuyenId": {"type": "integer", "minimum": 0},
        "XaId": {"type": "integer", "minimum": 0},
        "SoBienNhan": {"type": "string", "minLength": 1, "maxLength": 50},
        "MaHoSoMotCua": _OPTIONAL_TEXT,
        "NguoiTiepNhan": _TEXT,
        "NgayTiepNhan": _OPTIONAL_TIME,
        "NgayHenTra": _OPTIONAL_TIME,
        "DiaChiTaiSan": _OPTIONAL_TEXT,
        "ThongTinNguoiNopDon": {
            "type": "object",
            "required": ["HoTen"],
            "properties": {
                "HoTen": _TEXT,
                "SoChungMinh": _OPTIONAL_TEXT,
                "DiaChiChiTiet": _OPTIONAL_TEXT,
                "SoDienThoai": _OPTIONAL_TEXT,
                "Email": _OPTIONAL_TEXT,
            },
        },
        "ThongTinQuyTrinh": {
            "type": "object",
            "required": ["MaQuyTrinh", "TenQuyTrinh"],
            "properties": {"MaQuyTrinh": _TEXT, "TenQuyTrinh": {"type": "string"}},
        },
        "ThongTinThuaDat": {
            "type": ["array", "null"],
            "items": {
                "type": "object",
                "properties": {
                    "SoThuTuThua": _OPTIONAL_TEXT,
                    "SoHieuBanDo": _OPTIONAL_TEXT,
                    "DienTich": _OPTIONAL_TEXT,
                    "DiaChiChiTiet": _OPTIONAL_TEXT,
                },
            },
        },
        "DanhSachGiayToDinhKem": {"type": ["array", "null"], "items": DOCUMENT},
    },
}

SUPPLEMENT: dict[str, Any] = {
    "type": "object",
    "required": ["SoBienNhan", "NgayHenTraMoi"],
    "properties": {
        "SoBienNhan": _TEXT,
        "NgayHenTraMoi": _TIME,
        "GhiChu": _OPTIONAL_TEXT,
        "DanhSachGiayToBoSung": {"type": ["array", "null"], "items": DOCUMENT},
    },
}

HANDOVER: dict[str, Any] = {
    "type": "object",
    "required": ["SoBienNhan", "NgayTra"],
    "properties": {"SoBienNhan": _TEXT, "NgayTra": _TIME},
}
