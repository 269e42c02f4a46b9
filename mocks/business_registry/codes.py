"""Enterprise codes (mã số doanh nghiệp, which is also the tax code) and the rules they obey.

A head office has ten digits, the tenth checking the first nine: with weights 31, 29, 23, 19,
17, 13, 7, 5, 3, the check digit is 10 − (Σ digit × weight mod 11); a remainder of 10 gives 0,
and a remainder of 0 is never issued. A branch adds a three-digit suffix, ``NNNNNNNNNN-001``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
FIELD = "MaSoDoanhNghiep"


class Rule(StrEnum):
    """The rule a malformed code breaks, as the 400 reply names it in ``rule``."""

    required = "required"
    length = "length"
    digits = "digits"
    check_digit = "check_digit"
    not_issued = "not_issued"
    branch_suffix = "branch_suffix"


class CodeError(ValueError):
    """A code that breaks one of the rules; the message names the field and the rule."""

    def __init__(self, rule: Rule, message: str) -> None:
        super().__init__(f"{FIELD}: {message}")
        self.rule = rule


def check_digit(prefix: str) -> int | None:
    """The check digit of nine digits, or None when their remainder is 0 (never issued)."""
    remainder = sum(int(d) * w for d, w in zip(prefix, WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return None
    return (10 - remainder) % 10


def complete(prefix: str) -> str | None:
    """The ten-digit code of nine digits, or None when that prefix is never issued."""
    digit = check_digit(prefix)
    return None if digit is None else f"{prefix}{digit}"


@dataclass(frozen=True, slots=True)
class EnterpriseCode:
    """A well-formed code: the head office's ten digits and, for a branch, its suffix."""

    head: str
    branch: str | None = None

    def __str__(self) -> str:
        return self.head if self.branch is None else f"{self.head}-{self.branch}"


PARSED_KEPT = 65536
"""Well-formed codes kept parsed: a lookup asked again (as under load) is not checked anew."""


@functools.lru_cache(maxsize=PARSED_KEPT)
def parse(text: str | None) -> EnterpriseCode:
    """The code in ``text`` (spaces around it ignored), or ``CodeError`` naming the rule broken.

    A code is immutable, so the same text gives the same object while it is kept.
    """
    if text is None or not text.strip():
        raise CodeError(Rule.required, "is required (10 digits, or NNNNNNNNNN-NNN for a branch)")
    code = text.strip()
    head, dash, branch = code.partition("-")
    if len(code) not in (10, 14) or len(head) != 10 or (dash and len(branch) != 3):
        raise CodeError(
            Rule.length,
            f"must be 10 digits, or 13 digits written NNNNNNNNNN-NNN for a branch; "
            f"{code!r} has {len(code)} characters",
        )
    if not all(part.isascii() and part.isdigit() for part in ((head, branch) if dash else (head,))):
        raise CodeError(Rule.digits, f"{code!r} must hold digits only, but for the branch dash")
    expected = check_digit(head[:9])
    if expected is None:
        raise CodeError(
            Rule.not_issued,
            f"{code!r} cannot exist: its first nine digits leave a remainder of 0 "
            "and such codes are never issued",
        )
    if int(head[9]) != expected:
        raise CodeError(
            Rule.check_digit,
            f"{code!r} fails the check digit: the tenth digit should be {expected}, not {head[9]}",
        )
    if dash and branch == "000":
        raise CodeError(Rule.branch_suffix, f"{code!r}: a branch suffix runs from 001 to 999")
    return EnterpriseCode(head, branch if dash else None)
