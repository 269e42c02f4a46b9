"""The land registration system's own objects (ILIS / VBDLIS, ``NATIONAL-SYSTEMS.md`` §1d),
field names exactly as the system writes them.

Sent: ``WireIntake`` (``TiepNhanHoSo``), ``WireSupplement`` (``CapNhatTrangThaiBoSungHoSo``),
``WireHandover`` (``CapNhatKetQuaTraHoSo``). Read: ``WireReply`` (every reply's envelope,
``{"data", "status": {"success", "code", "type", "time", "message"}}``), ``WireProgress`` (a
dossier's status, supplement request and results) and ``WireParcel`` (a parcel's registration).
Times are .NET ``DateTime`` strings without an offset (``2026-03-01T08:30:00``), on the Vietnam
clock; dates ``yyyy-MM-dd``.

Reading is tolerant as the public clients are: unknown fields are ignored, numbers where text is
expected are read as text, text where a number is expected as the number it spells.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


def _text(value: Any) -> Any:
    if value is None:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)


class WireFile(WireModel):
    """A file (``TapTin``): ``name`` and ``data`` (base64). The gateway sends a document's link in
    ``DuongDan`` instead (*inferred*: it holds no files)."""

    name: str | None = None
    data: str | None = None
    DuongDan: str | None = None


class WireApplicant(WireModel):
    """``ThongTinNguoiNopDon``: who applies."""

    HoTen: str | None = None
    SoChungMinh: str | None = None
    DiaChiChiTiet: str | None = None
    SoDienThoai: str | None = None
    Email: str | None = None


class WireProcedure(WireModel):
    """``ThongTinQuyTrinh``: the procedure."""

    MaQuyTrinh: str
    TenQuyTrinh: str


class WireNamedParcel(WireModel):
    """A parcel named by the applicant (``ThongTinThuaDat``); all text, as sent."""

    SoThuTuThua: str | None = None
    SoHieuBanDo: str | None = None
    DienTich: str | None = None
    DiaChiChiTiet: str | None = None


class WireDocument(WireModel):
    """One element of ``DanhSachGiayToDinhKem`` (and ``DanhSachGiayToBoSung``)."""

    TenGiayTo: str
    SoBanChinh: int | None = None
    SoBanSao: int | None = None
    TapTin: WireFile | None = None


class WireIntake(WireModel):
    """``TiepNhanHoSo``: a land dossier handed to the land office."""

    LaQuyTrinhCapTinh: bool = True
    TinhId: int
    HuyenId: int = 0
    XaId: int = 0
    SoBienNhan: str = Field(min_length=1)
    MaHoSoMotCua: str | None = None
    NguoiTiepNhan: str
    NgayTiepNhan: str | None = None
    NgayHenTra: str | None = None
    DiaChiTaiSan: str | None = None
    ThongTinNguoiNopDon: WireApplicant
    ThongTinQuyTrinh: WireProcedure
    ThongTinThuaDat: list[WireNamedParcel] = Field(default_factory=list)
    DanhSachGiayToDinhKem: list[WireDocument] = Field(default_factory=list)


class WireSupplement(WireModel):
    """``CapNhatTrangThaiBoSungHoSo``: the applicant supplied what the land office asked for."""

    SoBienNhan: str = Field(min_length=1)
    NgayHenTraMoi: str
    GhiChu: str | None = None
    DanhSachGiayToBoSung: list[WireDocument] = Field(default_factory=list)


class WireHandover(WireModel):
    """``CapNhatKetQuaTraHoSo``: the result was handed to the applicant."""

    SoBienNhan: str = Field(min_length=1)
    NgayTra: str


class WireStatus(WireModel):
    """A reply's ``status``."""

    success: bool | None = None
    code: int | None = None
    type: str | None = None
    time: str | None = None
    message: str | None = None


class WireReply(WireModel):
    """Every reply: ``data`` (a number for the sends, an object for the look-ups) and ``status``."""

    data: Any = None
    status: WireStatus = Field(default_factory=WireStatus)


class WireResult(WireModel):
    """One result document of a dossier (``KetQua``)."""

    TenGiayTo: str = Field(min_length=1)
    SoHieu: str | None = None
    NgayKy: str | None = None
    TapTin: WireFile | None = None


class WireStep(WireModel):
    """One step of a dossier's history (``LichSu``)."""

    TrangThai: int
    ThoiDiem: str
    NoiDung: str | None = None


class WireProgress(WireModel):
    """``TraCuuHoSo``'s ``data``: where the land office is with one dossier (*inferred*)."""

    SoBienNhan: str = Field(min_length=1)
    MaHoSoMotCua: str | None = None
    TrangThai: int
    TenTrangThai: str | None = None
    ThoiDiemCapNhat: str
    NgayHenTra: str | None = None
    NoiDungBoSung: str | None = None
    HanBoSung: str | None = None
    LyDoTuChoi: str | None = None
    KetQua: list[WireResult] = Field(default_factory=list)
    LichSu: list[WireStep] = Field(default_factory=list)


class WireCertificate(WireModel):
    """``GiayChungNhan``: the certificate issued for a parcel."""

    SoPhatHanh: str = Field(min_length=1)
    SoVaoSo: str | None = None
    NgayCap: str | None = None


class WireOwner(WireModel):
    """One element of ``ChuSuDung``: a holder of the land use right."""

    HoTen: str = Field(min_length=1)
    SoGiayTo: str | None = None
    NamSinh: int | None = None
    HinhThucSuDung: str | None = None

    @field_validator("SoGiayTo", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return _text(value)


class WireParcel(WireModel):
    """``TraCuuThuaDat``'s ``data`` (and each element of ``TraCuuThuaDatTheoChu``'s)."""

    MaXa: str
    SoHieuBanDo: str
    SoThuTuThua: str
    DienTich: str
    MucDichSuDung: str
    TenMucDichSuDung: str | None = None
    DiaChiChiTiet: str | None = None
    ThoiHanSuDung: str | None = None
    NguonGocSuDung: str | None = None
    GiayChungNhan: WireCertificate | None = None
    ChuSuDung: list[WireOwner] = Field(default_factory=list)
    DangKyBienDong: list[str] = Field(default_factory=list)

    @field_validator("MaXa", "SoHieuBanDo", "SoThuTuThua", "DienTich", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return _text(value)
