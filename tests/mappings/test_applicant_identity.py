"""A dossier's applicant carries identity numbers that hold: each refusal names the field and the
rule, as the registry lookups do."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from mappings import Dossier
from mappings.dossier import IdType, id_type_of

COMPANY = "0100109106"
"""An enterprise code whose check digit holds."""
MISTYPED_COMPANY = "0100109107"


def _with_applicant(dossier: Dossier, **applicant: Any) -> dict[str, Any]:
    data = dossier.model_dump()
    data["applicant"] = {**data["applicant"], **applicant}
    return data


def _errors(data: dict[str, Any]) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        Dossier.model_validate(data)
    return [dict(error) for error in caught.value.errors()]


@pytest.mark.parametrize(
    ("number", "rule"),
    [
        ("999095001234", "'999' is not a province code"),
        ("001695001234", "century and sex digit"),
        ("00109500123", "12 digits"),
    ],
)
def test_a_personal_id_that_breaks_a_rule_is_refused_naming_applicant_id_number(
    minimal_dossier: Dossier, number: str, rule: str
) -> None:
    data = _with_applicant(minimal_dossier, id_type="personal_id", id_number=number)
    (error,) = _errors(data)
    assert error["loc"] == ("applicant", "id_number")
    assert error["type"] == "personal_id"
    assert rule in error["msg"]


def test_a_personal_id_of_another_birth_year_than_the_date_of_birth_is_refused(
    minimal_dossier: Dossier,
) -> None:
    data = _with_applicant(
        minimal_dossier, id_type="personal_id", id_number="001095001234", date_of_birth="1996-04-02"
    )
    (error,) = _errors(data)
    assert error["loc"] == ("applicant", "id_number")
    assert "born in 1995" in error["msg"] and "1996" in error["msg"]


def test_a_personal_id_matching_the_date_of_birth_is_accepted(minimal_dossier: Dossier) -> None:
    data = _with_applicant(
        minimal_dossier, id_type="personal_id", id_number="001095001234", date_of_birth="1995-04-02"
    )
    assert Dossier.model_validate(data).applicant.date_of_birth is not None


def test_a_number_without_a_type_is_checked_as_the_type_its_form_shows(
    minimal_dossier: Dossier,
) -> None:
    (error,) = _errors(_with_applicant(minimal_dossier, id_number="999095001234"))
    assert (error["loc"], error["type"]) == (("applicant", "id_number"), "personal_id")
    passport = _with_applicant(minimal_dossier, id_type="passport", id_number="999095001234")
    assert Dossier.model_validate(passport).applicant.id_number == "999095001234"


def test_an_old_id_must_have_nine_digits(minimal_dossier: Dossier) -> None:
    (error,) = _errors(_with_applicant(minimal_dossier, id_type="old_id", id_number="17345678"))
    assert (error["loc"], error["type"]) == (("applicant", "id_number"), "old_id")
    assert "9 digits" in error["msg"]


def test_an_enterprise_code_whose_check_digit_fails_is_refused_unless_the_override_is_given(
    minimal_dossier: Dossier,
) -> None:
    data = _with_applicant(
        minimal_dossier, kind="business", id_type="enterprise_code", id_number=MISTYPED_COMPANY
    )
    (error,) = _errors(data)
    assert (error["loc"], error["type"]) == (("applicant", "id_number"), "check_digit_mismatch")
    assert "allow_check_digit_mismatch" in error["msg"]
    allowed = {**data, "applicant": {**data["applicant"], "allow_check_digit_mismatch": True}}
    assert Dossier.model_validate(allowed).applicant.id_number == MISTYPED_COMPANY


def test_the_override_does_not_excuse_a_code_of_the_wrong_form(minimal_dossier: Dossier) -> None:
    data = _with_applicant(
        minimal_dossier,
        kind="business",
        id_type="enterprise_code",
        id_number="0100109106-000",
        allow_check_digit_mismatch=True,
    )
    (error,) = _errors(data)
    assert error["type"] == "enterprise_code"
    assert "001 to 999" in error["msg"]


def test_further_identifiers_are_checked_too_each_named_by_its_place(
    minimal_dossier: Dossier,
) -> None:
    data = _with_applicant(
        minimal_dossier,
        identifiers=[
            {"type": "old_id", "number": "173456789"},
            {"type": "personal_id", "number": "099095012345"},
            {"type": "enterprise_code", "number": COMPANY},
        ],
    )
    (error,) = _errors(data)
    assert error["loc"] == ("applicant", "identifiers", 1, "number")


def test_every_broken_number_is_reported_at_once(minimal_dossier: Dossier) -> None:
    data = _with_applicant(
        minimal_dossier,
        id_type="personal_id",
        id_number="999095001234",
        identifiers=[{"type": "old_id", "number": "1"}],
    )
    assert [e["loc"] for e in _errors(data)] == [
        ("applicant", "id_number"),
        ("applicant", "identifiers", 0, "number"),
    ]


def test_the_form_of_a_number_says_its_type() -> None:
    assert id_type_of("038190012345") is IdType.personal_id
    assert id_type_of("173456789") is IdType.old_id
    assert id_type_of("0100109106-001") is IdType.enterprise_code
    assert id_type_of("C1234567") is None


def test_the_json_schema_states_the_pattern_of_each_type(minimal_dossier: Dossier) -> None:
    schema = Dossier.model_json_schema()["$defs"]["Applicant"]
    patterns = {
        condition["if"]["properties"]["id_type"].get("const"): condition["then"]["properties"][
            "id_number"
        ]["pattern"]
        for condition in schema["allOf"]
        if "const" in condition["if"]["properties"]["id_type"]
    }
    assert patterns["old_id"] == "^[0-9]{9}$"
    assert patterns["personal_id"].startswith("^(?:001|002|004|")
    assert "enterprise_code" in patterns
