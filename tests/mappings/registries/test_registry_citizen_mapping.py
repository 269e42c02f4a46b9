"""The population registry's ``CongDan`` read into the canonical citizen, and the registry's form
of a name."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from mappings import (
    Address,
    BirthDate,
    Citizen,
    MappingError,
    RelatedPerson,
    Sex,
    citizen_from_registry,
    registry_name,
)


def address(ward: str, detail: str) -> dict[str, Any]:
    return {
        "MaTinhThanh": "38",
        "TenTinhThanh": "Thanh Hóa",
        "MaQuanHuyen": "380",
        "TenQuanHuyen": "Thành phố Thanh Hóa",
        "MaPhuongXa": "14755",
        "TenPhuongXa": ward,
        "ChiTiet": detail,
        "QuocGia": "VN",
    }


def full_record() -> dict[str, Any]:
    return {
        "SoDinhDanh": "038190012345",
        "SoCMND": "173456789",
        "HoVaTen": {"Ho": "Nguyễn", "ChuDem": "Thị Hồng", "Ten": "Nhung"},
        "GioiTinh": "2",
        "DanToc": "Kinh",
        "TonGiao": "Không",
        "TinhTrangHonNhan": "Đã kết hôn",
        "NhomMau": "O",
        "NgayThangNamSinh": {"NgayThangNam": "19900315"},
        "NoiDangKyKhaiSinh": address("Phường Đông Sơn", ""),
        "QueQuan": {"TenTinhThanh": "Nghệ An", "QuocGia": "VN"},
        "ThuongTru": address("Phường Đông Sơn", "Số 12 đường Bà Triệu"),
        "NoiOHienTai": address("Phường Điện Biên", "Số 5 ngõ 3 Lê Lợi"),
        "QuocTich": "Việt Nam",
        "Cha": {"SoDinhDanh": "038062001111", "HoVaTen": "Nguyễn Văn Hùng"},
        "Me": {"SoDinhDanh": "", "HoVaTen": {"Ho": "Lê", "ChuDem": "Thị", "Ten": "Mai"}},
        "VoChong": {"SoDinhDanh": "038088002222", "HoVaTen": "Lê Văn Thành"},
        "NguoiDaiDien": None,
        "ChuHo": {"QuanHe": "Vợ", "SoDinhDanh": "038088002222", "HoVaTen": "Lê Văn Thành"},
    }


def test_full_record_reads_into_every_field() -> None:
    birth_place = Address(
        province_code="38",
        province_name="Thanh Hóa",
        district_code="380",
        district_name="Thành phố Thanh Hóa",
        ward_code="14755",
        ward_name="Phường Đông Sơn",
        country="VN",
    )

    citizen = citizen_from_registry(full_record())

    assert citizen == Citizen(
        personal_id="038190012345",
        old_id="173456789",
        full_name="Nguyễn Thị Hồng Nhung",
        family_name="Nguyễn",
        middle_name="Thị Hồng",
        given_name="Nhung",
        sex=Sex.female,
        date_of_birth=BirthDate(year=1990, month=3, day=15),
        ethnicity="Kinh",
        religion="Không",
        marital_status="Đã kết hôn",
        blood_group="O",
        birth_registration_place=birth_place,
        home_town=Address(province_name="Nghệ An", country="VN"),
        permanent_address=birth_place.model_copy(update={"detail": "Số 12 đường Bà Triệu"}),
        current_address=birth_place.model_copy(
            update={"ward_name": "Phường Điện Biên", "detail": "Số 5 ngõ 3 Lê Lợi"}
        ),
        nationality="Việt Nam",
        father=RelatedPerson(personal_id="038062001111", name="Nguyễn Văn Hùng"),
        mother=RelatedPerson(name="Lê Thị Mai"),
        spouse=RelatedPerson(personal_id="038088002222", name="Lê Văn Thành"),
        household_head=RelatedPerson(personal_id="038088002222", name="Lê Văn Thành"),
        household_relation="Vợ",
    )
    assert citizen.date_of_birth is not None
    assert citizen.date_of_birth.as_date() == date(1990, 3, 15)


def test_minimal_record_reads_with_every_absent_value_none() -> None:
    citizen = citizen_from_registry(
        {"SoDinhDanh": "079203001122", "HoVaTen": {"Ho": "Trần", "Ten": "Bình"}}
    )

    assert citizen == Citizen(
        personal_id="079203001122", full_name="Trần Bình", family_name="Trần", given_name="Bình"
    )


def test_year_only_birth_date_and_numbers_as_zeep_gives_them_are_read() -> None:
    citizen = citizen_from_registry(
        {
            "SoDinhDanh": "001095012345",
            "SoCMND": None,
            "HoVaTen": {"Ho": "Phạm", "ChuDem": None, "Ten": "An"},
            "GioiTinh": 1,
            "NgayThangNamSinh": {"NgayThangNam": None, "Nam": "1995"},
            "ThuongTru": {"MaTinhThanh": None, "ChiTiet": ""},
        }
    )

    assert citizen.sex is Sex.male
    assert citizen.date_of_birth == BirthDate(year=1995)
    assert citizen.date_of_birth.as_date() is None
    assert citizen.permanent_address is None


def test_decomposed_names_are_read_as_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn")

    citizen = citizen_from_registry(
        {"SoDinhDanh": "001095012345", "HoVaTen": {"Ho": decomposed, "Ten": "An"}}
    )

    assert citizen.family_name == "Nguyễn"
    assert unicodedata.is_normalized("NFC", citizen.full_name)


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"SoDinhDanh": None}, "SoDinhDanh", "must carry the 12-digit personal ID"),
        ({"SoDinhDanh": "099095012345"}, "SoDinhDanh", "'099' is not a province code"),
        ({"SoDinhDanh": "03819001234"}, "SoDinhDanh", "a personal ID has 12 digits"),
        ({"SoCMND": "17345678"}, "SoCMND", "9 digits"),
        ({"HoVaTen": {"Ho": " ", "Ten": ""}}, "HoVaTen", "must carry the name"),
        ({"HoVaTen": "NGUYEN THI HONG NHUNG"}, "HoVaTen", "expected an element"),
        ({"GioiTinh": "3"}, "GioiTinh", "1 male, 2 female"),
        ({"GioiTinh": "Nữ"}, "GioiTinh", "1 male, 2 female"),
        (
            {"NgayThangNamSinh": {"NgayThangNam": "1990-03-15"}},
            "NgayThangNamSinh.NgayThangNam",
            "is not a date yyyyMMdd",
        ),
        (
            {"NgayThangNamSinh": {"NgayThangNam": "19900231"}},
            "NgayThangNamSinh.NgayThangNam",
            "is not a date yyyyMMdd",
        ),
        ({"NgayThangNamSinh": {"Nam": "90"}}, "NgayThangNamSinh.Nam", "is not a year yyyy"),
        ({"Cha": {"SoDinhDanh": "12345"}}, "Cha.SoDinhDanh", "a personal ID has 12 digits"),
        ({"ThuongTru": {"ChiTiet": ["a"]}}, "ThuongTru.ChiTiet", "expected text"),
        ({"ChuHo": {"QuanHe": True}}, "ChuHo.QuanHe", "expected text"),
    ],
)
def test_bad_registry_values_are_refused_naming_the_registry_field(
    changes: dict[str, Any], field: str, says: str
) -> None:
    with pytest.raises(MappingError) as caught:
        citizen_from_registry({**full_record(), **changes})

    assert caught.value.field == field
    assert says in caught.value.rule


def test_a_value_breaking_a_canonical_rule_names_the_canonical_field() -> None:
    with pytest.raises(ValidationError, match="ethnicity"):
        citizen_from_registry({**full_record(), "DanToc": "K" * 101})


def test_citizen_model_checks_the_personal_id_form() -> None:
    with pytest.raises(ValidationError, match="fourth digit '8'"):
        Citizen(personal_id="001895012345", full_name="Trần Bình")


@pytest.mark.parametrize(
    ("name", "form"),
    [
        ("Nguyễn Thị Đào", "NGUYEN THI DAO"),
        ("Trần  Văn\tĐức", "TRAN VAN DUC"),
        ("đặng ngọc ánh", "DANG NGOC ANH"),
        ("Ông Ích Khiêm", "ONG ICH KHIEM"),
        (unicodedata.normalize("NFD", "Lê Thị Hồng Nhung"), "LE THI HONG NHUNG"),
        ("Y Ngông Niê Kdăm", "Y NGONG NIE KDAM"),
    ],
)
def test_registry_name_is_upper_case_without_diacritics(name: str, form: str) -> None:
    assert registry_name(name) == form
