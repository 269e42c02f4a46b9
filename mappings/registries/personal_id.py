"""The 12-digit personal identification number (số định danh cá nhân) and the 9-digit old ID.

The personal ID (Thông tư 07/2016/TT-BCA, 59/2021/TT-BCA) reads, digit by digit:

=========  ===========================================================================
1-3        the province where the birth was registered (``001`` Hà Nội … ``096`` Cà Mau)
4          century and sex: 0/1 born in the 1900s male/female, 2/3 2000s, 4/5 2100s
5-6        the last two digits of the birth year
7-12       a random number
=========  ===========================================================================

There is no check digit, so a mistyped random part cannot be caught here; only the registry can
say whether a number exists. The province table is the 63 provinces before the 2025 merger,
read from ``data/province-id-codes.csv`` in this package: numbers already issued keep them.

``check_personal_id`` raises ``ValueError`` whose message names the broken rule, so pydantic
reports it against the field that carried the number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources

PERSONAL_ID_RULE = (
    "a personal ID has 12 digits: the province code (3 digits), the century and sex digit "
    "(0-5), the last two digits of the birth year and 6 more"
)
OLD_ID_RULE = "an old identity card number has 9 digits"

_TWELVE_DIGITS = re.compile(r"[0-9]{12}")
_NINE_DIGITS = re.compile(r"[0-9]{9}")


class Sex(StrEnum):
    male = "male"
    female = "female"


@dataclass(frozen=True)
class PersonalId:
    """A personal ID that passed ``check_personal_id``, with what its digits say."""

    number: str
    province_code: str
    """The first three digits, e.g. ``001``."""
    province_name: str
    """The province's short name, e.g. ``Hà Nội``."""
    century: int
    """The first year of the century of birth: 1900, 2000 or 2100."""
    sex: Sex
    birth_year: int


_CENTURY_AND_SEX: Mapping[str, tuple[int, Sex]] = {
    "0": (1900, Sex.male),
    "1": (1900, Sex.female),
    "2": (2000, Sex.male),
    "3": (2000, Sex.female),
    "4": (2100, Sex.male),
    "5": (2100, Sex.female),
}


@cache
def provinces() -> Mapping[str, str]:
    """The province's short name by the three-digit code that opens a personal ID."""
    text = (
        resources.files("mappings.registries")
        .joinpath("data", "province-id-codes.csv")
        .read_text(encoding="utf-8")
    )
    return {row["id_code"]: row["province_vi"] for row in csv.DictReader(io.StringIO(text))}


def personal_id_pattern() -> str:
    """The form of a personal ID as a JSON Schema ``pattern``: a known province code, a century
    and sex digit, and 8 more digits (the birth year's agreement with a date of birth is a rule
    between two fields, which a pattern cannot say)."""
    codes = "|".join(sorted(provinces()))
    return f"^(?:{codes})[0-5][0-9]{{8}}$"


OLD_ID_PATTERN = "^[0-9]{9}$"
"""The old identity card number as a JSON Schema ``pattern``."""


def check_personal_id(
    value: str, *, date_of_birth: date | int | None = None, sex: Sex | None = None
) -> PersonalId:
    """Parse a personal ID, or raise ``ValueError`` naming the rule it breaks.

    ``date_of_birth`` (a date, or a year alone) and ``sex``, when given, must agree with what the
    number encodes: use them to check what a person typed against the number they gave.
    """
    if not _TWELVE_DIGITS.fullmatch(value):
        raise ValueError(f"{value!r} is not a personal ID: {PERSONAL_ID_RULE}")
    province_code, century_digit, year_digits = value[:3], value[3], value[4:6]
    name = provinces().get(province_code)
    if name is None:
        raise ValueError(
            f"{value!r} is not a personal ID: {province_code!r} is not a province code "
            "(the first three digits name the province of birth registration, 001-096)"
        )
    if century_digit not in _CENTURY_AND_SEX:
        raise ValueError(
            f"{value!r} is not a personal ID: its fourth digit {century_digit!r} is not a "
            "century and sex digit (0/1 born in the 1900s male/female, 2/3 2000s, 4/5 2100s)"
        )
    century, encoded_sex = _CENTURY_AND_SEX[century_digit]
    parsed = PersonalId(
        number=value,
        province_code=province_code,
        province_name=name,
        century=century,
        sex=encoded_sex,
        birth_year=century + int(year_digits),
    )
    if date_of_birth is not None:
        year = date_of_birth if isinstance(date_of_birth, int) else date_of_birth.year
        if year != parsed.birth_year:
            raise ValueError(
                f"personal ID {value!r} is of someone born in {parsed.birth_year} (digits 4-6), "
                f"not {year}: the birth year must match the number"
            )
    if sex is not None and sex != parsed.sex:
        raise ValueError(
            f"personal ID {value!r} is of a {parsed.sex} (digit 4), not a {sex}: "
            "the sex must match the number"
        )
    return parsed


def check_personal_id_number(value: str) -> str:
    """``check_personal_id`` for a model field: the number unchanged, or ``ValueError``."""
    return check_personal_id(value).number


def check_old_id(value: str) -> str:
    """The old 9-digit identity card number unchanged, or ``ValueError`` naming the rule."""
    if not _NINE_DIGITS.fullmatch(value):
        raise ValueError(f"{value!r} is not an old identity card number: {OLD_ID_RULE}")
    return value
