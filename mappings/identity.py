"""Who signed in through national single sign-on: the canonical ``Identity`` and its mapping from
the national provider's claims (ID token and userinfo, merged).

The national claims (NATIONAL-SYSTEMS.md §5) name an account by ``TechID`` (``sub`` when the
provider leaves it out), its kind by ``LoaiTaiKhoan`` (1 citizen, 2 business), a citizen by
``SoDinhDanh``, ``HoVaTen`` and ``NgayThangNamSinh`` (yyyyMMdd) and a business by
``MaSoDoanhNghiep`` (or ``MaSoThue``) and ``TenDoanhNghiep``. A claim that cannot be read raises
``MappingError`` naming it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from mappings.errors import MappingError


class AccountKind(StrEnum):
    citizen = "citizen"
    business = "business"


ACCOUNT_KINDS = {"1": AccountKind.citizen, "2": AccountKind.business}


class Identity(BaseModel):
    """A person or a business signed in through national SSO, as the province's systems see it.

    ``account_id`` is the provider's stable account id; ``personal_id`` the 12-digit personal
    identification number (citizens, and a business's representative when given);
    ``enterprise_code`` the enterprise (tax) code of a business account; ``assurance`` the level
    of assurance the provider vouches for (``LoA1`` ... ``LoA4``), when it says.
    """

    model_config = ConfigDict(frozen=True)

    account_id: str
    kind: AccountKind
    personal_id: str | None = None
    enterprise_code: str | None = None
    name: str
    date_of_birth: date | None = None
    assurance: str | None = None


def _text(claims: Mapping[str, Any], claim: str) -> str | None:
    value = claims.get(claim)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise MappingError(claim, f"expected text, got {type(value).__name__}")
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def _birth_date(claims: Mapping[str, Any]) -> date | None:
    value = _text(claims, "NgayThangNamSinh")
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise MappingError(
            "NgayThangNamSinh", f"expected a date as yyyyMMdd, got {value!r}"
        ) from None


def _assurance(claims: Mapping[str, Any]) -> str | None:
    acr = _text(claims, "acr")
    if acr is not None:
        return acr
    levels = claims.get("loAs")
    if isinstance(levels, list) and levels and all(isinstance(level, str) for level in levels):
        return str(max(levels))
    if levels is not None and not isinstance(levels, list):
        return _text(claims, "loAs")
    return None


def identity_from_claims(claims: Mapping[str, Any]) -> Identity:
    """The ``Identity`` the national claims describe; ``MappingError`` names a claim that is
    missing or cannot be read."""
    account_id = _text(claims, "TechID") or _text(claims, "sub")
    if account_id is None:
        raise MappingError("TechID", "missing: neither TechID nor sub names the account")
    raw_kind = _text(claims, "LoaiTaiKhoan")
    if raw_kind is None:
        raise MappingError("LoaiTaiKhoan", "missing: the account kind (1 citizen, 2 business)")
    kind = ACCOUNT_KINDS.get(raw_kind)
    if kind is None:
        raise MappingError(
            "LoaiTaiKhoan", f"expected 1 (citizen) or 2 (business), got {raw_kind!r}"
        )
    personal_id = _text(claims, "SoDinhDanh")
    enterprise_code = _text(claims, "MaSoDoanhNghiep") or _text(claims, "MaSoThue")
    if kind is AccountKind.citizen:
        name = _text(claims, "HoVaTen")
        if name is None:
            raise MappingError("HoVaTen", "missing: a citizen account's full name")
        if personal_id is None:
            raise MappingError("SoDinhDanh", "missing: a citizen account's personal id number")
    else:
        name = _text(claims, "TenDoanhNghiep")
        if name is None:
            raise MappingError("TenDoanhNghiep", "missing: a business account's name")
        if enterprise_code is None:
            raise MappingError("MaSoDoanhNghiep", "missing: a business account's enterprise code")
    return Identity(
        account_id=account_id,
        kind=kind,
        personal_id=personal_id,
        enterprise_code=enterprise_code,
        name=name,
        date_of_birth=_birth_date(claims),
        assurance=_assurance(claims),
    )
