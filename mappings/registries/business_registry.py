"""The business registry's ``GetEntCert`` record, read into the canonical ``Business``.

``business_from_registry`` takes the record as the registry's JSON gives it (a mapping of strings,
numbers, booleans, lists and nested mappings); an absent key, ``null`` and an empty string all
mean "no value". A value in the wrong format raises ``MappingError`` naming the registry's field
(``NgayDangKyLanDau``, ``TinhTrangPhapLy[1].MaTinhTrangPhapLy``); a value that breaks a
canonical rule (a name too long) raises pydantic's ``ValidationError``.

Field by field (registry → canonical):

==============================================  ==========================================
``MaSoDoanhNghiep``                             ``enterprise_code`` (form checked; a
                                                check-digit mismatch is accepted, the
                                                registry being the authority on its codes)
``SoGCNDKKD``                                   ``registration_number``
``MaLoaiHinhDN`` / ``LoaiHinhDN``               ``type_code`` / ``type_name``
``TenTiengViet``, ``TenNuocNgoai``,             ``name``, ``foreign_name``, ``short_name``
``TenVietTat``
``NgayDangKyLanDau``, ``NgayDangKyThayDoi``     ``first_registered_on``, ``last_changed_on``
``SoLanDangKyThayDoi``                          ``change_count``
``TinhTrangPhapLy[]``                           ``legal_statuses[]``: ``MaTinhTrangPhapLy``
                                                → ``status`` and ``code``,
                                                ``NgayBatDauTamNgung`` → ``since``,
                                                ``NgayKetThucTamNgung`` → ``until``,
                                                ``LyDoTamNgung`` → ``reason``; the last
                                                entry is the current ``status``
``DaiDienPhapLuat[]``                           ``representatives[]``: ``HoVaTen``,
                                                ``SoGiayChungThuc``, ``ChucDanh``,
                                                ``NgaySinh``, ``GioiTinh``
``DiaChiTruSo``                                 ``head_office``
``NganhNgheKinhDoanh[]``                        ``business_lines[]``: ``MaNganh``,
                                                ``TenNganh``, ``LaNganhChinh``
``ChiNhanh[]``                                  ``branches[]``: ``MaSoDoanhNghiep``,
                                                ``TenTiengViet``
==============================================  ==========================================

Dates are ``yyyy-MM-dd``. ``MaTinhTrangPhapLy`` is read through ``LEGAL_STATUS_CODES``; the
status's name (``TinhTrangPhapLy``) is not kept, the code says it. A representative's
``GioiTinh`` is ``1``/``2`` or ``Nam``/``Nữ``; ``LaNganhChinh`` a JSON boolean, ``true``/``false``
or ``1``/``0``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from mappings.errors import MappingError
from mappings.registries.business import (
    Branch,
    Business,
    BusinessLine,
    LegalStatus,
    LegalStatusKind,
    Representative,
)
from mappings.registries.citizen import Address
from mappings.registries.enterprise_code import check_enterprise_code
from mappings.registries.personal_id import Sex

T = TypeVar("T")

LEGAL_STATUS_CODES: Mapping[str, LegalStatusKind] = {
    "1": LegalStatusKind.active,
    "2": LegalStatusKind.suspended,
    "3": LegalStatusKind.dissolved,
    "4": LegalStatusKind.bankrupt,
    "5": LegalStatusKind.revoked,
}
"""``MaTinhTrangPhapLy`` as the business registry codes it."""

SEX_NAMES: Mapping[str, Sex] = {"1": Sex.male, "2": Sex.female, "nam": Sex.male, "nữ": Sex.female}
"""A representative's ``GioiTinh``, lower-cased and NFC."""

_FLAGS: Mapping[str, bool] = {"true": True, "1": True, "false": False, "0": False}

_ADDRESS_FIELDS: Mapping[str, str] = {
    "MaTinhThanh": "province_code",
    "TenTinhThanh": "province_name",
    "MaQuanHuyen": "district_code",
    "TenQuanHuyen": "district_name",
    "MaPhuongXa": "ward_code",
    "TenPhuongXa": "ward_name",
    "ChiTiet": "detail",
    "QuocGia": "country",
}


def business_from_registry(data: Mapping[str, Any]) -> Business:
    """The canonical business of one ``GetEntCert`` record."""
    code = _text(data, "MaSoDoanhNghiep")
    if code is None:
        raise MappingError("MaSoDoanhNghiep", "a business record must carry the enterprise code")
    _check_code(code, "MaSoDoanhNghiep")
    name = _text(data, "TenTiengViet")
    if name is None:
        raise MappingError("TenTiengViet", "a business record must carry the Vietnamese name")
    return Business(
        enterprise_code=code,
        registration_number=_text(data, "SoGCNDKKD"),
        type_code=_text(data, "MaLoaiHinhDN"),
        type_name=_text(data, "LoaiHinhDN"),
        name=name,
        foreign_name=_text(data, "TenNuocNgoai"),
        short_name=_text(data, "TenVietTat"),
        first_registered_on=_date(data, "NgayDangKyLanDau"),
        last_changed_on=_date(data, "NgayDangKyThayDoi"),
        change_count=_count(data, "SoLanDangKyThayDoi"),
        legal_statuses=_each(data, "TinhTrangPhapLy", _legal_status),
        representatives=_each(data, "DaiDienPhapLuat", _representative),
        head_office=_address(data, "DiaChiTruSo"),
        business_lines=_each(data, "NganhNgheKinhDoanh", _business_line),
        branches=_each(data, "ChiNhanh", _branch),
    )


def _legal_status(element: Mapping[str, Any], field: str) -> LegalStatus:
    code = _text(element, "MaTinhTrangPhapLy", field)
    if code is None:
        raise MappingError(f"{field}.MaTinhTrangPhapLy", "a legal status must carry its code")
    try:
        status = LEGAL_STATUS_CODES[code]
    except KeyError:
        raise MappingError(
            f"{field}.MaTinhTrangPhapLy",
            f"{code!r} is not a legal status code; the known codes are 1 active, 2 suspended, "
            "3 dissolved, 4 bankrupt, 5 revoked",
        ) from None
    return LegalStatus(
        status=status,
        code=code,
        since=_date(element, "NgayBatDauTamNgung", field),
        until=_date(element, "NgayKetThucTamNgung", field),
        reason=_text(element, "LyDoTamNgung", field),
    )


def _representative(element: Mapping[str, Any], field: str) -> Representative:
    name = _text(element, "HoVaTen", field)
    if name is None:
        raise MappingError(f"{field}.HoVaTen", "a legal representative must carry a name")
    sex_text = _text(element, "GioiTinh", field)
    sex = None
    if sex_text is not None:
        sex = SEX_NAMES.get(unicodedata.normalize("NFC", sex_text).lower())
        if sex is None:
            raise MappingError(
                f"{field}.GioiTinh", f"{sex_text!r} is not a sex: 1 or Nam male, 2 or Nữ female"
            )
    return Representative(
        name=name,
        personal_id=_text(element, "SoGiayChungThuc", field),
        position=_text(element, "ChucDanh", field),
        date_of_birth=_date(element, "NgaySinh", field),
        sex=sex,
    )


def _business_line(element: Mapping[str, Any], field: str) -> BusinessLine:
    code = _text(element, "MaNganh", field)
    if code is None:
        raise MappingError(f"{field}.MaNganh", "a business line must carry its code")
    return BusinessLine(
        code=code,
        name=_text(element, "TenNganh", field),
        main=_flag(element, "LaNganhChinh", field),
    )


def _branch(element: Mapping[str, Any], field: str) -> Branch:
    code = _text(element, "MaSoDoanhNghiep", field)
    if code is None:
        raise MappingError(f"{field}.MaSoDoanhNghiep", "a branch must carry its enterprise code")
    _check_code(code, f"{field}.MaSoDoanhNghiep")
    return Branch(code=code, name=_text(element, "TenTiengViet", field))


def _address(data: Mapping[str, Any], key: str) -> Address | None:
    element = data.get(key)
    if element is None or element == "":
        return None
    if not isinstance(element, Mapping):
        raise MappingError(key, f"expected an object, got {type(element).__name__}")
    values = {name: _text(element, wire, key) for wire, name in _ADDRESS_FIELDS.items()}
    return Address(**values) if any(values.values()) else None


def _each(
    data: Mapping[str, Any], key: str, read: Callable[[Mapping[str, Any], str], T]
) -> list[T]:
    items = data.get(key)
    if items is None:
        return []
    if isinstance(items, str | bytes) or not isinstance(items, Sequence):
        raise MappingError(key, f"expected a list, got {type(items).__name__}")
    read_items = []
    for index, item in enumerate(items):
        field = f"{key}[{index}]"
        if not isinstance(item, Mapping):
            raise MappingError(field, f"expected an object, got {type(item).__name__}")
        read_items.append(read(item, field))
    return read_items


def _check_code(code: str, field: str) -> None:
    try:
        check_enterprise_code(code, allow_check_digit_mismatch=True)
    except ValueError as error:
        raise MappingError(field, str(error)) from None


def _name(key: str, parent: str) -> str:
    return f"{parent}.{key}" if parent else key


def _text(data: Mapping[str, Any], key: str, parent: str = "") -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MappingError(_name(key, parent), f"expected text, got {type(value).__name__}")
    return str(value).strip() or None


def _date(data: Mapping[str, Any], key: str, parent: str = "") -> date | None:
    text = _text(data, key, parent)
    if text is None:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise MappingError(_name(key, parent), f"{text!r} is not a date yyyy-MM-dd") from None


def _count(data: Mapping[str, Any], key: str) -> int | None:
    text = _text(data, key)
    if text is None:
        return None
    if not text.isascii() or not text.isdigit():
        raise MappingError(key, f"{text!r} is not a count: a whole number 0 or more")
    return int(text)


def _flag(data: Mapping[str, Any], key: str, parent: str) -> bool:
    value = data.get(key)
    if value is None or value == "":
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, str | int) and str(value).strip().lower() in _FLAGS:
        return _FLAGS[str(value).strip().lower()]
    raise MappingError(_name(key, parent), f"{value!r} is not a flag: true/false or 1/0")
