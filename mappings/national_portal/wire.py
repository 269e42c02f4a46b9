"""The portal's own objects, field for field, with the names the portal uses.

These are the shapes on the wire of the National Public Service Portal (NATIONAL-SYSTEMS.md §1):
every value the portal exchanges is a string (dates ``yyyyMMddHHmmss`` in Asia/Ho_Chi_Minh, an
empty string for a missing one; codes as digits in strings). Unknown fields from the portal are
kept, not dropped, so that reading and writing back loses nothing.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

SUMMARY_MAX = 1000
"""Characters of ``TrichYeuHoSo`` the portal keeps (inferred from clients truncating)."""
OFFICER_MAX = 50
"""Characters of ``NguoiXuLy`` the portal keeps (inferred from clients truncating)."""


class PortalObject(BaseModel):
    model_config = ConfigDict(extra="allow", coerce_numbers_to_str=True)


class TaiLieuNop(PortalObject):
    TepDinhKemId: str = ""
    TenTepDinhKem: str = ""
    IsDeleted: str = "False"
    MaThanhPhanHoSo: str = ""
    DuongDanTaiTepTin: str = ""
    DuocSoHoa: str = "0"
    DuocTaiSuDung: str = "0"
    DuocLayTuKhoDMQG: str = "0"
    MaKetQuaThayThe: str = ""


class LePhi(PortalObject):
    TenPhiLePhi: str = ""
    MaPhiLePhi: str = ""
    HinhThucThu: str = ""
    Gia: str = "0"
    LoaiPhiLePhi: str = ""


class TepDinhKemKhac(PortalObject):
    TenGiayTo: str = ""
    SoLuong: str = "1"
    LoaiGiayTo: str = ""


class HoSoBoSung(PortalObject):
    HoSoBoSungId: str = ""
    NguoiYeuCauBoSung: str = ""
    NoiDungBoSung: str = ""
    NgayBoSung: str = ""
    NguoiTiepNhanBoSung: str = ""
    ThongTinTiepNhan: str = ""
    NgayTiepNhanBoSung: str = ""
    TrangThaiBoSung: str = ""
    NgayHenTraTruoc: str = ""
    NgayHenTraMoi: str = ""


class GiayToKetQua(PortalObject):
    TenGiayTo: str = ""
    MaThanhPhanHoSo: str = ""
    GiayToId: str = ""
    DuongDanTepTinKetQua: str = ""
    MaGiayToKetQua: str = ""


class DinhDanhCHS(PortalObject):
    LoaiDinhDanh: str = ""
    SoDinhDanh: str = ""


class KetNoiCSDL(PortalObject):
    MaCSDL: str = ""


# PortalDossier has fields named like these two classes; inside its body the field names would
# shadow them, so its annotations use these aliases.
_TaiLieuNop = TaiLieuNop
_DinhDanhCHS = DinhDanhCHS


class PortalDossier(PortalObject):
    """One element of the array ``DongBoHoSoMC`` takes and ``TraCuuHoSo`` answers."""

    MaHoSo: str
    MaTTHC: str = ""
    TenTTHC: str = ""
    MaLinhVuc: str = ""
    TenLinhVuc: str = ""
    SoBienNhan: str = ""
    KenhThucHien: str = ""
    ChuHoSo: str = ""
    SoGiayToChuHoSo: str = ""
    LoaiDoiTuong: str = ""
    MaDoiTuong: str = ""
    ThongTinKhac: str = ""
    Email: str = ""
    Fax: str = ""
    SoDienThoai: str = ""
    TrichYeuHoSo: str = Field(default="", max_length=SUMMARY_MAX)
    NgayTiepNhan: str = ""
    NgayHenTra: str = ""
    TrangThaiHoSo: str = ""
    NgayTra: str = ""
    ThongTinTra: str = ""
    HinhThuc: str = ""
    NgayKetThucXuLy: str = ""
    DonViXuLy: str = ""
    GhiChu: str = ""
    TaiLieuNop: list[_TaiLieuNop] = []
    DanhSachLePhi: list[LePhi] = []
    DanhSachTepDinhKemKhac: list[TepDinhKemKhac] = []
    DanhSachHoSoBoSung: list[HoSoBoSung] = []
    DanhSachGiayToKetQua: list[GiayToKetQua] = []
    NoiNopHoSo: str = ""
    HoSoCoThanhPhanSoHoa: str = "0"
    TaiKhoanDuocXacThucVoiVNeID: str = "0"
    DuocThanhToanTrucTuyen: str = "0"
    NgayTuChoi: str = ""
    NgayNopHoSo: str = ""
    DinhDanhCHS: list[_DinhDanhCHS] = []
    DSKetNoiCSDL: list[KetNoiCSDL] = []


class PortalProgress(PortalObject):
    """One element of the array ``CapNhatTienDoHoSoMC`` takes."""

    MaHoSo: str
    NguoiXuLy: str = Field(default="", max_length=OFFICER_MAX)
    ChucDanh: str = ""
    ThoiDiemXuLy: str = ""
    PhongBanXuLy: str = ""
    NoiDungXuLy: str = ""
    TrangThai: str = ""
    NgayBatDau: str = ""
    NgayKetThucTheoQuyDinh: str = ""


class PortalProcedure(PortalObject):
    """A procedure as ``LayDanhSachTTHC`` lists it and ``LayThuTuc`` answers it."""

    MaTTHC: str
    TenTTHC: str = ""
    MaLinhVuc: str = ""
    TenLinhVuc: str = ""
    CapThucHien: str = ""


class CoQuanThucHien(PortalObject):
    """An agency that carries a procedure out (``LayThuTuc``)."""

    MaCoQuan: str = ""
    TenCoQuan: str = ""


class PhiThuTuc(PortalObject):
    """A fee of a procedure as the catalogue states it (``LayThuTuc``)."""

    MaPhiLePhi: str = ""
    TenPhiLePhi: str = ""
    Gia: str = "0"
    MoTa: str = ""


_CoQuanThucHien = CoQuanThucHien


class PortalProcedureInFull(PortalProcedure):
    """A procedure as ``LayThuTuc`` answers it: its summary, its agencies and its fees."""

    CoQuanThucHien: list[_CoQuanThucHien] = []
    DanhSachLePhi: list[PhiThuTuc] = []


class PortalListEntry(PortalObject):
    """An entry of one of the portal's catalogue lists: a code and a name under the list's own
    field names (``MaTonGiao``/``TenTonGiao``...), kept as the portal sent them
    (``mappings.national_portal.lists`` reads them)."""


class PortalRecord(PortalObject):
    """What ``TraCuuHoSo`` answers of a dossier: the dossier as last written and the progress
    steps the portal holds for it, in arrival order."""

    dossier: PortalDossier
    progress: list[PortalProgress] = []


class PortalQuestion(PortalObject):
    """One question citizens sent on the portal (``LayDanhSachHoiDapGuiTuDVCQG``)."""

    HOIDAPID: str
    MALINHVUC: str = ""
    MATTHCDP: str = ""
    MADONVI: str = ""
    TENDONVI: str = ""
    NOIDUNG: str = ""
    HOVATEN: str = ""
    THUDIENTU: str = ""
    TRANGTHAI: str = ""
    TRALOIID: str = ""
    NOIDUNGTRALOI: str = ""


class PortalAnswer(PortalObject):
    """One element of the array ``DongBoKetQuaHoiDapGuiTuDVCQG`` takes (``NGAYTRALOI``
    ``dd/MM/yyyy``)."""

    HOIDAPID: str
    MADONVI: str
    NGUOITRALOI: str
    CHUCVUNGUOITRALOI: str = ""
    NGAYTRALOI: str
    NOIDUNGTRALOI: str


class PortalPublishedQuestion(PortalObject):
    """One element of the array ``DongBoHoiDap`` takes: a question and answer the province
    publishes."""

    HOIDAPID: str
    MaLinhVuc: str
    NOIDUNG: str
    MADONVI: str
    TENDONVI: str


class TieuChi(PortalObject):
    MaTieuChi: str
    DiemDanhGia: str


class PortalEvaluation(PortalObject):
    """One element of the array ``DongBoDanhGia`` takes (*inferred*: no public payload)."""

    MaHoSo: str
    TaiKhoanDanhGia: str
    ThoiDiemDanhGia: str
    DanhSachTieuChi: list[TieuChi]
    YKienKhac: str = ""
