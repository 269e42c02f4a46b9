"""The province's handling of a submission, reported back: the canonical ``StatusReport`` and
the national status row it becomes (``to_wire_status``).

``trangThai`` codes (``NATIONAL-SYSTEMS.md`` §1b): 1 received, 2 supplement requested, 3
accepted, 4 registered (with the result), 5 result handed over, 6 refused (7, forwarded to the
Ministry of Justice, is the national side's own). Dates go as ``dd/MM/yyyy HH:mm:ss`` on the
Vietnam clock.

The result of a registration travels in ``ketQuaXuLy`` as a JSON string. No public sample of it
was found; its fields are *inferred* (``soDangKy`` the registration number, ``quyenSo`` the
book, ``ngayDangKy`` the day, ``tenTepKetQua`` and ``duLieuTepKetQua`` the certificate's file
name and its PDF in base64) and kept in this one place.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import Field, field_validator, model_validator

from mappings.canonical import VIETNAM, Date, Model, NonEmptyText, Text, Time
from mappings.linked_services.wire import WireStatus

HANDLING_AGENCY = 5
"""``coQuanXuLy`` as the public client sends it (*inferred*: the province's one-stop system)."""

OFFICER_CHARS = 50
"""Longest ``nguoiXuLy`` clients send (*inferred* from the portal's progress objects)."""


class Handling(StrEnum):
    """What the province did with a submission, in the order it usually happens."""

    received = "received"
    supplement_requested = "supplement_requested"
    accepted = "accepted"
    registered = "registered"
    handed_over = "handed_over"
    refused = "refused"

    @property
    def code(self) -> int:
        """``trangThai``."""
        return _CODES[self]

    @property
    def final(self) -> bool:
        """After it nothing more is reported: the result was handed over, or it was refused."""
        return self in (Handling.handed_over, Handling.refused)


_CODES = {
    Handling.received: 1,
    Handling.supplement_requested: 2,
    Handling.accepted: 3,
    Handling.registered: 4,
    Handling.handed_over: 5,
    Handling.refused: 6,
}


class Officer(Model):
    """Who handled it."""

    name: NonEmptyText = Field(max_length=OFFICER_CHARS, description="nguoiXuLy")
    title: Text | None = Field(default=None, description="chucDanh")
    department: Text | None = Field(default=None, description="phongBanXuLy")


class Certificate(Model):
    """The registration's certificate (a PDF), as the result carries it."""

    file_name: NonEmptyText
    content: NonEmptyText = Field(description="The file, base64.")

    @field_validator("content")
    @classmethod
    def _base64(cls, value: str) -> str:
        try:
            base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("the certificate's content must be base64") from None
        return value


class RegistrationResult(Model):
    """What the registration produced."""

    number: NonEmptyText = Field(description="The registration number (số đăng ký).")
    book: Text | None = Field(default=None, description="The register book (quyển số).")
    registered_on: Date
    certificate: Certificate | None = None


class StatusReport(Model):
    """One step of the province's handling, as the one-stop system reports it.

    ``supplement_requested`` needs ``supplement_deadline`` (what the citizen must send, say so in
    ``note``); ``registered`` needs ``result``.
    """

    status: Handling
    at: Time | None = Field(default=None, description="When it happened; now when left out.")
    province_code: Text | None = Field(
        default=None,
        description="The one-stop system's own code of the dossier; needed with the first "
        "status, kept for the later ones.",
    )
    note: Text | None = Field(default=None, description="ghiChu")
    content: Text | None = Field(default=None, description="noiDungXuLy: what was done.")
    officer: Officer | None = None
    started_at: Time | None = Field(default=None, description="ngayBatDau")
    due_at: Time | None = Field(
        default=None, description="ngayKetThucTheoQuyDinh: when it is due by the rules."
    )
    supplement_deadline: Time | None = Field(
        default=None, description="hanBoSungHoSo: by when the citizen must supplement it."
    )
    result: RegistrationResult | None = None

    @model_validator(mode="after")
    def _what_each_status_needs(self) -> StatusReport:
        if self.status is Handling.supplement_requested and self.supplement_deadline is None:
            raise ValueError("supplement_requested needs supplement_deadline")
        if self.status is Handling.registered and self.result is None:
            raise ValueError("registered needs result: the registration number and its day")
        if self.result is not None and self.status is not Handling.registered:
            raise ValueError("result goes with registered only")
        return self


def national_time(moment: datetime) -> str:
    """``dd/MM/yyyy HH:mm:ss`` on the Vietnam clock."""
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")


def _national_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _result(result: RegistrationResult) -> str:
    value: dict[str, Any] = {
        "soDangKy": result.number,
        "quyenSo": result.book,
        "ngayDangKy": _national_day(result.registered_on),
    }
    if result.certificate is not None:
        value["tenTepKetQua"] = result.certificate.file_name
        value["duLieuTepKetQua"] = result.certificate.content
    return json.dumps({k: v for k, v in value.items() if v is not None}, ensure_ascii=False)


def _optional(moment: datetime | None) -> str | None:
    return None if moment is None else national_time(moment)


def to_wire_status(
    *,
    code: str,
    procedure_code: str,
    province_code: str,
    report: StatusReport,
    at: datetime,
    handling_agency: int = HANDLING_AGENCY,
) -> WireStatus:
    """The national row of ``report`` about submission ``code`` (the DVCLT code), known to the
    province as ``province_code``; ``at`` is when it happened (``report.at`` or now)."""
    officer = report.officer
    return WireStatus(
        maTTHC=procedure_code,
        coQuanXuLy=handling_agency,
        maHoSo=province_code,
        soHoSoLT=code,
        trangThai=report.status.code,
        thoiGianThucHien=national_time(at),
        ghiChu=report.note,
        ketQuaXuLy=None if report.result is None else _result(report.result),
        nguoiXuLy=officer.name if officer else None,
        chucDanh=officer.title if officer else None,
        phongBanXuLy=officer.department if officer else None,
        noiDungXuLy=report.content,
        ngayBatDau=_optional(report.started_at),
        ngayKetThucTheoQuyDinh=_optional(report.due_at),
        hanBoSungHoSo=_optional(report.supplement_deadline),
    )
