"""The enterprise code (mã số doanh nghiệp), which is also the tax code.

A head office has 10 digits; a branch or other dependent unit has 13, written
``NNNNNNNNNN-NNN``: its head office's 10 digits, a hyphen and the unit's number (001-999).

The tenth digit checks the first nine. With weights 31, 29, 23, 19, 17, 13, 7, 5, 3 and ``r``
the weighted sum modulo 11, the check digit is ``10 - r``. Read literally:

- ``r = 10`` gives ``10 - 10 = 0``, so the rule's "a remainder of 10 gives 0" is the formula
  itself, not an exception to it;
- ``r = 0`` would give 10, which is no digit: such nine-digit prefixes are never issued, so no
  tenth digit makes them valid (``check_digit`` returns ``None``).

The rule is a widely used convention, not one the circular quotes, and codes issued before it
or by mistake may break it. So a code of the right form whose tenth digit disagrees (or whose
prefix is not issuable) raises ``CheckDigitMismatch``, a ``ValueError`` that a caller can catch
and show as a warning; an operator who has the registry's word for the code repeats the check
with ``allow_check_digit_mismatch=True``, and the returned ``EnterpriseCode`` then says
``check_digit_ok=False``. A code of the wrong form raises a plain ``ValueError`` that nothing
overrides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ENTERPRISE_CODE_RULE = (
    "an enterprise code has 10 digits, or 13 as NNNNNNNNNN-NNN for a branch "
    "(the head office's 10 digits, a hyphen and the branch number 001-999)"
)
CHECK_DIGIT_RULE = (
    "the tenth digit is 10 - (sum of the first nine digits times 31, 29, 23, 19, 17, 13, 7, 5, 3 "
    "mod 11); a remainder of 0 is never issued"
)
ENTERPRISE_CODE_PATTERN = "^[0-9]{10}(?:-(?:00[1-9]|0[1-9][0-9]|[1-9][0-9]{2}))?$"
"""The form of an enterprise code as a JSON Schema ``pattern`` (the check digit is arithmetic,
which a pattern cannot say)."""
WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)

_ENTERPRISE_CODE_RE = re.compile(r"(?P<head>[0-9]{10})(?:-(?P<branch>[0-9]{3}))?")


class CheckDigitMismatch(ValueError):
    """The code has the right form but its tenth digit breaks the check-digit rule.

    Catch it to warn; pass ``allow_check_digit_mismatch=True`` to accept the code anyway.
    ``expected`` is the digit the rule gives, ``None`` when the prefix is never issued.
    """

    def __init__(self, code: str, expected: int | None) -> None:
        found = code[9]
        if expected is None:
            reason = f"its first nine digits {code[:9]!r} leave a remainder of 0, never issued"
        else:
            reason = f"its tenth digit is {found}, the rule gives {expected}"
        super().__init__(
            f"enterprise code {code!r} fails the check digit: {reason} ({CHECK_DIGIT_RULE}); "
            "if the business registry confirms the code, accept it with an override"
        )
        self.code = code
        self.expected = expected


@dataclass(frozen=True)
class EnterpriseCode:
    """An enterprise code of the right form, split into its parts."""

    code: str
    """The code as given: 10 digits, or ``NNNNNNNNNN-NNN``."""
    head_office: str
    """The 10 digits of the head office (the code itself for a head office)."""
    branch: str | None
    """The three-digit branch number, ``None`` for a head office."""
    check_digit_ok: bool
    """False only when a check-digit mismatch was allowed."""

    @property
    def is_branch(self) -> bool:
        return self.branch is not None


def check_digit(prefix: str) -> int | None:
    """The tenth digit the rule gives for nine digits, ``None`` if the prefix is never issued."""
    if len(prefix) != 9 or not prefix.isascii() or not prefix.isdigit():
        raise ValueError(f"{prefix!r} is not nine digits, the part the check digit covers")
    remainder = sum(int(digit) * weight for digit, weight in zip(prefix, WEIGHTS, strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def check_enterprise_code(
    value: str, *, allow_check_digit_mismatch: bool = False
) -> EnterpriseCode:
    """Parse an enterprise code; ``ValueError`` for a wrong form, ``CheckDigitMismatch`` (unless
    allowed) for a tenth digit that breaks the rule."""
    match = _ENTERPRISE_CODE_RE.fullmatch(value)
    if not match:
        raise ValueError(f"{value!r} is not an enterprise code: {ENTERPRISE_CODE_RULE}")
    if match["branch"] == "000":
        raise ValueError(f"{value!r} is not an enterprise code: branch numbers run from 001 to 999")
    head = match["head"]
    expected = check_digit(head[:9])
    ok = expected == int(head[9])
    if not ok and not allow_check_digit_mismatch:
        raise CheckDigitMismatch(value, expected)
    return EnterpriseCode(code=value, head_office=head, branch=match["branch"], check_digit_ok=ok)
