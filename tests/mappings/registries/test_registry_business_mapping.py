"""The business registry's ``GetEntCert`` read into the canonical business."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from mappings import (
    Address,
    Branch,
    Business,
    BusinessLine,
    LegalStatus,
    LegalStatusKind,
    MappingError,
    Representative,
    Sex,
    business_from_registry,
)


def full_record() -> dict[str, Any]:
    return {
        "MaSoDoanhNghiep": "2801234564",
        "SoGCNDKKD": "2801234564",
        "MaLoaiHinhDN": "2",
        "LoaiHinhDN": "Công ty trách nhiệm hữu hạn hai thành viên trở lên",
        "TenTiengViet": "Công ty TNHH Thương mại Sầm Sơn",
        "TenNuocNgoai": "Sam Son Trading Company Limited",
        "TenVietTat": "SAM SON TRADING",
        "NgayDangKyLanDau": "2015-03-02",
        "NgayDangKyThayDoi": "2024-11-20",
        "SoLanDangKyThayDoi": 4,
        "TinhTrangPhapLy": [
            {"TinhTrangPhapLy": "Đang hoạt động", "MaTinhTrangPhapLy": "1"},
            {
                "TinhTrangPhapLy": "Tạm ngừng kinh doanh",
                "MaTinhTrangPhapLy": "2",
                "NgayBatDauTamNgung": "2025-01-01",
                "NgayKetThucTamNgung": "2025-12-31",
                "LyDoTamNgung": "Sửa chữa cơ sở kinh doanh",
            },
        ],
        "DaiDienPhapLuat": [
            {
                "HoVaTen": "Lê Văn Thành",
                "SoGiayChungThuc": "038088002222",
                "ChucDanh": "Giám đốc",
                "NgaySinh": "1988-06-09",
                "GioiTinh": "Nam",
            },
            {"HoVaTen": "Phạm Thu Hà", "GioiTinh": "2"},
        ],
        "DiaChiTruSo": {
            "MaTinhThanh": "38",
            "TenTinhThanh": "Thanh Hóa",
            "MaQuanHuyen": "382",
            "TenQuanHuyen": "Thành phố Sầm Sơn",
            "MaPhuongXa": "14839",
            "TenPhuongXa": "Phường Trường Sơn",
            "ChiTiet": "Số 8 đường Hồ Xuân Hương",
        },
        "NganhNgheKinhDoanh": [
            {"MaNganh": "4690", "TenNganh": "Bán buôn tổng hợp", "LaNganhChinh": True},
            {"MaNganh": "5510", "TenNganh": "Dịch vụ lưu trú ngắn ngày", "LaNganhChinh": "0"},
        ],
        "ChiNhanh": [
            {"MaSoDoanhNghiep": "2801234564-001", "TenTiengViet": "Chi nhánh Hà Nội"},
        ],
    }


def test_check_digit_of_the_sample_code_follows_the_rule() -> None:
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    remainder = sum(int(d) * w for d, w in zip("280123456", weights, strict=True)) % 11

    assert 10 - remainder == 4


def test_full_record_reads_into_every_field() -> None:
    business = business_from_registry(full_record())

    assert business == Business(
        enterprise_code="2801234564",
        registration_number="2801234564",
        type_code="2",
        type_name="Công ty trách nhiệm hữu hạn hai thành viên trở lên",
        name="Công ty TNHH Thương mại Sầm Sơn",
        foreign_name="Sam Son Trading Company Limited",
        short_name="SAM SON TRADING",
        first_registered_on=date(2015, 3, 2),
        last_changed_on=date(2024, 11, 20),
        change_count=4,
        legal_statuses=[
            LegalStatus(status=LegalStatusKind.active, code="1"),
            LegalStatus(
                status=LegalStatusKind.suspended,
                code="2",
                since=date(2025, 1, 1),
                until=date(2025, 12, 31),
                reason="Sửa chữa cơ sở kinh doanh",
            ),
        ],
        status=LegalStatusKind.suspended,
        representatives=[
            Representative(
                name="Lê Văn Thành",
                personal_id="038088002222",
                position="Giám đốc",
                date_of_birth=date(1988, 6, 9),
                sex=Sex.male,
            ),
            Representative(name="Phạm Thu Hà", sex=Sex.female),
        ],
        head_office=Address(
            province_code="38",
            province_name="Thanh Hóa",
            district_code="382",
            district_name="Thành phố Sầm Sơn",
            ward_code="14839",
            ward_name="Phường Trường Sơn",
            detail="Số 8 đường Hồ Xuân Hương",
        ),
        business_lines=[
            BusinessLine(code="4690", name="Bán buôn tổng hợp", main=True),
            BusinessLine(code="5510", name="Dịch vụ lưu trú ngắn ngày", main=False),
        ],
        branches=[Branch(code="2801234564-001", name="Chi nhánh Hà Nội")],
    )


def test_minimal_record_reads_with_empty_lists_and_no_status() -> None:
    business = business_from_registry(
        {"MaSoDoanhNghiep": "0100109106", "TenTiengViet": "Tập đoàn Viettel", "TenVietTat": ""}
    )

    assert business == Business(enterprise_code="0100109106", name="Tập đoàn Viettel")
    assert business.status is None
    assert business.short_name is None


def test_current_status_is_the_last_of_the_history() -> None:
    record = {
        **full_record(),
        "TinhTrangPhapLy": [{"MaTinhTrangPhapLy": "2"}, {"MaTinhTrangPhapLy": "3"}],
    }

    assert business_from_registry(record).status is LegalStatusKind.dissolved


def test_registry_code_with_a_check_digit_mismatch_is_read_as_the_registry_says() -> None:
    business = business_from_registry({**full_record(), "MaSoDoanhNghiep": "2801234565"})

    assert business.enterprise_code == "2801234565"


def test_business_round_trips_through_its_json_form() -> None:
    business = business_from_registry(full_record())

    assert Business.model_validate_json(business.model_dump_json()) == business


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"MaSoDoanhNghiep": ""}, "MaSoDoanhNghiep", "must carry the enterprise code"),
        ({"MaSoDoanhNghiep": "280123456"}, "MaSoDoanhNghiep", "10 digits"),
        ({"TenTiengViet": None}, "TenTiengViet", "must carry the Vietnamese name"),
        ({"NgayDangKyLanDau": "02/03/2015"}, "NgayDangKyLanDau", "not a date yyyy-MM-dd"),
        ({"NgayDangKyThayDoi": "2024-02-30"}, "NgayDangKyThayDoi", "not a date yyyy-MM-dd"),
        ({"SoLanDangKyThayDoi": "-1"}, "SoLanDangKyThayDoi", "not a count"),
        (
            {"TinhTrangPhapLy": [{"MaTinhTrangPhapLy": "1"}, {"MaTinhTrangPhapLy": "9"}]},
            "TinhTrangPhapLy[1].MaTinhTrangPhapLy",
            "'9' is not a legal status code",
        ),
        (
            {"TinhTrangPhapLy": [{"NgayBatDauTamNgung": "2025-13-01", "MaTinhTrangPhapLy": "2"}]},
            "TinhTrangPhapLy[0].NgayBatDauTamNgung",
            "not a date yyyy-MM-dd",
        ),
        ({"TinhTrangPhapLy": {"MaTinhTrangPhapLy": "1"}}, "TinhTrangPhapLy", "expected a list"),
        ({"DaiDienPhapLuat": ["Lê Văn Thành"]}, "DaiDienPhapLuat[0]", "expected an object"),
        (
            {"DaiDienPhapLuat": [{"HoVaTen": "Lê Văn Thành", "GioiTinh": "X"}]},
            "DaiDienPhapLuat[0].GioiTinh",
            "is not a sex",
        ),
        ({"DaiDienPhapLuat": [{"ChucDanh": "Giám đốc"}]}, "DaiDienPhapLuat[0].HoVaTen", "name"),
        (
            {"NganhNgheKinhDoanh": [{"MaNganh": "4690", "LaNganhChinh": "có"}]},
            "NganhNgheKinhDoanh[0].LaNganhChinh",
            "is not a flag",
        ),
        (
            {"ChiNhanh": [{"MaSoDoanhNghiep": "2801234564-000"}]},
            "ChiNhanh[0].MaSoDoanhNghiep",
            "branch numbers run from 001 to 999",
        ),
        ({"DiaChiTruSo": "Sầm Sơn"}, "DiaChiTruSo", "expected an object"),
    ],
)
def test_bad_registry_values_are_refused_naming_the_registry_field(
    changes: dict[str, Any], field: str, says: str
) -> None:
    with pytest.raises(MappingError) as caught:
        business_from_registry({**full_record(), **changes})

    assert caught.value.field == field
    assert says in caught.value.rule


def test_a_suspension_ending_before_it_starts_is_refused() -> None:
    statuses = [
        {
            "MaTinhTrangPhapLy": "2",
            "NgayBatDauTamNgung": "2025-06-01",
            "NgayKetThucTamNgung": "2025-01-01",
        }
    ]

    with pytest.raises(ValidationError, match="cannot end"):
        business_from_registry({**full_record(), "TinhTrangPhapLy": statuses})
