"""A result issued to a citizen, as the digitised-results store keeps it, and its file.

Field by field (store → canonical ``IssuedResult``):

==============================  =========================================================
``MaGiayToKetQua``              ``id``: what a dossier's ``TaiLieuNop[].MaKetQuaThayThe``
                                names when it reuses the result
``MaKetQua``, ``TenKetQua``     ``kind``, ``name``
``SoKyHieu``                    ``number``
``NgayCap``, ``CoQuanCap``      ``issued_on``, ``issuer``
``NgayHetHieuLuc``              ``valid_until`` (None: it does not expire)
``MaHoSo``, ``MaTTHC``          ``dossier_code``, ``procedure`` (None when empty)
``DuongDanTepTin``              ``file_url``
``TenTepTin``                   ``file_name``
==============================  =========================================================

``GetGiayToByUrl``'s ``{TenTepTin, LoaiTep, NoiDung}`` is a ``ResultFile`` (``NoiDung`` base64).
A value in the wrong format raises ``MappingError`` naming the store's field.
"""

from __future__ import annotations

import base64
import binascii
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from mappings.errors import MappingError

CHANNELS = ("1", "2", "3")
"""``KenhThucHien``: 1 in person, 2 online, 3 public postal service (as the portal's)."""


class IssuedResult(BaseModel):
    """One result (certificate, licence, extract) the store holds for its owner."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    kind: str
    name: str
    number: str
    issued_on: date
    issuer: str
    valid_until: date | None = None
    dossier_code: str | None = None
    procedure: str | None = None
    file_url: str
    file_name: str

    def valid_on(self, day: date) -> bool:
        """Whether the result can still stand for a paper on ``day``."""
        return self.valid_until is None or day <= self.valid_until


class ResultFile(BaseModel):
    """A result's file as the store gives it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    media_type: str
    content: bytes


def _text(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value.strip():
        raise MappingError(name, "a non-empty text is required")
    return unicodedata.normalize("NFC", value.strip())


def _optional(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise MappingError(name, "must be a text or null")
    return value.strip()


def _day(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise MappingError(name, "must be a date yyyy-MM-dd") from None


def result_from_store(record: Mapping[str, Any]) -> IssuedResult:
    """One result of ``GetKetQuaGiayTo`` as an ``IssuedResult``."""
    until = _optional(record, "NgayHetHieuLuc")
    return IssuedResult(
        id=_text(record, "MaGiayToKetQua"),
        kind=_text(record, "MaKetQua"),
        name=_text(record, "TenKetQua"),
        number=_text(record, "SoKyHieu"),
        issued_on=_day("NgayCap", _text(record, "NgayCap")),
        issuer=_text(record, "CoQuanCap"),
        valid_until=_day("NgayHetHieuLuc", until) if until else None,
        dossier_code=_optional(record, "MaHoSo"),
        procedure=_optional(record, "MaTTHC"),
        file_url=_text(record, "DuongDanTepTin"),
        file_name=_text(record, "TenTepTin"),
    )


def file_from_store(record: Mapping[str, Any]) -> ResultFile:
    """``GetGiayToByUrl``'s file as a ``ResultFile``."""
    encoded = record.get("NoiDung")
    if not isinstance(encoded, str):
        raise MappingError("NoiDung", "the file's content in base64 is required")
    try:
        content = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise MappingError("NoiDung", "must be base64") from None
    return ResultFile(
        name=_text(record, "TenTepTin"), media_type=_text(record, "LoaiTep"), content=content
    )


def results_query(
    owner: str, procedure: str, kinds: Sequence[str], *, channel: str = "1"
) -> dict[str, Any]:
    """The body of ``GetKetQuaGiayTo``: the owner's results of ``kinds`` (all when empty)."""
    if channel not in CHANNELS:
        raise MappingError("KenhThucHien", f"must be one of {', '.join(CHANNELS)}")
    return {
        "SoDinhDanhChuSoHuu": owner,
        "KenhThucHien": channel,
        "MaThuTuc": procedure,
        "DanhSachDanhMucKetQua": [{"MaKetQua": kind, "SoKyHieu": None} for kind in kinds],
    }
