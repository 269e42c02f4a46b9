"""The national reporting system's own objects (``openapi/national/national_reporting``), field
names exactly as its contract writes them, and the mapping from the canonical report.

- ``BaoCao``: one report submitted (``NopBaoCao``), made from a ``OneStopReport`` by
  ``to_national_report`` under the submitter's id (``MaYeuCau``);
- ``BienNhan``: the receipt the system answers with.

Nothing here decides what the figures are (``gateway.reports``) nor how a reply is judged
(``adapters.national_reporting.reply``).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from mappings.periods import PeriodKind
from mappings.report import Figures, OneStopReport

PERIOD_KINDS: dict[PeriodKind, str] = {
    PeriodKind.month: "THANG",
    PeriodKind.quarter: "QUY",
    PeriodKind.half: "SAU_THANG",
    PeriodKind.year: "NAM",
}
"""The system's ``LoaiKy`` of each kind of period."""


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class SoLieu(WireModel):
    """The columns of template II.05a, in dossiers."""

    SoKyTruocChuyenQua: int = Field(ge=0)
    SoTiepNhanTrucTuyen: int = Field(ge=0)
    SoTiepNhanTrucTiep: int = Field(ge=0)
    SoDaGiaiQuyetTruocHan: int = Field(ge=0)
    SoDaGiaiQuyetDungHan: int = Field(ge=0)
    SoDaGiaiQuyetQuaHan: int = Field(ge=0)
    SoDangGiaiQuyetTrongHan: int = Field(ge=0)
    SoDangGiaiQuyetQuaHan: int = Field(ge=0)

    @classmethod
    def of(cls, figures: Figures) -> SoLieu:
        return cls(
            SoKyTruocChuyenQua=figures.carried_over,
            SoTiepNhanTrucTuyen=figures.received_online,
            SoTiepNhanTrucTiep=figures.received_in_person,
            SoDaGiaiQuyetTruocHan=figures.resolved_early,
            SoDaGiaiQuyetDungHan=figures.resolved_on_time,
            SoDaGiaiQuyetQuaHan=figures.resolved_late,
            SoDangGiaiQuyetTrongHan=figures.in_progress_on_time,
            SoDangGiaiQuyetQuaHan=figures.in_progress_overdue,
        )


class ChiTieuDonVi(SoLieu):
    """The figures of one unit the report covers."""

    MaDonVi: str = Field(min_length=1)
    TenDonVi: str = ""


class BaoCao(WireModel):
    """One periodic report of one reporting unit, as ``NopBaoCao`` takes it."""

    MaYeuCau: str = Field(min_length=1, max_length=100)
    MaBieuMau: str
    LoaiKy: str
    Nam: int
    SoKy: int
    TuNgay: str
    DenNgay: str
    MaDonVi: str = Field(min_length=1)
    TenDonVi: str
    ThoiGianLap: str
    ChiTieu: list[ChiTieuDonVi] = Field(min_length=1)
    TongHop: SoLieu

    def body(self) -> dict[str, object]:
        return self.model_dump(mode="json")


class BienNhan(WireModel):
    """The receipt of one submission."""

    MaBienNhan: str = Field(min_length=1)
    MaYeuCau: str = ""
    MaBieuMau: str = ""
    LoaiKy: str = ""
    Nam: int | None = None
    SoKy: int | None = None
    MaDonVi: str = ""
    LanNop: int = Field(default=1, ge=1)
    ThoiGianTiepNhan: datetime
    TrangThai: str = ""


def to_national_report(report: OneStopReport, request_id: str) -> BaoCao:
    """``report`` as the system takes it, submitted under ``request_id`` (``MaYeuCau``)."""
    return BaoCao(
        MaYeuCau=request_id,
        MaBieuMau=report.template,
        LoaiKy=PERIOD_KINDS[report.kind],
        Nam=report.year,
        SoKy=report.number,
        TuNgay=report.first_day.isoformat(),
        DenNgay=report.last_day.isoformat(),
        MaDonVi=report.unit,
        TenDonVi=report.unit_name,
        ThoiGianLap=report.made_at.isoformat(timespec="seconds"),
        ChiTieu=[
            ChiTieuDonVi(MaDonVi=row.unit, TenDonVi=row.name, **SoLieu.of(row).model_dump())
            for row in report.rows
        ],
        TongHop=SoLieu.of(report.total),
    )
