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
