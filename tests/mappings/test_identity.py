from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from mappings import AccountKind, Identity, MappingError, identity_from_claims

CITIZEN: dict[str, Any] = {
    "sub": "sub-1",
    "TechID": "tech-1",
    "LoaiTaiKhoan": 1,
    "SoDinhDanh": "068090000123",
    "HoVaTen": "Nguyễn Văn An",
    "NgayThangNamSinh": "19851231",
    "GioiTinh": "1",
    "acr": "LoA2",
}
BUSINESS: dict[str, Any] = {
    "sub": "sub-2",
    "LoaiTaiKhoan": "2",
    "MaSoDoanhNghiep": "5800123456",
    "MaSoThue": "5800123456",
    "TenDoanhNghiep": "Công ty TNHH Cà phê Đà Lạt",
    "SoDinhDanh": "068090000999",
    "loAs": ["LoA1", "LoA2"],
}


def test_maps_a_citizen_account() -> None:
    assert identity_from_claims(CITIZEN) == Identity(
        account_id="tech-1",
        kind=AccountKind.citizen,
        personal_id="068090000123",
        name="Nguyễn Văn An",
        date_of_birth=date(1985, 12, 31),
        assurance="LoA2",
    )


def test_maps_a_business_account_falling_back_to_sub_and_loas() -> None:
    identity = identity_from_claims(BUSINESS)
    assert identity.account_id == "sub-2"
    assert identity.kind is AccountKind.business
    assert identity.enterprise_code == "5800123456"
    assert identity.name == "Công ty TNHH Cà phê Đà Lạt"
    assert identity.personal_id == "068090000999"
    assert identity.assurance == "LoA2"


def test_uses_the_tax_code_when_no_enterprise_code_is_given() -> None:
    claims = {k: v for k, v in BUSINESS.items() if k != "MaSoDoanhNghiep"}
    assert identity_from_claims(claims).enterprise_code == "5800123456"


def test_names_are_nfc() -> None:
    decomposed = "Nguye\u0302\u0303n Va\u0306n An"
    assert identity_from_claims({**CITIZEN, "HoVaTen": decomposed}).name == "Nguyễn Văn An"


@pytest.mark.parametrize(
    ("claims", "claim"),
    [
        ({k: v for k, v in CITIZEN.items() if k not in {"sub", "TechID"}}, "TechID"),
        ({k: v for k, v in CITIZEN.items() if k != "LoaiTaiKhoan"}, "LoaiTaiKhoan"),
        ({**CITIZEN, "LoaiTaiKhoan": "3"}, "LoaiTaiKhoan"),
        ({k: v for k, v in CITIZEN.items() if k != "HoVaTen"}, "HoVaTen"),
        ({k: v for k, v in CITIZEN.items() if k != "SoDinhDanh"}, "SoDinhDanh"),
        ({**CITIZEN, "NgayThangNamSinh": "31/12/1985"}, "NgayThangNamSinh"),
        ({**CITIZEN, "HoVaTen": {"ho": "Nguyễn"}}, "HoVaTen"),
        ({k: v for k, v in BUSINESS.items() if k != "TenDoanhNghiep"}, "TenDoanhNghiep"),
        (
            {k: v for k, v in BUSINESS.items() if k not in {"MaSoDoanhNghiep", "MaSoThue"}},
            "MaSoDoanhNghiep",
        ),
    ],
)
def test_an_unusable_claim_is_named(claims: dict[str, Any], claim: str) -> None:
    with pytest.raises(MappingError) as raised:
        identity_from_claims(claims)
    assert raised.value.field == claim
    assert str(raised.value).startswith(f"{claim}: ")
