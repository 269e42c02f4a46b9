"""A person's insurance record: the canonical ``InsuranceRecord``, and ``ThongTinBaoHiem`` (the
database's record, ``openapi/national/social_insurance``) read into it.

Field by field (database → canonical):

==============================================  ==========================================
``MaSoBHXH``                                    ``insurance_code``
``SoDinhDanh``, ``HoVaTen``, ``NgaySinh``,      ``personal_id``, ``full_name``,
``GioiTinh`` (``1``/``2``)                      ``date_of_birth``, ``sex`` (male/female)
``TheBHYT``                                     ``health_card``: ``MaThe`` → ``number``,
                                                ``GiaTriTu``/``GiaTriDen`` →
                                                ``valid_from``/``valid_to``, ``MucHuong`` →
                                                ``benefit_level``, ``NoiDKKCB`` →
                                                ``hospital_code``, ``hospital_name``
``QuaTrinhThamGia``                             ``contribution``: ``MaTrangThai`` →
                                                ``status`` (``CONTRIBUTION_STATUSES``),
                                                ``DonViThamGia``/``MaDonViThamGia`` →
                                                ``employer``/``employer_code``,
                                                ``SoThangDong`` → ``months_paid``,
                                                ``DenThang`` → ``paid_until``
==============================================  ==========================================

A value in the wrong format raises ``MappingError`` naming the database's field
(``TheBHYT.GiaTriDen``); the record's contribution name (``TenTrangThai``) is not kept, the code
says it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from mappings.errors import MappingError


class ContributionStatus(StrEnum):
    contributing = "contributing"
    paused = "paused"
    stopped = "stopped"
    retired = "retired"


CONTRIBUTION_STATUSES: dict[str, ContributionStatus] = {
    "1": ContributionStatus.contributing,
    "2": ContributionStatus.paused,
    "3": ContributionStatus.stopped,
    "4": ContributionStatus.retired,
}
"""``QuaTrinhThamGia.MaTrangThai`` (*inferred*): 1 contributing, 2 paused, 3 stopped, 4 drawing
a pension."""

_CARD = re.compile(r"[A-Z]{2}[1-5][0-9]{2}[0-9]{10}")
_INSURANCE_CODE = re.compile(r"[0-9]{10}")
_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


class _Canonical(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class HealthCard(_Canonical):
    """The health insurance card (thẻ BHYT) as printed."""

    number: str = Field(description="MaThe: 15 characters")
    valid_from: date
    valid_to: date
    benefit_level: int = Field(ge=1, le=5, description="MucHuong: 1 (100 %) to 5")
    hospital_code: str = Field(description="The registered primary-care facility's code")
    hospital_name: str

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


class Contribution(_Canonical):
    """Where and how long the person has contributed (*inferred*)."""

    status: ContributionStatus
    employer: str | None = None
    employer_code: str | None = None
    months_paid: int = Field(ge=0)
    paid_until: str = Field(description="yyyy-mm: the last month paid")


class InsuranceRecord(_Canonical):
    """One person's record in the insurance database."""

    insurance_code: str = Field(description="MaSoBHXH: 10 digits")
    personal_id: str
    full_name: str
    date_of_birth: date
    sex: str
    health_card: HealthCard | None = None
    contribution: Contribution | None = None


def _text(record: Mapping[str, Any], name: str, where: str = "") -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value.strip():
        raise MappingError(f"{where}{name}", "a non-empty text is required")
    return unicodedata.normalize("NFC", value.strip())


def _optional(record: Mapping[str, Any], name: str, where: str) -> str | None:
    value = record.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise MappingError(f"{where}{name}", "must be a text or null")
    return unicodedata.normalize("NFC", value.strip())


def _day(record: Mapping[str, Any], name: str, where: str = "") -> date:
    value = _text(record, name, where)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise MappingError(f"{where}{name}", "must be a date yyyy-MM-dd") from None


def _matching(record: Mapping[str, Any], name: str, pattern: re.Pattern[str], rule: str) -> str:
    value = _text(record, name)
    if not pattern.fullmatch(value):
        raise MappingError(name, rule)
    return value


def _card(card: Mapping[str, Any]) -> HealthCard:
    where = "TheBHYT."
    number = _text(card, "MaThe", where)
    if not _CARD.fullmatch(number):
        raise MappingError(f"{where}MaThe", "must be two capital letters, a digit 1-5, 12 digits")
    level = _text(card, "MucHuong", where)
    if level not in {"1", "2", "3", "4", "5"}:
        raise MappingError(f"{where}MucHuong", "must be 1 to 5")
    hospital = card.get("NoiDKKCB")
    if not isinstance(hospital, Mapping):
        raise MappingError(f"{where}NoiDKKCB", "the registered facility is required")
    valid_from, valid_to = _day(card, "GiaTriTu", where), _day(card, "GiaTriDen", where)
    if valid_to < valid_from:
        raise MappingError(f"{where}GiaTriDen", "must not be before GiaTriTu")
    return HealthCard(
        number=number,
        valid_from=valid_from,
        valid_to=valid_to,
        benefit_level=int(level),
        hospital_code=_text(hospital, "MaCoSo", f"{where}NoiDKKCB."),
        hospital_name=_text(hospital, "TenCoSo", f"{where}NoiDKKCB."),
    )


def _contribution(history: Mapping[str, Any]) -> Contribution:
    where = "QuaTrinhThamGia."
    code = _text(history, "MaTrangThai", where)
    if code not in CONTRIBUTION_STATUSES:
        raise MappingError(
            f"{where}MaTrangThai", f"must be one of {', '.join(CONTRIBUTION_STATUSES)}"
        )
    months = history.get("SoThangDong")
    if not isinstance(months, int) or isinstance(months, bool) or months < 0:
        raise MappingError(f"{where}SoThangDong", "must be a whole number of months, 0 or more")
    until = _text(history, "DenThang", where)
    if not _MONTH.fullmatch(until):
        raise MappingError(f"{where}DenThang", "must be a month yyyy-MM")
    return Contribution(
        status=CONTRIBUTION_STATUSES[code],
        employer=_optional(history, "DonViThamGia", where),
        employer_code=_optional(history, "MaDonViThamGia", where),
        months_paid=months,
        paid_until=until,
    )


def insurance_from_registry(record: Mapping[str, Any]) -> InsuranceRecord:
    """``ThongTinBaoHiem`` as an ``InsuranceRecord``; ``MappingError`` names the field at fault."""
    sex = _text(record, "GioiTinh")
    if sex not in {"1", "2"}:
        raise MappingError("GioiTinh", "must be 1 (male) or 2 (female)")
    card, history = record.get("TheBHYT"), record.get("QuaTrinhThamGia")
    for name, value in (("TheBHYT", card), ("QuaTrinhThamGia", history)):
        if value is not None and not isinstance(value, Mapping):
            raise MappingError(name, "must be an object or null")
    return InsuranceRecord(
        insurance_code=_matching(record, "MaSoBHXH", _INSURANCE_CODE, "must be 10 digits"),
        personal_id=_matching(record, "SoDinhDanh", re.compile(r"[0-9]{12}"), "must be 12 digits"),
        full_name=_text(record, "HoVaTen"),
        date_of_birth=_day(record, "NgaySinh"),
        sex="male" if sex == "1" else "female",
        health_card=_card(card) if isinstance(card, Mapping) else None,
        contribution=_contribution(history) if isinstance(history, Mapping) else None,
    )
