"""Formats of the national codes that name things: units, dossiers, procedures.

Each check returns the value unchanged or raises ``ValueError`` whose message names the rule, so
that pydantic reports it against the field that carried the value. Digits are ASCII digits only
(not the Thai or Devanagari digits a Unicode-aware pattern would admit, which no national system
accepts) and a value must match in full (no trailing newline).
"""

from __future__ import annotations

import re
from datetime import date

UNIT_ID_RULE = "a unit identifier has the form V1V2V3.Z1Z2.Y1Y2.Hnn, e.g. 000.00.01.H56"
DOSSIER_CODE_RULE = (
    "a dossier code has the form {unit identifier}-{yyMMdd}-{sequence}, "
    "e.g. 000.00.01.H56-250301-00012"
)
PROCEDURE_CODE_RULE = (
    "a procedure code has the national form 1.003560 "
    "or a local form with a unit suffix, e.g. 1.003560.000.00.00.H56"
)

_UNIT_ID = r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}"
_UNIT_ID_RE = re.compile(_UNIT_ID)
_DOSSIER_CODE_RE = re.compile(
    rf"(?P<unit>{_UNIT_ID})-(?P<day>[0-9]{{6}})-(?P<sequence>[0-9]{{1,10}})"
)
_PROCEDURE_CODE_RE = re.compile(rf"(?P<national>[0-9]\.[0-9]{{6}})(?:\.(?P<unit>{_UNIT_ID}))?")

UNIT_ID_PATTERN = f"^{_UNIT_ID}$"
"""The forms above as JSON Schema ``pattern`` values, for the API's contract. A dossier code's
day must also be on the calendar (no 30 February), which a pattern does not say in full."""
DOSSIER_CODE_PATTERN = (
    rf"^{_UNIT_ID}-[0-9]{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])-[0-9]{{1,10}}$"
)
PROCEDURE_CODE_PATTERN = rf"^[0-9]\.[0-9]{{6}}(?:\.{_UNIT_ID})?$"


def check_unit_id(value: str) -> str:
    if not _UNIT_ID_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a unit identifier: {UNIT_ID_RULE}")
    return value


def check_dossier_code(value: str) -> str:
    match = _DOSSIER_CODE_RE.fullmatch(value)
    if not match:
        raise ValueError(f"{value!r} is not a dossier code: {DOSSIER_CODE_RULE}")
    try:
        day = match["day"]
        date(2000 + int(day[:2]), int(day[2:4]), int(day[4:]))
    except ValueError:
        raise ValueError(
            f"{value!r} is not a dossier code: {match['day']!r} is not a date yyMMdd"
        ) from None
    return value


def check_procedure_code(value: str) -> str:
    if not _PROCEDURE_CODE_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a procedure code: {PROCEDURE_CODE_RULE}")
    return value


def national_procedure_code(value: str) -> str:
    """The national form of a procedure code: ``1.003560.000.00.00.H56`` → ``1.003560``."""
    match = _PROCEDURE_CODE_RE.fullmatch(value)
    if not match:
        raise ValueError(f"{value!r} is not a procedure code: {PROCEDURE_CODE_RULE}")
    return match["national"]
