"""The reports the national reporting mock holds, the rules it checks them by, its receipts.

Written from the contract (``openapi/national/national_reporting``), not from the gateway's
code. A report is checked first against the shape of ``BaoCao`` (JSON Schema), then against the
rules the contract names: ``SoKy`` within ``LoaiKy``, the days in order and in or next to
``Nam``, no unit twice, ``TongHop`` the rows' sums figure by figure. Each refusal names the field.

A report is held under its template, period and unit: a new ``MaYeuCau`` for one already held
replaces it (``LanNop`` one more); a ``MaYeuCau`` already taken answers its receipt again.
Everything submitted stays readable by its receipt, the replaced ones too.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from mocks.admin import ScenarioError
from mocks.schemas import compile_schema, first_error
from mocks.tokens import TokenStore

COUNT_FIELDS = (
    "SoKyTruocChuyenQua",
    "SoTiepNhanTrucTuyen",
    "SoTiepNhanTrucTiep",
    "SoDaGiaiQuyetTruocHan",
    "SoDaGiaiQuyetDungHan",
    "SoDaGiaiQuyetQuaHan",
    "SoDangGiaiQuyetTrongHan",
    "SoDangGiaiQuyetQuaHan",
)
PERIODS_IN_YEAR = {"THANG": 12, "QUY": 4, "SAU_THANG": 2, "NAM": 1}
TEMPLATES = ("II.05a",)

_COUNT = {"type": "integer", "minimum": 0}
_DAY = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_FIGURES = {name: _COUNT for name in COUNT_FIELDS}

REPORT: dict[str, Any] = {
    "type": "object",
    "required": [
        "MaYeuCau",
        "MaBieuMau",
        "LoaiKy",
        "Nam",
        "SoKy",
        "TuNgay",
        "DenNgay",
        "MaDonVi",
        "TenDonVi",
        "ThoiGianLap",
        "ChiTieu",
        "TongHop",
    ],
    "properties": {
        "MaYeuCau": {"type": "string", "minLength": 1, "maxLength": 100},
        "MaBieuMau": {"enum": list(TEMPLATES)},
        "LoaiKy": {"enum": list(PERIODS_IN_YEAR)},
        "Nam": {"type": "integer", "minimum": 2000, "maximum": 2100},
        "SoKy": {"type": "integer", "minimum": 1, "maximum": 12},
        "TuNgay": _DAY,
        "DenNgay": _DAY,
        "MaDonVi": {"type": "string", "minLength": 1, "maxLength": 64},
        "TenDonVi": {"type": "string", "maxLength": 500},
        "ThoiGianLap": {"type": "string", "minLength": 10},
        "ChiTieu": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["MaDonVi", "TenDonVi", *COUNT_FIELDS],
                "properties": {
                    "MaDonVi": {"type": "string", "minLength": 1, "maxLength": 64},
                    "TenDonVi": {"type": "string", "maxLength": 500},
                    **_FIGURES,
                },
            },
        },
        "TongHop": {"type": "object", "required": list(COUNT_FIELDS), "properties": _FIGURES},
    },
}
_REPORT = compile_schema(REPORT)

RECEIPT_ALPHABET = string.ascii_uppercase + string.digits


class ReportRefused(ValueError):
    """A report that breaks a rule; ``field`` names where, the message says what."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _day(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ReportRefused(field, f"{field}: {text!r} is not a day on the calendar") from None


def check(report: Any) -> None:
    """Raise ``ReportRefused`` naming the first rule ``report`` breaks."""
    problem = first_error(_REPORT, report, whole="BaoCao")
    if problem is not None:
        field = problem.split(":", 1)[0]
        raise ReportRefused(_field_path(field), problem)
    kind, number, year = report["LoaiKy"], report["SoKy"], report["Nam"]
    if number > PERIODS_IN_YEAR[kind]:
        raise ReportRefused(
            "SoKy", f"SoKy: a {kind} period is numbered 1 to {PERIODS_IN_YEAR[kind]}"
        )
    first, last = _day(report["TuNgay"], "TuNgay"), _day(report["DenNgay"], "DenNgay")
    if first > last:
        raise ReportRefused("TuNgay", "TuNgay: must not be after DenNgay")
    if not (year - 1 <= first.year <= year and last.year == year):
        raise ReportRefused("DenNgay", f"DenNgay: the period must end in {year}")
    seen: set[str] = set()
    sums = dict.fromkeys(COUNT_FIELDS, 0)
    for index, row in enumerate(report["ChiTieu"]):
        if row["MaDonVi"] in seen:
            raise ReportRefused(
                f"ChiTieu[{index}].MaDonVi", f"ChiTieu[{index}].MaDonVi: {row['MaDonVi']} twice"
            )
        seen.add(row["MaDonVi"])
        for name in COUNT_FIELDS:
            sums[name] += row[name]
    for name in COUNT_FIELDS:
        if report["TongHop"][name] != sums[name]:
            raise ReportRefused(
                f"TongHop.{name}",
                f"TongHop.{name}: {report['TongHop'][name]} is not the rows' sum, {sums[name]}",
            )


def _field_path(path: str) -> str:
    """``ChiTieu.2.SoKy`` as the contract writes it: ``ChiTieu[2].SoKy``."""
    parts = path.split(".")
    written = ""
    for part in parts:
        written += f"[{part}]" if part.isdigit() else (f".{part}" if written else part)
    return written


@dataclass(slots=True)
class Held:
    """One report taken, with its receipt."""

    receipt: dict[str, Any]
    report: dict[str, Any]

    @property
    def key(self) -> tuple[str, str, int, int, str]:
        r = self.report
        return (r["MaBieuMau"], r["LoaiKy"], r["Nam"], r["SoKy"], r["MaDonVi"])


SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "reports": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["receipt", "report"],
                "properties": {"receipt": {"type": "object"}, "report": REPORT},
            },
        }
    },
}


class Reports:
    """Every report taken, in the order taken; the scenario state of the mock."""

    schema = SCHEMA

    def __init__(self, tokens: TokenStore) -> None:
        self._tokens = tokens
        self.taken: list[Held] = []
        self._by_request: dict[str, Held] = {}

    def submit(self, report: Mapping[str, Any]) -> dict[str, Any]:
        """The receipt of ``report`` (checked already): the one given before for its
        ``MaYeuCau``, or a new one."""
        known = self._by_request.get(report["MaYeuCau"])
        if known is not None:
            return known.receipt
        held = Held(receipt={}, report=dict(report))
        earlier = [h for h in self.taken if h.key == held.key]
        held.receipt = {
            "MaBienNhan": "BC-" + "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12)),
            "MaYeuCau": report["MaYeuCau"],
            "MaBieuMau": report["MaBieuMau"],
            "LoaiKy": report["LoaiKy"],
            "Nam": report["Nam"],
            "SoKy": report["SoKy"],
            "MaDonVi": report["MaDonVi"],
            "LanNop": len(earlier) + 1,
            "ThoiGianTiepNhan": datetime.now(UTC).isoformat(timespec="seconds"),
            "TrangThai": "DA_TIEP_NHAN",
        }
        self.taken.append(held)
        self._by_request[report["MaYeuCau"]] = held
        return held.receipt

    def find(self, receipt_id: str) -> Held | None:
        return next((h for h in self.taken if h.receipt["MaBienNhan"] == receipt_id), None)

    def latest(self) -> list[Held]:
        """The report held for each template, period and unit: the last one taken."""
        found: dict[tuple[str, str, int, int, str], Held] = {}
        for held in self.taken:
            found[held.key] = held
        return sorted(found.values(), key=self.taken.index)

    def state(self) -> dict[str, Any]:
        return {
            "reports": len(self.latest()),
            "submissions": len(self.taken),
            "tokens": self._tokens.active(),
        }

    def reset(self) -> None:
        self._tokens.revoke_all()
        self.taken.clear()
        self._by_request.clear()

    def expire(self) -> dict[str, int]:
        return {"tokens": self._tokens.expire_all()}

    def snapshot(self) -> dict[str, Any]:
        return {"reports": [{"receipt": h.receipt, "report": h.report} for h in self.taken]}

    def restore(self, spec: Mapping[str, Any]) -> None:
        taken: list[Held] = []
        for index, item in enumerate(spec.get("reports", [])):
            try:
                check(item["report"])
            except ReportRefused as exc:
                raise ScenarioError(f"reports.{index}.report.{exc}") from None
            if "MaBienNhan" not in item["receipt"]:
                raise ScenarioError(f"reports.{index}.receipt.MaBienNhan: is required")
            taken.append(Held(receipt=dict(item["receipt"]), report=dict(item["report"])))
        self.taken = taken
        self._by_request = {h.report["MaYeuCau"]: h for h in taken}
