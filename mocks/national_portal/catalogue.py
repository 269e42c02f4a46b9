"""The portal's catalogue of national procedures, the fields (lĩnh vực) they are filed under, and
the portal's other lists.

Seeded from ``data/procedures.csv``: real national procedure codes and official names, crawled
from the portal (see ``shared/data/README.md`` of the project). The CSV names each procedure's
field but not the field's code, so the mock assigns codes ``LV001``, ``LV002``... in order of first
appearance; callers may rely on a field's code being stable for a given CSV, not across CSVs.
The agencies and fees ``LayThuTuc`` answers are the mock's own, assigned in catalogue order: the
province's people's committee carries every procedure out, with the commune's for those of the
commune level, and every third procedure has a fee. The other lists (religions, marital
statuses, applicants, levels, legal bases) are small fixed tables.

A running mock's catalogue changes as a test says (``LiveCatalogue``: a procedure added, changed
or withdrawn), so a client's catalogue sync has something to notice; a reset brings the seed back.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

DEFAULT_CSV = Path(__file__).resolve().parent / "data" / "procedures.csv"

Procedure = dict[str, str]
Field = dict[str, str]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


SUMMARY_FIELDS = ("MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "CapThucHien")
"""What ``LayDanhSachTTHC`` answers of each procedure; ``LayThuTuc`` answers the whole object."""

PROVINCE = {"MaCoQuan": "000.00.00.H56", "TenCoQuan": "Ủy ban nhân dân tỉnh Thanh Hóa"}
COMMUNE = {"MaCoQuan": "000.00.01.H56", "TenCoQuan": "Ủy ban nhân dân xã Quảng Phú"}

LISTS: dict[str, tuple[dict[str, str], ...]] = {
    "LayDanhMucTonGiao": tuple(
        {"MaTonGiao": code, "TenTonGiao": name}
        for code, name in (
            ("00", "Không"),
            ("01", "Phật giáo"),
            ("02", "Công giáo"),
            ("03", "Tin lành"),
            ("04", "Cao Đài"),
            ("05", "Phật giáo Hòa Hảo"),
            ("06", "Hồi giáo"),
        )
    ),
    "LayDanhMucTinhTrangHonNhan": tuple(
        {"MaTinhTrangHonNhan": code, "TenTinhTrangHonNhan": name}
        for code, name in (
            ("1", "Chưa kết hôn"),
            ("2", "Đã kết hôn"),
            ("3", "Đã ly hôn"),
            ("4", "Góa"),
        )
    ),
    "LayDanhMucDoiTuong": tuple(
        {"MaDoiTuong": code, "TenDoiTuong": name}
        for code, name in (
            ("1", "Công dân Việt Nam"),
            ("2", "Doanh nghiệp"),
            ("3", "Cơ quan nhà nước"),
            ("4", "Tổ chức khác"),
        )
    ),
    "LayDanhMucCapThucHien": tuple(
        {"MaCapThucHien": code, "TenCapThucHien": name}
        for code, name in (("1", "Cấp bộ"), ("2", "Cấp tỉnh"), ("3", "Cấp xã"))
    ),
    "LayDanhMucCanCuPhapLy": tuple(
        {"MaCanCuPhapLy": code, "SoKyHieu": number, "TenCanCuPhapLy": name}
        for code, number, name in (
            ("CC001", "60/2014/QH13", "Luật Hộ tịch"),
            ("CC002", "123/2015/NĐ-CP", "Nghị định quy định chi tiết Luật Hộ tịch"),
            ("CC003", "68/2020/QH14", "Luật Cư trú"),
            ("CC004", "59/2020/QH14", "Luật Doanh nghiệp"),
            ("CC005", "61/2018/NĐ-CP", "Nghị định về cơ chế một cửa, một cửa liên thông"),
        )
    ),
}
"""The portal's other lists, by the service that answers each."""


def _in_full(index: int, procedure: Procedure) -> dict[str, Any]:
    """``procedure`` with the agencies and fees the mock assigns it (``index`` in the CSV)."""
    agencies = [PROVINCE, COMMUNE] if "xã" in procedure["CapThucHien"] else [PROVINCE]
    fees = (
        [
            {
                "MaPhiLePhi": f"LP{index + 1:03d}",
                "TenPhiLePhi": "Lệ phí giải quyết thủ tục",
                "Gia": str(10000 * (index % 5 + 1)),
                "MoTa": "Nộp khi nhận kết quả",
            }
        ]
        if index % 3 == 1
        else []
    )
    return {**procedure, "CoQuanThucHien": agencies, "DanhSachLePhi": fees}


def summary(procedure: Mapping[str, Any]) -> Procedure:
    """What ``LayDanhSachTTHC`` lists of ``procedure``."""
    return {name: procedure.get(name, "") for name in SUMMARY_FIELDS}


class Catalogue:
    """Procedures (in full) and fields in catalogue order, shaped as the portal answers them.

    The objects are shared by every reply that lists them: callers must not change them.
    """

    def __init__(self, procedures: Sequence[Mapping[str, Any]], fields: Sequence[Field]) -> None:
        self.procedures = tuple(dict(p) for p in procedures)
        self.fields = tuple(fields)
        self._by_code = {p["MaTTHC"]: p for p in self.procedures}

    def procedure(self, code: str) -> dict[str, Any] | None:
        """The procedure of national code ``code`` in full, or None."""
        return self._by_code.get(code)

    def procedures_of(self, field_code: str) -> list[dict[str, Any]]:
        """The procedures filed under field ``field_code``, in catalogue order."""
        return [p for p in self.procedures if p["MaLinhVuc"] == field_code]


class LiveCatalogue:
    """The seed catalogue as a test changed it: procedures put (added or changed, in full) and
    withdrawn. Reads see the changes at once; ``reset`` forgets them. Added procedures come after
    the seed's, in the order they were added."""

    def __init__(self, seed: Catalogue) -> None:
        self.seed = seed
        self._put: dict[str, dict[str, Any]] = {}
        self._withdrawn: set[str] = set()

    @property
    def fields(self) -> tuple[Field, ...]:
        return self.seed.fields

    @property
    def procedures(self) -> list[dict[str, Any]]:
        seeded = [self._put.get(p["MaTTHC"], p) for p in self.seed.procedures]
        added = [p for code, p in self._put.items() if self.seed.procedure(code) is None]
        return [p for p in (*seeded, *added) if p["MaTTHC"] not in self._withdrawn]

    def procedure(self, code: str) -> dict[str, Any] | None:
        if code in self._withdrawn:
            return None
        return self._put.get(code) or self.seed.procedure(code)

    def procedures_of(self, field_code: str) -> list[dict[str, Any]]:
        return [p for p in self.procedures if p["MaLinhVuc"] == field_code]

    def put(self, procedure: Mapping[str, Any]) -> bool:
        """Add or change a procedure (in full); True when it was not in the catalogue."""
        code = procedure["MaTTHC"]
        new = self.procedure(code) is None
        self._withdrawn.discard(code)
        self._put[code] = dict(procedure)
        return new

    def withdraw(self, code: str) -> bool:
        """Take a procedure out of the catalogue; False when it was not in it."""
        if self.procedure(code) is None:
            return False
        self._withdrawn.add(code)
        return True

    def changes(self) -> dict[str, Any]:
        """What differs from the seed: ``put`` procedures and ``withdrawn`` codes."""
        return {"put": list(self._put.values()), "withdrawn": sorted(self._withdrawn)}

    def reset(self) -> None:
        self._put.clear()
        self._withdrawn.clear()


@cache
def load_catalogue(path: Path = DEFAULT_CSV) -> Catalogue:
    """The catalogue of a CSV with columns ``ma_tthc, ten_tthc, linh_vuc, cap_thuc_hien``, each
    procedure with the agencies and fees the mock assigns it."""
    field_codes: dict[str, str] = {}
    procedures: list[Procedure] = []
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            field_name = _nfc(row["linh_vuc"])
            if field_name and field_name not in field_codes:
                field_codes[field_name] = f"LV{len(field_codes) + 1:03d}"
            listed = {
                "MaTTHC": row["ma_tthc"].strip(),
                "TenTTHC": _nfc(row["ten_tthc"]),
                "MaLinhVuc": field_codes.get(field_name, ""),
                "TenLinhVuc": field_name,
                "CapThucHien": _nfc(row["cap_thuc_hien"]),
            }
            procedures.append(_in_full(len(procedures), listed))
    fields = [{"MaLinhVuc": code, "TenLinhVuc": name} for name, code in field_codes.items()]
    return Catalogue(procedures, fields)
