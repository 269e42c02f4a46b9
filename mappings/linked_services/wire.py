"""The inter-connected services' own objects (DVCLT, ``NATIONAL-SYSTEMS.md`` §1b), field names
exactly as the national system writes them.

- ``ListedSubmission``: one element of the list's ``data`` (what waits for the province);
- ``SubmissionDetail``: the detail's ``data``, with the form as an XML string (``data``) and the
  attachments in base64 (``fileDinhKem``);
- ``WireStatus``: one processing status sent back, one row per call.

Reading is tolerant of what the public client tolerates: unknown fields are kept aside, numbers
where text is expected are read as text. Nothing here decides whether a submission can be taken
(``mappings.linked_services.intake``) nor what its form says (``forms``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


def _text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    return value


class WireModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, str_strip_whitespace=True)


class ListedSubmission(WireModel):
    """A submission waiting for the province, as the list names it."""

    id: str = Field(min_length=1, description="The national system's id, for the detail.")
    maDonVi: str = Field(description="The unit: 3 digits a district, otherwise a commune.")
    maTTHC: str = Field(description="The procedure code, national form (2.000986).")
    module: str = Field(description="KS birth registration, KT death registration.")
    maHoSo: str = Field(min_length=1, description="The DVCLT dossier code.")
    ngayTiepNhan: str = Field(default="", description="When it was received, yyyyMMdd.")
    techId: str = Field(default="", description="The citizen's account.")

    @field_validator(
        "id", "maDonVi", "maTTHC", "module", "maHoSo", "ngayTiepNhan", "techId", mode="before"
    )
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return "" if value is None else _text(value)


class WireAttachment(WireModel):
    """One element of ``fileDinhKem``."""

    id: str = Field(min_length=1)
    loaiGiayTo: str = ""
    tenGiayTo: str = ""
    tenTepDinhKem: str = ""
    huyGiayTo: int = Field(default=0, description="1: the citizen withdrew it.")
    duLieuTepDinhKem: str = Field(default="", description="The file, base64.")

    @field_validator("id", "loaiGiayTo", "tenGiayTo", "tenTepDinhKem", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return "" if value is None else _text(value)

    @field_validator("huyGiayTo", mode="before")
    @classmethod
    def _flag(cls, value: Any) -> Any:
        if value in (None, "", False, "false", "False"):
            return 0
        if value in (True, "true", "True"):
            return 1
        return value


class SubmissionDetail(WireModel):
    """The detail of one submission: the list's fields, the form and the attachments."""

    maDonVi: str
    maTTHC: str
    module: str
    maHoSo: str = Field(min_length=1)
    ngayTiepNhan: str = ""
    techId: str = ""
    data: str = Field(default="", description="The form, as an XML string.")
    fileDinhKem: list[WireAttachment] = Field(default_factory=list)

    @field_validator(
        "maDonVi", "maTTHC", "module", "maHoSo", "ngayTiepNhan", "techId", "data", mode="before"
    )
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return "" if value is None else _text(value)

    @field_validator("fileDinhKem", mode="before")
    @classmethod
    def _list(cls, value: Any) -> Any:
        return [] if value is None else value


class WireStatus(BaseModel):
    """One processing status, as the status call takes it (dates ``dd/MM/yyyy HH:mm:ss``)."""

    model_config = ConfigDict(frozen=True)

    maTTHC: str
    coQuanXuLy: int
    maHoSo: str = Field(description="The province's one-stop code.")
    soHoSoLT: str = Field(description="The DVCLT code.")
    trangThai: int
    thoiGianThucHien: str
    ghiChu: str | None = None
    ketQuaXuLy: str | None = Field(
        default=None, description="The registration result as a JSON string."
    )
    nguoiXuLy: str | None = None
    chucDanh: str | None = None
    phongBanXuLy: str | None = None
    noiDungXuLy: str | None = None
    ngayBatDau: str | None = None
    ngayKetThucTheoQuyDinh: str | None = None
    hanBoSungHoSo: str | None = None

    def body(self) -> dict[str, Any]:
        """The JSON object sent: fields without a value are left out."""
        return self.model_dump(exclude_none=True)
