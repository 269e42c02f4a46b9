"""The public reference tables the demo draws from, read from the package's ``data/`` folder.

They are copies of the project's seed data (UTF-8, NFC, a header row): 94 real national
procedures, the province codes that open a 12-digit personal ID, and real agency identifiers.
Reading them once and caching keeps generation fast and the files the single source of truth.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True, slots=True)
class CatalogueProcedure:
    """One national procedure as the portal lists it (``ma_tthc``, name, field, level)."""

    code: str
    name: str
    field: str
    level: str


@dataclass(frozen=True, slots=True)
class BirthProvince:
    """A province as the first three digits of a personal ID name it."""

    id_code: str
    name: str


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("gateway.demo.data").joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def procedures() -> tuple[CatalogueProcedure, ...]:
    return tuple(
        CatalogueProcedure(
            code=row["ma_tthc"],
            name=row["ten_tthc"],
            field=row["linh_vuc"],
            level=row["cap_thuc_hien"],
        )
        for row in _rows("procedures.csv")
    )


@cache
def birth_provinces() -> tuple[BirthProvince, ...]:
    return tuple(
        BirthProvince(id_code=row["id_code"], name=row["province_vi"])
        for row in _rows("province-id-codes.csv")
    )


@cache
def organisations() -> dict[str, str]:
    """Agency names by identifier (``000.00.00.H56`` → ``UBND tỉnh Thanh Hóa``)."""
    return {row["organ_id"]: row["name_vi"] for row in _rows("organisations.csv")}
