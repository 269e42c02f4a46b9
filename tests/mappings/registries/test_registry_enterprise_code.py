"""Enterprise codes: the form is a hard rule, the check digit a warning an operator overrides."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mappings import CheckDigitMismatch, check_enterprise_code
from mappings.registries import check_digit

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def rule_digit(prefix: str) -> int | None:
    """The tenth digit by the rule as the national documents state it, computed independently."""
    remainder = sum(int(d) * w for d, w in zip(prefix, WEIGHTS, strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def with_check(prefix: str) -> str:
    digit = rule_digit(prefix)
    assert digit is not None
    return f"{prefix}{digit}"


@pytest.mark.parametrize(
    "code", ["0100109106", "0300588569", "0100112437", "0100686209", "0101245486"]
)
def test_real_enterprise_codes_pass(code: str) -> None:
    assert rule_digit(code[:9]) == int(code[9])

    parsed = check_enterprise_code(code)

    assert parsed.code == parsed.head_office == code
    assert parsed.branch is None
    assert not parsed.is_branch
    assert parsed.check_digit_ok


@pytest.mark.parametrize("prefix", ["031030328", "010168588", "123456789"])
def test_codes_built_by_the_rule_pass(prefix: str) -> None:
    assert check_enterprise_code(with_check(prefix)).check_digit_ok


def test_a_remainder_of_ten_gives_check_digit_zero() -> None:
    assert sum(int(d) * w for d, w in zip("010010189", WEIGHTS, strict=True)) % 11 == 10

    assert check_digit("010010189") == 0
    assert check_enterprise_code("0100101890").check_digit_ok


def test_branch_code_carries_its_head_office_and_number() -> None:
    parsed = check_enterprise_code("0100109106-001")

    assert parsed.head_office == "0100109106"
    assert parsed.branch == "001"
    assert parsed.is_branch
    assert parsed.check_digit_ok


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("010010910", "an enterprise code has 10 digits"),
        ("01001091066", "an enterprise code has 10 digits"),
        ("010010910A", "an enterprise code has 10 digits"),
        ("0100109106001", "an enterprise code has 10 digits"),
        ("0100109106-01", "an enterprise code has 10 digits"),
        ("0100109106-0001", "an enterprise code has 10 digits"),
        ("0100109106 ", "an enterprise code has 10 digits"),
        ("", "an enterprise code has 10 digits"),
        ("0100109106-000", "branch numbers run from 001 to 999"),
    ],
)
def test_code_of_another_form_is_a_plain_error_no_override_lifts(code: str, says: str) -> None:
    for allow in (False, True):
        with pytest.raises(ValueError, match="is not an enterprise code") as caught:
            check_enterprise_code(code, allow_check_digit_mismatch=allow)

        assert not isinstance(caught.value, CheckDigitMismatch)
        assert says in str(caught.value)


@pytest.mark.parametrize("code", ["0100109107", "0100109106"[:9] + "0", "0100109107-002"])
def test_check_digit_mismatch_raises_the_overridable_error(code: str) -> None:
    with pytest.raises(CheckDigitMismatch) as caught:
        check_enterprise_code(code)

    assert caught.value.expected == 6
    assert "the rule gives 6" in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_check_digit_mismatch_passes_when_overridden_and_says_so() -> None:
    parsed = check_enterprise_code("0100109107-002", allow_check_digit_mismatch=True)

    assert parsed.head_office == "0100109107"
    assert parsed.branch == "002"
    assert not parsed.check_digit_ok


def test_prefix_with_remainder_zero_is_never_issued_but_can_be_overridden() -> None:
    with pytest.raises(CheckDigitMismatch, match="remainder of 0, never issued") as caught:
        check_enterprise_code("0000000000")

    assert caught.value.expected is None
    assert not check_enterprise_code("0000000000", allow_check_digit_mismatch=True).check_digit_ok


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_every_issuable_prefix_yields_exactly_one_valid_code(prefix: str) -> None:
    expected = rule_digit(prefix)

    assert check_digit(prefix) == expected
    for digit in range(10):
        code = f"{prefix}{digit}"
        if digit == expected:
            assert check_enterprise_code(code).check_digit_ok
            assert check_enterprise_code(f"{code}-001").check_digit_ok
        else:
            with pytest.raises(CheckDigitMismatch):
                check_enterprise_code(code)
