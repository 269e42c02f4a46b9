"""The canonical dossier refuses what no national system would take, saying which field and why."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

import pytest
from pydantic import ValidationError

from mappings import VIETNAM, Dossier, ProgressStep


def _with(dossier: Dossier, **changes: Any) -> dict[str, Any]:
    return {**dossier.model_dump(), **changes}


def _error_of(model: type[Dossier] | type[ProgressStep], data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return str(caught.value)


@pytest.mark.parametrize(
    "code",
    ["000.00.01.H56-250301", "H56-250301-00012", "000.00.01.H56-251301-00012", ""],
)
def test_dossier_code_of_another_form_is_refused_naming_the_rule(
    minimal_dossier: Dossier, code: str
) -> None:
    message = _error_of(Dossier, _with(minimal_dossier, code=code))

    assert "code\n" in message
    assert "is not a dossier code" in message


def test_dossier_code_with_an_impossible_day_says_so(minimal_dossier: Dossier) -> None:
    message = _error_of(Dossier, _with(minimal_dossier, code="000.00.01.H56-250231-00012"))

    assert "'250231' is not a date yyMMdd" in message


@pytest.mark.parametrize("unit", ["000.00.01", "00.00.01.H56", "000.00.01.h56", "000.00.01.H5"])
def test_unit_id_of_another_form_is_refused_naming_the_rule(
    minimal_dossier: Dossier, unit: str
) -> None:
    message = _error_of(Dossier, _with(minimal_dossier, handling_unit=unit))

    assert "handling_unit\n" in message
    assert "V1V2V3.Z1Z2.Y1Y2.Hnn" in message


def test_codes_with_non_ascii_digits_are_refused(minimal_dossier: Dossier) -> None:
    thai_unit = "๐๐๐.๐๐.๐๑.H๕๖"

    message = _error_of(Dossier, _with(minimal_dossier, handling_unit=thai_unit))

    assert "is not a unit identifier" in message


@pytest.mark.parametrize("code", ["1.00356", "1003560", "1.003560.H56", "1.003560.000.00.00"])
def test_procedure_code_of_another_form_is_refused_naming_the_rule(
    minimal_dossier: Dossier, code: str
) -> None:
    message = _error_of(Dossier, _with(minimal_dossier, procedure={"code": code}))

    assert "procedure.code\n" in message
    assert "national form 1.003560" in message


def test_summary_over_1000_characters_is_refused(minimal_dossier: Dossier) -> None:
    message = _error_of(Dossier, _with(minimal_dossier, summary="a" * 1001))

    assert "summary\n" in message
    assert "at most 1000 characters" in message


def test_summary_limit_counts_characters_not_combining_marks(minimal_dossier: Dossier) -> None:
    decomposed = unicodedata.normalize("NFD", "ế" * 1000)

    dossier = Dossier.model_validate(_with(minimal_dossier, summary=decomposed))

    assert dossier.summary == "ế" * 1000


def test_officer_over_50_characters_is_refused(progress_step: ProgressStep) -> None:
    message = _error_of(ProgressStep, {**progress_step.model_dump(), "officer": "Nguyễn" * 9})

    assert "officer\n" in message
    assert "at most 50 characters" in message


def test_text_is_stored_in_nfc(minimal_dossier: Dossier) -> None:
    decomposed = unicodedata.normalize("NFD", "Trần Văn Bình")

    dossier = Dossier.model_validate(
        _with(minimal_dossier, applicant={"kind": "citizen", "name": decomposed})
    )

    assert dossier.applicant.name == "Trần Văn Bình"
    assert unicodedata.is_normalized("NFC", dossier.applicant.name)


def test_blank_optional_text_is_absent(minimal_dossier: Dossier) -> None:
    dossier = Dossier.model_validate(_with(minimal_dossier, note="   ", receipt_number=""))

    assert dossier.note is None
    assert dossier.receipt_number is None


def test_naive_times_are_read_on_the_vietnamese_clock(minimal_dossier: Dossier) -> None:
    dossier = Dossier.model_validate(_with(minimal_dossier, received_at=datetime(2025, 3, 1, 9, 0)))

    assert dossier.received_at == datetime(2025, 3, 1, 9, 0, tzinfo=VIETNAM)


def test_dossier_from_json_is_normalised_like_one_from_python(minimal_dossier: Dossier) -> None:
    decomposed = unicodedata.normalize("NFD", minimal_dossier.model_dump_json())

    assert Dossier.model_validate_json(decomposed) == minimal_dossier


@pytest.mark.parametrize("when", [0, 1700000000, "1700000000", 0.5, "2025-03-01", True])
def test_a_time_must_be_an_iso_string_not_a_number(minimal_dossier: Dossier, when: Any) -> None:
    message = _error_of(Dossier, _with(minimal_dossier, received_at=when))

    assert "received_at\n" in message
    assert "ISO 8601" in message


def test_a_date_of_birth_must_be_a_string_yyyy_mm_dd(minimal_dossier: Dossier) -> None:
    applicant = {"kind": "citizen", "name": "Trần Văn Bình", "date_of_birth": 0}

    message = _error_of(Dossier, _with(minimal_dossier, applicant=applicant))

    assert "applicant.date_of_birth\n" in message
    assert "yyyy-mm-dd" in message


def test_a_lone_surrogate_is_refused_naming_the_field(minimal_dossier: Dossier) -> None:
    message = _error_of(Dossier, _with(minimal_dossier, summary="tóm tắt \ud800"))

    assert "summary\n" in message
    assert "lone surrogate" in message


def test_a_lone_surrogate_in_a_list_of_text_is_refused_naming_its_place(
    minimal_dossier: Dossier,
) -> None:
    message = _error_of(Dossier, _with(minimal_dossier, connected_databases=["CSDL", "\udc00"]))

    assert "connected_databases.1\n" in message


def test_text_nested_deeper_than_any_field_is_refused_without_recursing_into_it(
    minimal_dossier: Dossier,
) -> None:
    nested: list[Any] = []
    for _ in range(5000):
        nested = [nested]

    message = _error_of(Dossier, _with(minimal_dossier, connected_databases=nested))

    assert "connected_databases.0\n" in message


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", float("inf")), ("amount", float("nan")), ("amount", 1e300)],
)
def test_a_fee_amount_is_a_finite_number_within_reason(
    minimal_dossier: Dossier, field: str, value: float
) -> None:
    fee = {"name": "Lệ phí", field: value}

    message = _error_of(Dossier, _with(minimal_dossier, fees=[fee]))

    assert "fees.0.amount\n" in message


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_a_time_with_no_place_on_every_clock_is_refused(
    minimal_dossier: Dossier, when: str
) -> None:
    message = _error_of(Dossier, _with(minimal_dossier, received_at=when))

    assert "received_at\n" in message
    assert "years 1 to 9999" in message
