"""The population registry's ``CongDan`` record, read into the canonical ``Citizen``.

``citizen_from_registry`` takes the element as a mapping of strings and nested mappings, the way
lxml or ``zeep.helpers.serialize_object`` give it; an absent element, ``None`` and an empty
string all mean "no value", and numbers may come as ``int``. A value in the wrong format
raises ``MappingError`` naming the registry's field (``NgayThangNamSinh.NgayThangNam``,
``Cha.SoDinhDanh``); a value that breaks a canonical rule (a name too long) raises pydantic's
``ValidationError``.

Field by field (registry → canonical):

==============================================  ==========================================
``SoDinhDanh`` / ``SoCMND``                     ``personal_id`` / ``old_id``
``HoVaTen{Ho, ChuDem, Ten}``                    ``family_name``, ``middle_name``,
                                                ``given_name``; ``full_name`` joins them
``GioiTinh`` (1 male, 2 female)                 ``sex``
``NgayThangNamSinh{NgayThangNam | Nam}``        ``date_of_birth`` (whole, or year alone)
``DanToc``, ``TonGiao``                         ``ethnicity``, ``religion``
``TinhTrangHonNhan``, ``NhomMau``               ``marital_status``, ``blood_group``
``NoiDangKyKhaiSinh``, ``QueQuan``              ``birth_registration_place``, ``home_town``
``ThuongTru``, ``NoiOHienTai``                  ``permanent_address``, ``current_address``
``QuocTich``                                    ``nationality``
``Cha``, ``Me``, ``VoChong``, ``NguoiDaiDien``  ``father``, ``mother``, ``spouse``,
                                                ``representative``
``ChuHo{QuanHe, SoDinhDanh, HoVaTen}``          ``household_head``, ``household_relation``
==============================================  ==========================================

Each address reads ``MaTinhThanh, MaQuanHuyen, MaPhuongXa, TenTinhThanh, TenQuanHuyen,
TenPhuongXa, ChiTiet, QuocGia``. A related person's ``HoVaTen`` may be a plain string or the
three parts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from mappings.errors import MappingError
from mappings.registries.citizen import Address, BirthDate, Citizen, RelatedPerson
from mappings.registries.personal_id import Sex, check_old_id, check_personal_id

SEX_CODES: Mapping[str, Sex] = {"1": Sex.male, "2": Sex.female}
"""``GioiTinh`` as the population registry codes it."""

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
_TEXT_FIELDS: Mapping[str, str] = {
    "DanToc": "ethnicity",
    "TonGiao": "religion",
    "TinhTrangHonNhan": "marital_status",
    "NhomMau": "blood_group",
    "QuocTich": "nationality",
}
_ADDRESSES: Mapping[str, str] = {
    "NoiDangKyKhaiSinh": "birth_registration_place",
    "QueQuan": "home_town",
    "ThuongTru": "permanent_address",
    "NoiOHienTai": "current_address",
}
_RELATED: Mapping[str, str] = {
    "Cha": "father",
    "Me": "mother",
    "VoChong": "spouse",
    "NguoiDaiDien": "representative",
}


def citizen_from_registry(data: Mapping[str, Any]) -> Citizen:
    """The canonical citizen of one ``CongDan`` element."""
    personal_id = _text(data, "SoDinhDanh", "")
    if personal_id is None:
        raise MappingError("SoDinhDanh", "a citizen record must carry the 12-digit personal ID")
    _checked(check_personal_id, personal_id, "SoDinhDanh")
    old_id = _text(data, "SoCMND", "")
    if old_id is not None:
        _checked(check_old_id, old_id, "SoCMND")
    parts = _mapping(data, "HoVaTen", "")
    family, middle, given = (
        (_text(parts, key, "HoVaTen.") for key in ("Ho", "ChuDem", "Ten"))
        if parts is not None
        else (None, None, None)
    )
    full_name = _joined(family, middle, given)
    if not full_name:
        raise MappingError("HoVaTen", "a citizen record must carry the name (Ho, ChuDem, Ten)")
    household = _mapping(data, "ChuHo", "")
    fields: dict[str, Any] = {
        "personal_id": personal_id,
        "old_id": old_id,
        "full_name": full_name,
        "family_name": family,
        "middle_name": middle,
        "given_name": given,
        "sex": _sex(data),
        "date_of_birth": _birth_date(data),
        **{name: _text(data, key, "") for key, name in _TEXT_FIELDS.items()},
        **{name: _address(data, key) for key, name in _ADDRESSES.items()},
        **{name: _related(data, key) for key, name in _RELATED.items()},
        "household_head": _related(data, "ChuHo"),
        "household_relation": _text(household, "QuanHe", "ChuHo.") if household else None,
    }
    return Citizen(**fields)


def registry_name(name: str) -> str:
    """A name in the form the population registry matches on: upper case, without diacritics.

    ``"Nguyễn Thị Đào"`` → ``"NGUYEN THI DAO"``; runs of whitespace become one space. Only the
    population registry's adapter calls this, when it sends a lookup: everywhere else names keep
    their diacritics.
    """
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unicodedata.normalize("NFC", bare).upper().split())


def _text(data: Mapping[str, Any], key: str, prefix: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MappingError(f"{prefix}{key}", f"expected text, got {type(value).__name__}")
    stripped = str(value).strip()
    return stripped or None


def _mapping(data: Mapping[str, Any], key: str, prefix: str) -> Mapping[str, Any] | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, Mapping):
        raise MappingError(f"{prefix}{key}", f"expected an element, got {type(value).__name__}")
    return value


def _checked(check: Callable[[str], object], value: str, field: str) -> None:
    try:
        check(value)
    except ValueError as error:
        raise MappingError(field, str(error)) from None


def _joined(*parts: str | None) -> str:
    return " ".join(part for part in parts if part)


def _sex(data: Mapping[str, Any]) -> Sex | None:
    code = _text(data, "GioiTinh", "")
    if code is None:
        return None
    try:
        return SEX_CODES[code]
    except KeyError:
        raise MappingError("GioiTinh", f"{code!r} is not a sex code: 1 male, 2 female") from None


def _birth_date(data: Mapping[str, Any]) -> BirthDate | None:
    born = _mapping(data, "NgayThangNamSinh", "")
    if born is None:
        return None
    whole = _text(born, "NgayThangNam", "NgayThangNamSinh.")
    if whole is not None:
        return BirthDate.of(_day(whole, "NgayThangNamSinh.NgayThangNam"))
    year = _text(born, "Nam", "NgayThangNamSinh.")
    if year is None:
        return None
    if len(year) != 4 or not year.isascii() or not year.isdigit():
        raise MappingError("NgayThangNamSinh.Nam", f"{year!r} is not a year yyyy")
    return BirthDate(year=int(year))


def _day(text: str, field: str) -> date:
    if len(text) != 8 or not text.isascii() or not text.isdigit():
        raise MappingError(field, f"{text!r} is not a date yyyyMMdd")
    try:
        return datetime.strptime(text, "%Y%m%d").date()
    except ValueError:
        raise MappingError(field, f"{text!r} is not a date yyyyMMdd") from None


def _address(data: Mapping[str, Any], key: str) -> Address | None:
    element = _mapping(data, key, "")
    if element is None:
        return None
    values = {name: _text(element, wire, f"{key}.") for wire, name in _ADDRESS_FIELDS.items()}
    if not any(values.values()):
        return None
    return Address(**values)


def _related(data: Mapping[str, Any], key: str) -> RelatedPerson | None:
    element = _mapping(data, key, "")
    if element is None:
        return None
    personal_id = _text(element, "SoDinhDanh", f"{key}.")
    if personal_id is not None:
        _checked(check_personal_id, personal_id, f"{key}.SoDinhDanh")
    if isinstance(element.get("HoVaTen"), Mapping):
        parts = element["HoVaTen"]
        name: str | None = (
            _joined(*(_text(parts, part, f"{key}.HoVaTen.") for part in ("Ho", "ChuDem", "Ten")))
            or None
        )
    else:
        name = _text(element, "HoVaTen", f"{key}.")
    if personal_id is None and name is None:
        return None
    return RelatedPerson(personal_id=personal_id, name=name)
