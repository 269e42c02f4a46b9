"""Reading the portal's objects: what it sends is checked, and a refusal names the portal field."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from mappings import (
    Dossier,
    DossierStatus,
    IdType,
    MappingError,
    PortalDossier,
    PortalProgress,
    ProgressStep,
    from_portal_dossier,
    from_portal_progress,
    to_portal_dossier,
    to_portal_progress,
)

CODE = "000.00.01.H56-250301-00012"


def _portal(dossier: Dossier, **changes: Any) -> PortalDossier:
    return PortalDossier.model_validate({**to_portal_dossier(dossier).model_dump(), **changes})


def _refusal(portal: PortalDossier, **kwargs: Any) -> MappingError:
    with pytest.raises(MappingError) as caught:
        from_portal_dossier(portal, **kwargs)
    return caught.value


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("NgayTiepNhan", "2025-03-01 09:00:00"),
        ("NgayHenTra", "202503011700"),
        ("NgayTra", "20250230100000"),
        ("NgayKetThucXuLy", "20250301250000"),
        ("NgayTuChoi", "yesterday"),
        ("NgayNopHoSo", "๒๐๒๕๐๓๐๑๐๙๐๐๐๐"),
    ],
)
def test_bad_date_string_is_refused_naming_the_field_and_the_format(
    full_dossier: Dossier, field: str, value: str
) -> None:
    error = _refusal(_portal(full_dossier, **{field: value}))

    assert error.field == field
    assert "yyyyMMddHHmmss" in str(error)
    assert repr(value) in str(error)


def test_bad_date_in_a_list_names_the_item(full_dossier: Dossier) -> None:
    portal = to_portal_dossier(full_dossier)
    supplement = portal.DanhSachHoSoBoSung[0].model_copy(update={"NgayBoSung": "01/03/2025"})

    error = _refusal(portal.model_copy(update={"DanhSachHoSoBoSung": [supplement]}))

    assert error.field == "DanhSachHoSoBoSung[0].NgayBoSung"


def test_empty_or_blank_date_is_no_date(full_dossier: Dossier) -> None:
    dossier = from_portal_dossier(_portal(full_dossier, NgayTra="", NgayTuChoi="  "))

    assert dossier.returned_at is None
    assert dossier.refused_at is None


@pytest.mark.parametrize("code", ["0", "11", "processing", ""])
def test_unknown_status_code_is_refused_listing_the_known_codes(
    minimal_dossier: Dossier, code: str
) -> None:
    error = _refusal(_portal(minimal_dossier, TrangThaiHoSo=code))

    assert error.field == "TrangThaiHoSo"
    assert f"{code!r} is not a TrangThaiHoSo code" in str(error)
    assert "4 = processing" in str(error)


def test_unknown_progress_status_is_refused_naming_trang_thai(
    progress_step: ProgressStep,
) -> None:
    portal = to_portal_progress(CODE, progress_step).model_copy(update={"TrangThai": "12"})

    with pytest.raises(MappingError, match=r"^TrangThai: '12' is not a TrangThaiHoSo code"):
        from_portal_progress(portal)


@pytest.mark.parametrize(
    ("field", "value"),
    [("KenhThucHien", "4"), ("LoaiDoiTuong", "5"), ("HinhThuc", "9")],
)
def test_unknown_code_of_any_table_is_refused_naming_the_field(
    minimal_dossier: Dossier, field: str, value: str
) -> None:
    assert _refusal(_portal(minimal_dossier, **{field: value})).field == field


def test_unknown_identifier_kind_is_refused_naming_the_item(minimal_dossier: Dossier) -> None:
    portal = _portal(minimal_dossier, DinhDanhCHS=[{"LoaiDinhDanh": "9", "SoDinhDanh": "B123"}])

    assert _refusal(portal).field == "DinhDanhCHS[0].LoaiDinhDanh"


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("MaHoSo", "HS-0001", "is not a dossier code"),
        ("DonViXuLy", "H56", "is not a unit identifier"),
        ("MaTTHC", "TTHC-1", "is not a procedure code"),
    ],
)
def test_code_of_another_form_is_refused_naming_the_portal_field(
    minimal_dossier: Dossier, field: str, value: str, rule: str
) -> None:
    error = _refusal(_portal(minimal_dossier, **{field: value}))

    assert error.field == field
    assert rule in str(error)


def test_bad_flag_is_refused_naming_the_item(full_dossier: Dossier) -> None:
    portal = to_portal_dossier(full_dossier)
    document = portal.TaiLieuNop[1].model_copy(update={"IsDeleted": "Yes"})

    error = _refusal(portal.model_copy(update={"TaiLieuNop": [portal.TaiLieuNop[0], document]}))

    assert error.field == "TaiLieuNop[1].IsDeleted"
    assert "0 or 1" in str(error)


@pytest.mark.parametrize("value", ["1", "True", "true", " TRUE "])
def test_flags_are_read_as_one_or_true(minimal_dossier: Dossier, value: str) -> None:
    dossier = from_portal_dossier(_portal(minimal_dossier, DuocThanhToanTrucTuyen=value))

    assert dossier.paid_online is True


@pytest.mark.parametrize("value", ["8,000", "8000 VND", "-8000", "1e3", ""])
def test_amount_that_is_not_a_plain_decimal_is_refused(full_dossier: Dossier, value: str) -> None:
    portal = to_portal_dossier(full_dossier)
    fee = portal.DanhSachLePhi[0].model_copy(update={"Gia": value})

    error = _refusal(portal.model_copy(update={"DanhSachLePhi": [fee]}))

    assert error.field == "DanhSachLePhi[0].Gia"
    assert "plain decimal" in str(error)


def test_count_that_is_not_a_number_is_refused(full_dossier: Dossier) -> None:
    portal = to_portal_dossier(full_dossier)
    other = portal.DanhSachTepDinhKemKhac[0].model_copy(update={"SoLuong": "hai"})

    error = _refusal(portal.model_copy(update={"DanhSachTepDinhKemKhac": [other]}))

    assert error.field == "DanhSachTepDinhKemKhac[0].SoLuong"


def test_summary_over_1000_characters_is_refused_by_the_wire_object(
    minimal_dossier: Dossier,
) -> None:
    with pytest.raises(ValidationError, match=r"TrichYeuHoSo\n.*at most 1000 characters"):
        _portal(minimal_dossier, TrichYeuHoSo="a" * 1001)


def test_officer_over_50_characters_is_refused_by_the_wire_object() -> None:
    with pytest.raises(ValidationError, match=r"NguoiXuLy\n.*at most 50 characters"):
        PortalProgress(MaHoSo=CODE, NguoiXuLy="x" * 51)


def test_canonical_rule_broken_by_portal_content_names_the_canonical_field(
    minimal_dossier: Dossier,
) -> None:
    with pytest.raises(ValidationError, match=r"applicant\.name\n"):
        from_portal_dossier(_portal(minimal_dossier, ChuHoSo="   "))


def test_progress_of_another_dossier_is_refused(
    minimal_dossier: Dossier, progress_step: ProgressStep
) -> None:
    other = to_portal_progress(CODE, progress_step)

    error = _refusal(_portal(minimal_dossier), progress=[other])

    assert error.field == "progress[0].MaHoSo"


def test_progress_without_a_time_is_refused(progress_step: ProgressStep) -> None:
    portal = to_portal_progress(CODE, progress_step).model_copy(update={"ThoiDiemXuLy": ""})

    with pytest.raises(MappingError, match=r"^ThoiDiemXuLy: "):
        from_portal_progress(portal)


def test_applicant_id_type_is_read_from_the_form_of_the_number(minimal_dossier: Dossier) -> None:
    def id_type(number: str) -> IdType | None:
        return from_portal_dossier(
            _portal(minimal_dossier, SoGiayToChuHoSo=number)
        ).applicant.id_type

    assert id_type("038190012345") == IdType.personal_id
    assert id_type("173456789") == IdType.old_id
    assert id_type("0100109106-001") == IdType.enterprise_code
    assert id_type("C1234567") is None


def test_fields_beyond_the_documented_ones_are_kept_on_the_wire_and_ignored_in_the_dossier(
    minimal_dossier: Dossier,
) -> None:
    portal = PortalDossier.model_validate(
        {**to_portal_dossier(minimal_dossier).model_dump(), "MaHoSoCu": "X-1"}
    )

    assert portal.model_dump()["MaHoSoCu"] == "X-1"
    assert from_portal_dossier(portal) == minimal_dossier


def test_codes_sent_as_numbers_are_read_as_strings(minimal_dossier: Dossier) -> None:
    data = {**to_portal_dossier(minimal_dossier).model_dump(), "TrangThaiHoSo": 4}

    assert (
        from_portal_dossier(PortalDossier.model_validate(data)).status == DossierStatus.processing
    )
