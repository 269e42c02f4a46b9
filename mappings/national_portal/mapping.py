"""The canonical dossier and progress step, to and from the portal's own objects.

Writing (``to_portal_*``) takes a validated canonical model, so it fails only where the portal has
no code for a value (say an identifier type missing from ``LoaiDinhDanh``); reading
(``from_portal_*``) checks every portal format and raises ``MappingError`` naming the portal field
(``NgayTiepNhan``, ``TaiLieuNop[2].IsDeleted``), or pydantic's ``ValidationError`` naming the
canonical field when a value breaks a canonical rule (a name too long, say). Both take the
province's ``overrides`` and the ``codes`` they apply to (the national tables unless given).

Field by field (canonical → portal):

==================================  ============================================
``code``                            ``MaHoSo``
``procedure.code`` / ``.name``      ``MaTTHC`` (national form) / ``TenTTHC``
``field.code`` / ``.name``          ``MaLinhVuc`` / ``TenLinhVuc``
``receipt_number``                  ``SoBienNhan``
``channel``                         ``KenhThucHien``
``applicant.name``                  ``ChuHoSo``
``applicant.id_number``             ``SoGiayToChuHoSo``
``applicant.kind``                  ``LoaiDoiTuong``
``applicant.subject_code``          ``MaDoiTuong``
``applicant.other_info``            ``ThongTinKhac``
``applicant.email/fax/phone``       ``Email`` / ``Fax`` / ``SoDienThoai``
``applicant.identifiers[]``         ``DinhDanhCHS[]`` (``LoaiDinhDanh``, ``SoDinhDanh``)
``applicant.verified_with_vneid``   ``TaiKhoanDuocXacThucVoiVNeID``
``summary``                         ``TrichYeuHoSo``
``status``                          ``TrangThaiHoSo``
``handling_unit``                   ``DonViXuLy``
``submitted_at``                    ``NgayNopHoSo``
``received_at``                     ``NgayTiepNhan``
``due_at``                          ``NgayHenTra``
``returned_at``                     ``NgayTra``
``finished_at``                     ``NgayKetThucXuLy``
``refused_at``                      ``NgayTuChoi``
``return_info``                     ``ThongTinTra``
``result_delivery``                 ``HinhThuc``
``submission_place``                ``NoiNopHoSo``
``note``                            ``GhiChu``
``has_digitised_documents``         ``HoSoCoThanhPhanSoHoa``
``paid_online``                     ``DuocThanhToanTrucTuyen``
``connected_databases[]``           ``DSKetNoiCSDL[].MaCSDL``
``documents[]``                     ``TaiLieuNop[]``
``other_documents[]``               ``DanhSachTepDinhKemKhac[]``
``fees[]``                          ``DanhSachLePhi[]``
``supplements[]``                   ``DanhSachHoSoBoSung[]``
``results[]``                       ``DanhSachGiayToKetQua[]``
``progress[]``                      ``CapNhatTienDoHoSoMC`` objects, sent apart
==================================  ============================================

Absent values are ``""`` on the portal; flags are ``"0"``/``"1"`` except ``IsDeleted``
(``"True"``/``"False"``); ``Gia`` is a plain decimal string (``"50000"``, ``"12500.50"``).

``from_portal_dossier(to_portal_dossier(d), progress=[to_portal_progress(d.code, s) for s in
d.progress])`` equals ``d``, except where the portal has no room for a value:

- ``applicant.id_type`` has no portal field; it is read back as the type the number's form shows
  (12 digits: personal ID, 9 digits: old ID, 10 or 10-3 digits: enterprise code), else ``None``;
- ``applicant.date_of_birth`` has no portal field; it comes back ``None``;
- ``applicant.allow_check_digit_mismatch`` has no portal field; it comes back true exactly when
  the applicant's enterprise code fails its check digit (the portal holding it is the override);
- times keep whole seconds only, and come back on the Asia/Ho_Chi_Minh clock (the same instant,
  so they compare equal);
- a local procedure code is sent in national form; it comes back local only if the overrides
  list it or give a ``local_suffix`` (see ``mappings.overrides``);
- ``progress`` is not part of the portal's dossier object, so it comes back only from the
  progress objects passed in;
- fields the portal sends beyond its documented ones are not carried into the canonical model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from mappings.dossier import (
    Dossier,
    Fee,
    IdType,
    OtherDocument,
    ProgressStep,
    Result,
    SubmittedDocument,
    SupplementRequest,
    id_type_of,
)
from mappings.errors import MappingError
from mappings.identifiers import check_dossier_code, check_procedure_code, check_unit_id
from mappings.national_portal.codes import NATIONAL_CODES, CodeTables
from mappings.national_portal.dates import format_portal_time, parse_portal_time
from mappings.national_portal.wire import (
    DinhDanhCHS,
    GiayToKetQua,
    HoSoBoSung,
    KetNoiCSDL,
    LePhi,
    PortalDossier,
    PortalProgress,
    TaiLieuNop,
    TepDinhKemKhac,
)
from mappings.overrides import NO_OVERRIDES, ProvinceOverrides
from mappings.registries.enterprise_code import CheckDigitMismatch, check_enterprise_code

MONEY_RULE = "an amount is a plain decimal string, e.g. 50000 or 12500.50"
COUNT_RULE = "a count is a whole number of digits, e.g. 2"
FLAG_RULE = "a flag is 0 or 1 (True or False is read too)"

_MONEY_RE = re.compile(r"[0-9]+(\.[0-9]+)?")
_COUNT_RE = re.compile(r"[0-9]+")
_TRUE = frozenset({"1", "true"})
_FALSE = frozenset({"0", "false", ""})


def to_portal_dossier(
    dossier: Dossier,
    *,
    overrides: ProvinceOverrides = NO_OVERRIDES,
    codes: CodeTables = NATIONAL_CODES,
) -> PortalDossier:
    """The ``DongBoHoSoMC`` object for ``dossier``; its progress goes by ``to_portal_progress``."""
    tables = overrides.code_tables(codes)
    applicant = dossier.applicant
    return PortalDossier(
        MaHoSo=dossier.code,
        MaTTHC=overrides.national_procedure_code(dossier.procedure.code),
        TenTTHC=dossier.procedure.name,
        MaLinhVuc=dossier.field.code if dossier.field else "",
        TenLinhVuc=dossier.field.name if dossier.field else "",
        SoBienNhan=_text(dossier.receipt_number),
        KenhThucHien=tables.channel.code(dossier.channel, "channel"),
        ChuHoSo=applicant.name,
        SoGiayToChuHoSo=_text(applicant.id_number),
        LoaiDoiTuong=tables.applicant_kind.code(applicant.kind, "applicant.kind"),
        MaDoiTuong=_text(applicant.subject_code),
        ThongTinKhac=_text(applicant.other_info),
        Email=_text(applicant.email),
        Fax=_text(applicant.fax),
        SoDienThoai=_text(applicant.phone),
        TrichYeuHoSo=dossier.summary,
        NgayTiepNhan=format_portal_time(dossier.received_at, "received_at"),
        NgayHenTra=format_portal_time(dossier.due_at, "due_at"),
        TrangThaiHoSo=tables.status.code(dossier.status, "status"),
        NgayTra=format_portal_time(dossier.returned_at, "returned_at"),
        ThongTinTra=_text(dossier.return_info),
        HinhThuc=(
            tables.result_delivery.code(dossier.result_delivery, "result_delivery")
            if dossier.result_delivery
            else ""
        ),
        NgayKetThucXuLy=format_portal_time(dossier.finished_at, "finished_at"),
        DonViXuLy=dossier.handling_unit,
        GhiChu=_text(dossier.note),
        TaiLieuNop=[_to_document(document) for document in dossier.documents],
        DanhSachLePhi=[_to_fee(fee) for fee in dossier.fees],
        DanhSachTepDinhKemKhac=[_to_other_document(other) for other in dossier.other_documents],
        DanhSachHoSoBoSung=[
            _to_supplement(supplement, f"supplements[{index}]")
            for index, supplement in enumerate(dossier.supplements)
        ],
        DanhSachGiayToKetQua=[_to_result(result) for result in dossier.results],
        NoiNopHoSo=_text(dossier.submission_place),
        HoSoCoThanhPhanSoHoa=_flag(dossier.has_digitised_documents),
        TaiKhoanDuocXacThucVoiVNeID=_flag(applicant.verified_with_vneid),
        DuocThanhToanTrucTuyen=_flag(dossier.paid_online),
        NgayTuChoi=format_portal_time(dossier.refused_at, "refused_at"),
        NgayNopHoSo=format_portal_time(dossier.submitted_at, "submitted_at"),
        DinhDanhCHS=[
            DinhDanhCHS(
                LoaiDinhDanh=tables.id_type.code(
                    identifier.type, f"applicant.identifiers[{index}].type"
                ),
                SoDinhDanh=identifier.number,
            )
            for index, identifier in enumerate(applicant.identifiers)
        ],
        DSKetNoiCSDL=[KetNoiCSDL(MaCSDL=database) for database in dossier.connected_databases],
    )


def from_portal_dossier(
    portal: PortalDossier,
    *,
    progress: Sequence[PortalProgress] = (),
    overrides: ProvinceOverrides = NO_OVERRIDES,
    codes: CodeTables = NATIONAL_CODES,
) -> Dossier:
    """The canonical dossier the portal describes, with ``progress`` (objects of this dossier,
    in order) as its history."""
    tables = overrides.code_tables(codes)
    code = _checked(check_dossier_code, portal.MaHoSo, "MaHoSo")
    steps = []
    for index, item in enumerate(progress):
        item_code, step = from_portal_progress(item, overrides=overrides, codes=codes)
        if item_code != code:
            raise MappingError(
                f"progress[{index}].MaHoSo",
                f"{item_code!r} is not the dossier's code {code!r}; "
                "a dossier's history holds only its own steps",
            )
        steps.append(step)
    applicant = {
        "kind": tables.applicant_kind.value(portal.LoaiDoiTuong, "LoaiDoiTuong"),
        "name": portal.ChuHoSo,
        "id_type": id_type_of(portal.SoGiayToChuHoSo),
        "id_number": portal.SoGiayToChuHoSo,
        "allow_check_digit_mismatch": _fails_check_digit(portal.SoGiayToChuHoSo),
        "identifiers": [
            {
                "type": tables.id_type.value(
                    item.LoaiDinhDanh, f"DinhDanhCHS[{index}].LoaiDinhDanh"
                ),
                "number": item.SoDinhDanh,
            }
            for index, item in enumerate(portal.DinhDanhCHS)
        ],
        "subject_code": portal.MaDoiTuong,
        "email": portal.Email,
        "phone": portal.SoDienThoai,
        "fax": portal.Fax,
        "other_info": portal.ThongTinKhac,
        "verified_with_vneid": _read_flag(
            portal.TaiKhoanDuocXacThucVoiVNeID, "TaiKhoanDuocXacThucVoiVNeID"
        ),
    }
    has_field = bool(portal.MaLinhVuc.strip() or portal.TenLinhVuc.strip())
    return Dossier.model_validate(
        {
            "code": code,
            "procedure": {
                "code": overrides.local_procedure_code(
                    _checked(check_procedure_code, portal.MaTTHC, "MaTTHC")
                ),
                "name": portal.TenTTHC,
            },
            "field": {"code": portal.MaLinhVuc, "name": portal.TenLinhVuc} if has_field else None,
            "receipt_number": portal.SoBienNhan,
            "channel": tables.channel.value(portal.KenhThucHien, "KenhThucHien"),
            "applicant": applicant,
            "summary": portal.TrichYeuHoSo,
            "status": tables.status.value(portal.TrangThaiHoSo, "TrangThaiHoSo"),
            "handling_unit": _checked(check_unit_id, portal.DonViXuLy, "DonViXuLy"),
            "submitted_at": parse_portal_time(portal.NgayNopHoSo, "NgayNopHoSo"),
            "received_at": parse_portal_time(portal.NgayTiepNhan, "NgayTiepNhan"),
            "due_at": parse_portal_time(portal.NgayHenTra, "NgayHenTra"),
            "returned_at": parse_portal_time(portal.NgayTra, "NgayTra"),
            "finished_at": parse_portal_time(portal.NgayKetThucXuLy, "NgayKetThucXuLy"),
            "refused_at": parse_portal_time(portal.NgayTuChoi, "NgayTuChoi"),
            "return_info": portal.ThongTinTra,
            "result_delivery": (
                tables.result_delivery.value(portal.HinhThuc, "HinhThuc")
                if portal.HinhThuc.strip()
                else None
            ),
            "submission_place": portal.NoiNopHoSo,
            "note": portal.GhiChu,
            "has_digitised_documents": _read_flag(
                portal.HoSoCoThanhPhanSoHoa, "HoSoCoThanhPhanSoHoa"
            ),
            "paid_online": _read_flag(portal.DuocThanhToanTrucTuyen, "DuocThanhToanTrucTuyen"),
            "connected_databases": [item.MaCSDL for item in portal.DSKetNoiCSDL],
            "documents": [
                _from_document(item, f"TaiLieuNop[{index}]")
                for index, item in enumerate(portal.TaiLieuNop)
            ],
            "other_documents": [
                _from_other_document(item, f"DanhSachTepDinhKemKhac[{index}]")
                for index, item in enumerate(portal.DanhSachTepDinhKemKhac)
            ],
            "fees": [
                _from_fee(item, f"DanhSachLePhi[{index}]")
                for index, item in enumerate(portal.DanhSachLePhi)
            ],
            "supplements": [
                _from_supplement(item, f"DanhSachHoSoBoSung[{index}]")
                for index, item in enumerate(portal.DanhSachHoSoBoSung)
            ],
            "results": [_from_result(item) for item in portal.DanhSachGiayToKetQua],
            "progress": steps,
        }
    )


def to_portal_progress(
    code: str,
    step: ProgressStep,
    *,
    overrides: ProvinceOverrides = NO_OVERRIDES,
    codes: CodeTables = NATIONAL_CODES,
) -> PortalProgress:
    """The ``CapNhatTienDoHoSoMC`` object for ``step`` of the dossier ``code``."""
    tables = overrides.code_tables(codes)
    return PortalProgress(
        MaHoSo=_checked(check_dossier_code, code, "code"),
        NguoiXuLy=step.officer,
        ChucDanh=_text(step.position),
        ThoiDiemXuLy=format_portal_time(step.at, "at"),
        PhongBanXuLy=_text(step.department),
        NoiDungXuLy=step.content,
        TrangThai=tables.status.code(step.status, "status"),
        NgayBatDau=format_portal_time(step.started_at, "started_at"),
        NgayKetThucTheoQuyDinh=format_portal_time(step.due_at, "due_at"),
    )


def from_portal_progress(
    portal: PortalProgress,
    *,
    overrides: ProvinceOverrides = NO_OVERRIDES,
    codes: CodeTables = NATIONAL_CODES,
) -> tuple[str, ProgressStep]:
    """The dossier code and the canonical step the portal's progress object describes."""
    tables = overrides.code_tables(codes)
    step = ProgressStep.model_validate(
        {
            "officer": portal.NguoiXuLy,
            "position": portal.ChucDanh,
            "department": portal.PhongBanXuLy,
            "content": portal.NoiDungXuLy,
            "status": tables.status.value(portal.TrangThai, "TrangThai"),
            "at": _required_time(portal.ThoiDiemXuLy, "ThoiDiemXuLy"),
            "started_at": parse_portal_time(portal.NgayBatDau, "NgayBatDau"),
            "due_at": parse_portal_time(portal.NgayKetThucTheoQuyDinh, "NgayKetThucTheoQuyDinh"),
        }
    )
    return _checked(check_dossier_code, portal.MaHoSo, "MaHoSo"), step


def _to_document(document: SubmittedDocument) -> TaiLieuNop:
    return TaiLieuNop(
        TepDinhKemId=document.id,
        TenTepDinhKem=document.name,
        IsDeleted="True" if document.deleted else "False",
        MaThanhPhanHoSo=_text(document.component_code),
        DuongDanTaiTepTin=_text(document.url),
        DuocSoHoa=_flag(document.digitised),
        DuocTaiSuDung=_flag(document.reused),
        DuocLayTuKhoDMQG=_flag(document.from_national_repository),
        MaKetQuaThayThe=_text(document.replaces_result_code),
    )


def _from_document(item: TaiLieuNop, where: str) -> dict[str, Any]:
    return {
        "id": item.TepDinhKemId,
        "name": item.TenTepDinhKem,
        "component_code": item.MaThanhPhanHoSo,
        "url": item.DuongDanTaiTepTin,
        "deleted": _read_flag(item.IsDeleted, f"{where}.IsDeleted"),
        "digitised": _read_flag(item.DuocSoHoa, f"{where}.DuocSoHoa"),
        "reused": _read_flag(item.DuocTaiSuDung, f"{where}.DuocTaiSuDung"),
        "from_national_repository": _read_flag(item.DuocLayTuKhoDMQG, f"{where}.DuocLayTuKhoDMQG"),
        "replaces_result_code": item.MaKetQuaThayThe,
    }


def _to_other_document(other: OtherDocument) -> TepDinhKemKhac:
    return TepDinhKemKhac(
        TenGiayTo=other.name, SoLuong=str(other.quantity), LoaiGiayTo=_text(other.kind)
    )


def _from_other_document(item: TepDinhKemKhac, where: str) -> dict[str, Any]:
    return {
        "name": item.TenGiayTo,
        "quantity": _read_count(item.SoLuong, f"{where}.SoLuong"),
        "kind": item.LoaiGiayTo,
    }


def _to_fee(fee: Fee) -> LePhi:
    return LePhi(
        TenPhiLePhi=fee.name,
        MaPhiLePhi=_text(fee.code),
        HinhThucThu=_text(fee.collection_method),
        Gia=format(fee.amount.copy_abs(), "f"),
        LoaiPhiLePhi=_text(fee.kind),
    )


def _from_fee(item: LePhi, where: str) -> dict[str, Any]:
    return {
        "name": item.TenPhiLePhi,
        "code": item.MaPhiLePhi,
        "collection_method": item.HinhThucThu,
        "amount": _read_money(item.Gia, f"{where}.Gia"),
        "kind": item.LoaiPhiLePhi,
    }


def _to_supplement(supplement: SupplementRequest, where: str) -> HoSoBoSung:
    return HoSoBoSung(
        HoSoBoSungId=supplement.id,
        NguoiYeuCauBoSung=_text(supplement.requested_by),
        NoiDungBoSung=supplement.content,
        NgayBoSung=format_portal_time(supplement.requested_at, f"{where}.requested_at"),
        NguoiTiepNhanBoSung=_text(supplement.received_by),
        ThongTinTiepNhan=_text(supplement.receipt_info),
        NgayTiepNhanBoSung=format_portal_time(supplement.received_at, f"{where}.received_at"),
        TrangThaiBoSung=_text(supplement.status),
        NgayHenTraTruoc=format_portal_time(supplement.previous_due_at, f"{where}.previous_due_at"),
        NgayHenTraMoi=format_portal_time(supplement.new_due_at, f"{where}.new_due_at"),
    )


def _from_supplement(item: HoSoBoSung, where: str) -> dict[str, Any]:
    return {
        "id": item.HoSoBoSungId,
        "requested_by": item.NguoiYeuCauBoSung,
        "content": item.NoiDungBoSung,
        "requested_at": parse_portal_time(item.NgayBoSung, f"{where}.NgayBoSung"),
        "received_by": item.NguoiTiepNhanBoSung,
        "receipt_info": item.ThongTinTiepNhan,
        "received_at": parse_portal_time(item.NgayTiepNhanBoSung, f"{where}.NgayTiepNhanBoSung"),
        "status": item.TrangThaiBoSung,
        "previous_due_at": parse_portal_time(item.NgayHenTraTruoc, f"{where}.NgayHenTraTruoc"),
        "new_due_at": parse_portal_time(item.NgayHenTraMoi, f"{where}.NgayHenTraMoi"),
    }


def _to_result(result: Result) -> GiayToKetQua:
    return GiayToKetQua(
        TenGiayTo=result.name,
        MaThanhPhanHoSo=_text(result.component_code),
        GiayToId=result.id,
        DuongDanTepTinKetQua=_text(result.url),
        MaGiayToKetQua=_text(result.result_code),
    )


def _from_result(item: GiayToKetQua) -> dict[str, Any]:
    return {
        "id": item.GiayToId,
        "name": item.TenGiayTo,
        "component_code": item.MaThanhPhanHoSo,
        "url": item.DuongDanTepTinKetQua,
        "result_code": item.MaGiayToKetQua,
    }


def _text(value: str | None) -> str:
    return "" if value is None else value


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _read_flag(text: str, field: str) -> bool:
    folded = text.strip().lower()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise MappingError(field, f"{text!r} is not a flag: {FLAG_RULE}")


def _read_money(text: str, field: str) -> Decimal:
    if not _MONEY_RE.fullmatch(text.strip()):
        raise MappingError(field, f"{text!r} is not an amount: {MONEY_RULE}")
    return Decimal(text.strip())


def _read_count(text: str, field: str) -> int:
    if not _COUNT_RE.fullmatch(text.strip()):
        raise MappingError(field, f"{text!r} is not a count: {COUNT_RULE}")
    return int(text.strip())


def _required_time(text: str, field: str) -> datetime:
    time = parse_portal_time(text, field)
    if time is None:
        raise MappingError(field, "a progress step must say when it happened")
    return time


def _checked(check: Callable[[str], str], text: str, field: str) -> str:
    try:
        return check(text.strip())
    except ValueError as error:
        raise MappingError(field, str(error)) from None


def _fails_check_digit(number: str) -> bool:
    """Whether ``number`` is an enterprise code whose check digit disagrees: the portal holds it,
    so the override was given when it was sent."""
    if id_type_of(number) is not IdType.enterprise_code:
        return False
    try:
        check_enterprise_code(number.strip())
    except CheckDigitMismatch:
        return True
    except ValueError:
        return False
    return False
