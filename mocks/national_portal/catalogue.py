"""The portal's catalogue of national procedures and the fields (lĩnh vực) they are filed under.

Seeded from ``data/procedures.csv``: real national procedure codes and official names, crawled
from the portal (see ``shared/data/README.md`` of the project). The CSV names each procedure's
field but not the field's code, so the mock assigns codes ``LV001``, ``LV002``... in order of first
appearance; callers may rely on a field's code being stable for a given CSV, not across CSVs.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

DEFAULT_CSV = Path(__file__).resolve().parent / "data" / "procedures.csv"

Procedure = dict[str, str]
Field = dict[str, str]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


class Catalogue:
    """Procedures and fields in catalogue order, shaped as the portal answers them.

    The objects are shared by every reply that lists them: callers must not change them.
    """

    def __init__(self, procedures: Sequence[Procedure], fields: Sequence[Field]) -> None:
        self.procedures = tuple(procedures)
        self.fields = tuple(fields)
        self._by_code = {p["MaTTHC"]: p for p in self.procedures}

    def procedure(self, code: str) -> Procedure | None:
        """The procedure of national code ``code``, or None."""
        return self._by_code.get(code)

    def procedures_of(self, field_code: str) -> list[Procedure]:
        """The procedures filed under field ``field_code``, in catalogue order."""
        return [p for p in self.procedures if p["MaLinhVuc"] == field_code]


@cache
def load_catalogue(path: Path = DEFAULT_CSV) -> Catalogue:
    """The catalogue of a CSV with columns ``ma_tthc, ten_tthc, linh_vuc, cap_thuc_hien``."""
    field_codes: dict[str, str] = {}
    procedures: list[Procedure] = []
    with path.open(encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            field_name = _nfc(row["linh_vuc"])
            if field_name and field_name not in field_codes:
                field_codes[field_name] = f"LV{len(field_codes) + 1:03d}"
            procedures.append(
                {
                    "MaTTHC": row["ma_tthc"].strip(),
                    "TenTTHC": _nfc(row["ten_tthc"]),
                    "MaLinhVuc": field_codes.get(field_name, ""),
                    "TenLinhVuc": field_name,
                    "CapThucHien": _nfc(row["cap_thuc_hien"]),
                }
            )
    fields = [{"MaLinhVuc": code, "TenLinhVuc": name} for name, code in field_codes.items()]
    return Catalogue(procedures, fields)
