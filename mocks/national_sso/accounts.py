"""The accounts one can log in as: seeded citizens and businesses, with their national claims.

Citizens are adults of ``mocks.population``; businesses are active head offices of
``mocks.business_registry`` with the same seed, represented by their first legal representative.
An account's id is what a login names: the citizen's ``SoDinhDanh`` or the business's
``MaSoDoanhNghiep``.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from mocks.business_registry import Enterprise, Status, registry
from mocks.population import Person, population

CITIZENS = 20
BUSINESSES = 5
_TECH_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://sso.dichvucong.gov.vn/mock")


class AccountKind(IntEnum):
    """``LoaiTaiKhoan``: 1 a citizen, 2 a business."""

    CITIZEN = 1
    BUSINESS = 2


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    kind: AccountKind
    display_name: str
    claims: dict[str, Any]
    """The national claims of §5 without the assurance levels, which depend on the login."""

    @property
    def tech_id(self) -> str:
        return str(self.claims["TechID"])

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind.name.lower(), "name": self.display_name}


def _day(person: Person) -> str:
    return person.date_of_birth.strftime("%Y%m%d")


def _phone(key: str) -> str:
    return "09" + str(int(hashlib.sha256(key.encode()).hexdigest(), 16))[-8:]


def _person_claims(person: Person) -> dict[str, Any]:
    return {
        "SoDinhDanh": person.personal_id,
        "SoCMND": person.old_id or "",
        "HoChieu": "",
        "HoVaTen": person.full_name,
        "NgayThangNamSinh": _day(person),
        "GioiTinh": person.sex.registry_code,
        "ThuDienTu": f"cd{person.personal_id[-8:]}@thudientu.test",
        "SoDienThoai": _phone(person.personal_id),
        "ThuongTru": person.permanent_address.full,
        "DiaChi": person.current_address.full,
    }


def _tech_id(account_id: str) -> str:
    return str(uuid.uuid5(_TECH_ID_NAMESPACE, account_id))


def citizen(person: Person) -> Account:
    claims = {
        "TechID": _tech_id(person.personal_id),
        "LoaiTaiKhoan": int(AccountKind.CITIZEN),
        **_person_claims(person),
        "MaSoThue": person.personal_id,
        "MaSoDoanhNghiep": "",
        "TenDoanhNghiep": "",
    }
    return Account(person.personal_id, AccountKind.CITIZEN, person.full_name, claims)


def business(enterprise: Enterprise) -> Account:
    code = str(enterprise.code)
    claims = {
        "TechID": _tech_id(code),
        "LoaiTaiKhoan": int(AccountKind.BUSINESS),
        **_person_claims(enterprise.representatives[0].person),
        "MaSoThue": code,
        "MaSoDoanhNghiep": code,
        "TenDoanhNghiep": enterprise.name.vietnamese,
        "DiaChi": enterprise.address.full,
    }
    return Account(code, AccountKind.BUSINESS, enterprise.name.vietnamese, claims)


def seeded_accounts(seed: int = 0) -> tuple[Account, ...]:
    """``CITIZENS`` citizens then ``BUSINESSES`` businesses; the same seed gives the same."""
    people = population(seed).adults()[:CITIZENS]
    enterprises = [
        e for e in registry(seed).enterprises if e.status is Status.active and e.representatives
    ][:BUSINESSES]
    return (*map(citizen, people), *map(business, enterprises))
