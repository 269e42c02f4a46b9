"""A land dossier's progress at the land office, in English: its status, what the office asks
the applicant for, and its results.

The land system's status codes (``TrangThai``) are not public; the table here is *inferred* and
configurable (``status_table``: ``LIENTHONG_LAND_REGISTRY_STATUS_CODES``), as vendors diverge.
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from mappings.canonical import VIETNAM, Model, NonEmptyText, Text
from mappings.errors import MappingError
from mappings.land_registry.wire import WireProgress

WIRE_TIME = "%Y-%m-%dT%H:%M:%S"


class LandStatus(StrEnum):
    received = "received"
    """Đã tiếp nhận: the land office holds the dossier."""
    processing = "processing"
    """Đang xử lý."""
    supplement_requested = "supplement_requested"
    """Yêu cầu bổ sung: the applicant must supply more (``supplement``)."""
    resolved = "resolved"
    """Đã có kết quả: the results are ready to hand over."""
    returned = "returned"
    """Đã trả kết quả: the result reached the applicant."""
    refused = "refused"
    """Từ chối: the land office returned the dossier unresolved (``reason``)."""

    @property
    def final(self) -> bool:
        return self in (LandStatus.returned, LandStatus.refused)


DEFAULT_STATUS_CODES = (
    "1=received,2=processing,3=supplement_requested,4=resolved,5=returned,6=refused"
)


def status_table(text: str) -> dict[int, LandStatus]:
    """``1=received,2=processing,...`` as a table; ``MappingError`` naming a bad entry."""
    table: dict[int, LandStatus] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        code, _, name = entry.partition("=")
        try:
            table[int(code)] = LandStatus(name.strip())
        except ValueError:
            names = ", ".join(s.value for s in LandStatus)
            raise MappingError(
                "status_codes", f"{entry!r} is not code=status with a status among {names}"
            ) from None
    missing = set(LandStatus) - set(table.values())
    if missing:
        raise MappingError(
            "status_codes", "every status needs a code; none for " + ", ".join(sorted(missing))
        )
    return table


def to_wire_time(value: datetime) -> str:
    """``value`` on the Vietnam clock as the land system writes times."""
    return value.astimezone(VIETNAM).strftime(WIRE_TIME)


def from_wire_time(value: str, field: str) -> datetime:
    """A land system time (``2026-03-01T08:30:00``, an offset taken if given) as an aware time."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise MappingError(field, f"{value!r} is not a time yyyy-MM-ddTHH:mm:ss") from None
    return parsed.replace(tzinfo=VIETNAM) if parsed.tzinfo is None else parsed


def _day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise MappingError(field, f"{value!r} is not a date yyyy-MM-dd") from None


class LandResult(Model):
    """One result document of a land dossier (a certificate, a decision)."""

    name: NonEmptyText = Field(max_length=500)
    number: Text | None = Field(default=None, max_length=100)
    signed_on: date | None = None
    file_name: Text | None = Field(default=None, max_length=500)
    size: int = Field(default=0, ge=0)


class LandStep(Model):
    status: LandStatus
    at: datetime
    note: Text | None = Field(default=None, max_length=2000)


class LandProgress(Model):
    """Where the land office is with one dossier, with its results' files
    (``contents``, in the order of ``results``; not part of the model's JSON)."""

    receipt: NonEmptyText
    dossier_code: Text | None = None
    status: LandStatus
    status_name: Text | None = None
    updated_at: datetime
    due_at: datetime | None = None
    supplement: Text | None = Field(default=None, max_length=2000)
    supplement_due: datetime | None = None
    reason: Text | None = Field(default=None, max_length=2000)
    results: list[LandResult] = Field(default_factory=list)
    history: list[LandStep] = Field(default_factory=list)
    contents: list[bytes] = Field(default_factory=list, exclude=True, repr=False)


def _status(code: int, table: dict[int, LandStatus], field: str) -> LandStatus:
    status = table.get(code)
    if status is None:
        known = ", ".join(str(c) for c in sorted(table))
        raise MappingError(field, f"{code} is not a status code the gateway knows ({known})")
    return status


def _content(data: str | None, field: str) -> bytes:
    if not data:
        return b""
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise MappingError(field, "is not base64") from None


def progress_from_wire(wire: WireProgress, table: dict[int, LandStatus]) -> LandProgress:
    """``TraCuuHoSo``'s data in English; ``MappingError`` naming the land system's field."""
    contents = [
        _content(r.TapTin.data if r.TapTin else None, f"KetQua[{i}].TapTin.data")
        for i, r in enumerate(wire.KetQua)
    ]
    return LandProgress(
        receipt=wire.SoBienNhan,
        dossier_code=wire.MaHoSoMotCua,
        status=_status(wire.TrangThai, table, "TrangThai"),
        status_name=wire.TenTrangThai,
        updated_at=from_wire_time(wire.ThoiDiemCapNhat, "ThoiDiemCapNhat"),
        due_at=from_wire_time(wire.NgayHenTra, "NgayHenTra") if wire.NgayHenTra else None,
        supplement=wire.NoiDungBoSung,
        supplement_due=from_wire_time(wire.HanBoSung, "HanBoSung") if wire.HanBoSung else None,
        reason=wire.LyDoTuChoi,
        results=[
            LandResult(
                name=r.TenGiayTo,
                number=r.SoHieu,
                signed_on=_day(r.NgayKy, f"KetQua[{i}].NgayKy"),
                file_name=r.TapTin.name if r.TapTin else None,
                size=len(contents[i]),
            )
            for i, r in enumerate(wire.KetQua)
        ],
        history=[
            LandStep(
                status=_status(step.TrangThai, table, f"LichSu[{i}].TrangThai"),
                at=from_wire_time(step.ThoiDiem, f"LichSu[{i}].ThoiDiem"),
                note=step.NoiDung,
            )
            for i, step in enumerate(wire.LichSu)
        ],
        contents=contents,
    )
