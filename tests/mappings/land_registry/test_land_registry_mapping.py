"""The land system's format: a dossier as TiepNhanHoSo against a golden file, the supplement
and the handover, progress and parcel records read into the canonical models, and the rules a
value breaks named by its field."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from mappings.dossier import Dossier
from mappings.errors import MappingError
from mappings.land_registry import (
    DEFAULT_STATUS_CODES,
    LandOffice,
    LandStatus,
    Supplement,
    WireParcel,
    WireProgress,
    parcel_from_wire,
    progress_from_wire,
    status_table,
    to_wire_handover,
    to_wire_intake,
    to_wire_supplement,
)

HERE = Path(__file__).parent
OFFICE = LandOffice(province_id=68, receiver="Bộ phận tiếp nhận và trả kết quả")
STATUSES = status_table(DEFAULT_STATUS_CODES)


def dossier(**changes: Any) -> Dossier:
    body: dict[str, Any] = {
        "code": "000.00.01.H56-261102-00001",
        "procedure": {"code": "1.012783", "name": "Cấp đổi Giấy chứng nhận quyền sử dụng đất"},
        "receipt_number": "BN-00001",
        "channel": "in_person",
        "applicant": {
            "kind": "citizen",
            "name": "Nguyễn Thị Hồng Nhung",
            "id_type": "personal_id",
            "id_number": "068195001234",
            "phone": "0912345678",
            "email": "nhung@example.vn",
        },
        "status": "received",
        "handling_unit": "000.00.01.H56",
        "submission_place": "Thôn 2, Xã Hiệp Thạnh, Huyện Đức Trọng, Lâm Đồng",
        "received_at": "2026-11-02T08:30:00+07:00",
        "due_at": "2026-11-30T17:00:00+07:00",
        "documents": [
            {"id": "d1", "name": "Đơn đăng ký biến động", "url": "https://mc.example/d1.pdf"},
            {"id": "d2", "name": "Bản sao căn cước"},
            {"id": "d3", "name": "Giấy tờ đã rút", "deleted": True},
        ],
    }
    body.update(changes)
    return Dossier.model_validate(body)


def test_a_land_dossier_is_tiepnhanhoso_as_the_golden_file() -> None:
    wire = to_wire_intake(dossier(), OFFICE).model_dump(mode="json", exclude_none=True)
    golden = json.loads((HERE / "intake.json").read_text(encoding="utf-8"))
    assert wire == golden


def test_times_are_sent_on_the_vietnam_clock_whatever_offset_they_came_with() -> None:
    wire = to_wire_intake(dossier(received_at="2026-11-02T01:30:00Z"), OFFICE)
    assert wire.NgayTiepNhan == "2026-11-02T08:30:00"


def test_without_a_receipt_number_the_dossier_code_is_the_receipt() -> None:
    wire = to_wire_intake(dossier(receipt_number=None), OFFICE)
    assert wire.SoBienNhan == "000.00.01.H56-261102-00001"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"receipt_number": "B" * 51}, "receipt_number"), ({"received_at": None}, "received_at")],
)
def test_what_the_land_format_cannot_carry_names_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(MappingError) as raised:
        to_wire_intake(dossier(**changes), OFFICE)
    assert raised.value.field == field


def test_the_supplement_and_the_handover() -> None:
    supplement = Supplement.model_validate(
        {
            "new_due_at": "2026-12-05T17:00:00+07:00",
            "note": "Đã bổ sung trích đo",
            "documents": [{"name": "Trích đo địa chính", "url": "https://mc.example/td.pdf"}],
        }
    )
    wire = to_wire_supplement("BN-00001", supplement).model_dump(mode="json", exclude_none=True)
    assert wire == {
        "SoBienNhan": "BN-00001",
        "NgayHenTraMoi": "2026-12-05T17:00:00",
        "GhiChu": "Đã bổ sung trích đo",
        "DanhSachGiayToBoSung": [
            {
                "TenGiayTo": "Trích đo địa chính",
                "SoBanChinh": 1,
                "SoBanSao": 0,
                "TapTin": {"name": "Trích đo địa chính", "DuongDan": "https://mc.example/td.pdf"},
            }
        ],
    }
    handover = to_wire_handover("BN-00001", supplement.new_due_at)
    assert handover.model_dump() == {"SoBienNhan": "BN-00001", "NgayTra": "2026-12-05T17:00:00"}


def test_progress_is_read_with_its_results_and_history() -> None:
    pdf = b"%PDF-1.4 certificate"
    wire = WireProgress.model_validate(
        {
            "SoBienNhan": "BN-00001",
            "MaHoSoMotCua": "000.00.01.H56-261102-00001",
            "TrangThai": 4,
            "TenTrangThai": "Đã có kết quả",
            "ThoiDiemCapNhat": "2026-11-20T10:00:00",
            "KetQua": [
                {
                    "TenGiayTo": "Giấy chứng nhận",
                    "SoHieu": "GCN-1",
                    "NgayKy": "2026-11-20",
                    "TapTin": {"name": "gcn.pdf", "data": base64.b64encode(pdf).decode()},
                }
            ],
            "LichSu": [
                {"TrangThai": 1, "ThoiDiem": "2026-11-02T09:00:00"},
                {"TrangThai": 4, "ThoiDiem": "2026-11-20T10:00:00", "NoiDung": "Đã ký"},
            ],
        }
    )
    progress = progress_from_wire(wire, STATUSES)
    assert progress.status is LandStatus.resolved
    assert progress.updated_at.isoformat() == "2026-11-20T10:00:00+07:00"
    assert (progress.results[0].number, progress.results[0].size) == ("GCN-1", len(pdf))
    assert progress.contents == [pdf]
    assert [s.status for s in progress.history] == [LandStatus.received, LandStatus.resolved]
    assert "contents" not in progress.model_dump()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"TrangThai": 9}, "TrangThai"),
        ({"ThoiDiemCapNhat": "20/11/2026"}, "ThoiDiemCapNhat"),
        ({"KetQua": [{"TenGiayTo": "GCN", "TapTin": {"data": "not base64!"}}]}, "KetQua[0]"),
    ],
)
def test_progress_it_cannot_read_names_the_field(changes: dict[str, Any], field: str) -> None:
    raw = {"SoBienNhan": "BN-1", "TrangThai": 1, "ThoiDiemCapNhat": "2026-11-02T09:00:00"}
    with pytest.raises(MappingError) as raised:
        progress_from_wire(WireProgress.model_validate({**raw, **changes}), STATUSES)
    assert raised.value.field.startswith(field)


def test_a_parcel_record_is_read_into_the_canonical_parcel() -> None:
    parcel = parcel_from_wire(
        WireParcel.model_validate(
            {
                "MaXa": "24820",
                "SoHieuBanDo": 12,
                "SoThuTuThua": "345",
                "DienTich": "150,5",
                "MucDichSuDung": "ONT",
                "GiayChungNhan": {"SoPhatHanh": "DA 123456", "NgayCap": "2019-05-10"},
                "ChuSuDung": [{"HoTen": "Nguyễn Văn An", "SoGiayTo": 1095012345, "NamSinh": 1995}],
                "DangKyBienDong": ["Thế chấp tại Ngân hàng"],
            }
        )
    )
    assert parcel.ref.label() == "24820/12/345"
    assert parcel.area == 150.5
    assert parcel.certificate is not None and parcel.certificate.issued_on is not None
    assert parcel.owners[0].id_number == "1095012345"
    with pytest.raises(MappingError, match="DienTich"):
        parcel_from_wire(
            WireParcel.model_validate(
                {
                    "MaXa": "24820",
                    "SoHieuBanDo": "12",
                    "SoThuTuThua": "345",
                    "DienTich": "rộng",
                    "MucDichSuDung": "ONT",
                }
            )
        )


def test_a_status_table_without_every_status_is_refused() -> None:
    with pytest.raises(MappingError, match="none for refused"):
        status_table("1=received,2=processing,3=supplement_requested,4=resolved,5=returned")
    with pytest.raises(MappingError, match="'7=lost' is not code=status"):
        status_table(DEFAULT_STATUS_CODES + ",7=lost")
