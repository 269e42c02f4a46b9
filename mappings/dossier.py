"""The province's canonical dossier: what the one-stop system sends, in English names.

This is the model at the gateway's API boundary. National formats (the portal's ``DongBoHoSoMC``
object and friends) are mapped from and to it in ``mappings.national_portal``; nothing here knows
about them. What a caller may rely on once a model is built, besides the text and date rules of
every canonical model (``mappings.canonical``):

- times are timezone-aware; a naive time is read as Asia/Ho_Chi_Minh, the clock every one-stop
  system keeps;
- the applicant's identity numbers hold (``Applicant``): a personal ID has a known province,
  century and sex digit and, when the applicant's date of birth is given, its birth year; an old
  ID has 9 digits; an enterprise code has its form and its check digit, unless
  ``allow_check_digit_mismatch`` says the registry confirmed the code.
"""

from __future__ import annotations

import re
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, JsonValue, ValidationError, model_validator
from pydantic.config import JsonDict
from pydantic_core import InitErrorDetails, PydanticCustomError

from mappings.canonical import VIETNAM, Date, Model, NonEmptyText, Text, Time
from mappings.identifiers import (
    DOSSIER_CODE_PATTERN,
    PROCEDURE_CODE_PATTERN,
    UNIT_ID_PATTERN,
    check_dossier_code,
    check_procedure_code,
    check_unit_id,
)
from mappings.registries.enterprise_code import (
    ENTERPRISE_CODE_PATTERN,
    CheckDigitMismatch,
    check_enterprise_code,
)
from mappings.registries.personal_id import (
    OLD_ID_PATTERN,
    check_old_id,
    check_personal_id,
    personal_id_pattern,
)

__all__ = [
    "VIETNAM",
    "Applicant",
    "ApplicantKind",
    "Channel",
    "Dossier",
    "DossierCode",
    "DossierStatus",
    "Fee",
    "IdType",
    "Identifier",
    "Model",
    "NonEmptyText",
    "OtherDocument",
    "Procedure",
    "ProcedureCode",
    "ProgressStep",
    "Reference",
    "Result",
    "ResultDelivery",
    "SubmittedDocument",
    "SupplementRequest",
    "Text",
    "Time",
    "UnitId",
    "id_type_of",
]

DossierCode = Annotated[
    str,
    AfterValidator(check_dossier_code),
    Field(
        json_schema_extra={"pattern": DOSSIER_CODE_PATTERN},
        examples=["000.00.01.H56-250301-00012"],
    ),
]
UnitId = Annotated[
    str,
    AfterValidator(check_unit_id),
    Field(json_schema_extra={"pattern": UNIT_ID_PATTERN}, examples=["000.00.01.H56"]),
]
ProcedureCode = Annotated[
    str,
    AfterValidator(check_procedure_code),
    Field(json_schema_extra={"pattern": PROCEDURE_CODE_PATTERN}, examples=["1.001193"]),
]

SUMMARY_MAX = 1000
OFFICER_MAX = 50
QUANTITY_MAX = 1_000_000
AMOUNT_MAX = Decimal(10**15)
"""A fee in đồng: a thousand trillion is past any real fee, and keeps every amount a plain
decimal the portal can carry."""


class Channel(StrEnum):
    in_person = "in_person"
    online = "online"
    postal = "postal"


class ApplicantKind(StrEnum):
    citizen = "citizen"
    business = "business"
    agency = "agency"
    organisation = "organisation"


class IdType(StrEnum):
    personal_id = "personal_id"
    """The 12-digit personal identification number (căn cước)."""
    old_id = "old_id"
    """The 9-digit identity card number of before 2016."""
    enterprise_code = "enterprise_code"
    passport = "passport"
    other = "other"


class DossierStatus(StrEnum):
    submitted = "submitted"
    received = "received"
    refused = "refused"
    processing = "processing"
    supplement_requested = "supplement_requested"
    payment_requested = "payment_requested"
    withdrawn = "withdrawn"
    stopped = "stopped"
    resolved = "resolved"
    returned = "returned"


class ResultDelivery(StrEnum):
    in_person = "in_person"
    post = "post"


_ID_FORMS = (
    (re.compile(r"[0-9]{12}"), IdType.personal_id),
    (re.compile(r"[0-9]{9}"), IdType.old_id),
    (re.compile(r"[0-9]{10}(-[0-9]{3})?"), IdType.enterprise_code),
)


def id_type_of(number: str) -> IdType | None:
    """The type an identity number's form shows (12 digits: personal ID, 9: old ID, 10 or
    10-3: enterprise code), else ``None``: how a number without a stated type is read, here and
    by the portal, which has no field for the type."""
    for form, id_type in _ID_FORMS:
        if form.fullmatch(number.strip()):
            return id_type
    return None


OVERRIDE_HINT = (
    "if the business registry confirms the code, send it again with "
    "applicant.allow_check_digit_mismatch set to true"
)


def _identity_error(
    id_type: IdType | None, number: str, birth: Date | None, allow_mismatch: bool
) -> PydanticCustomError | None:
    """What is wrong with ``number`` as an identity number of type ``id_type``, if anything."""
    try:
        if id_type is IdType.personal_id:
            check_personal_id(number, date_of_birth=birth)
        elif id_type is IdType.old_id:
            check_old_id(number)
        elif id_type is IdType.enterprise_code:
            check_enterprise_code(number, allow_check_digit_mismatch=allow_mismatch)
    except CheckDigitMismatch as error:
        return PydanticCustomError("check_digit_mismatch", f"{error}: {OVERRIDE_HINT}")
    except ValueError as error:
        assert id_type is not None
        return PydanticCustomError(id_type.value, str(error))
    return None


def _pattern_when(when: JsonDict, required: str, number: str, pattern: str) -> JsonValue:
    return {
        "if": {"properties": when, "required": [required]},
        "then": {"properties": {number: {"pattern": pattern}}},
    }


def _identity_schema(type_field: str, number: str, *, inferred: bool) -> list[JsonValue]:
    """JSON Schema conditions saying ``Applicant`` and ``Identifier``'s checks: the pattern of
    ``number`` for each type that has one, stated in ``type_field`` or (when ``inferred``) shown
    by the form of a number without a stated type."""
    patterns = {
        IdType.personal_id: personal_id_pattern(),
        IdType.old_id: OLD_ID_PATTERN,
        IdType.enterprise_code: ENTERPRISE_CODE_PATTERN,
    }
    conditions = [
        _pattern_when({type_field: {"const": t.value}}, type_field, number, pattern)
        for t, pattern in patterns.items()
    ]
    if inferred:
        conditions += [
            _pattern_when(
                {
                    type_field: {"type": "null"},
                    number: {"type": "string", "pattern": f"^{form.pattern}$"},
                },
                number,
                number,
                patterns[id_type],
            )
            for form, id_type in _ID_FORMS
        ]
    return conditions


class Reference(Model):
    """A coded thing with its name, as catalogues publish it."""

    code: Text = Field(min_length=1, max_length=100)
    name: Text = Field(default="", max_length=500)


class Procedure(Model):
    code: ProcedureCode
    name: Text = Field(default="", max_length=1000)


class Identifier(Model):
    """One more identity number of the applicant; checked by ``Applicant`` like its own."""

    model_config = ConfigDict(
        json_schema_extra={"allOf": _identity_schema("type", "number", inferred=False)}
    )

    type: IdType
    number: Text = Field(min_length=1, max_length=50)


class Applicant(Model):
    """Who applies. Identity numbers are checked by their type (``id_type``, or for a number
    without one, the type its form shows, as the portal will read it): a personal ID's province,
    century and sex digit and, with ``date_of_birth``, its birth year; an old ID's 9 digits; an
    enterprise code's form and check digit. The same goes for ``identifiers``. A code whose check
    digit disagrees is refused unless ``allow_check_digit_mismatch`` is true, as for the lookups:
    the one-stop system sets it when the business registry confirmed the code. Each refusal names
    the field, e.g. ``applicant.id_number``.
    """

    model_config = ConfigDict(
        json_schema_extra={"allOf": _identity_schema("id_type", "id_number", inferred=True)}
    )

    kind: ApplicantKind
    name: NonEmptyText = Field(max_length=500)
    id_type: IdType | None = None
    id_number: Text | None = Field(default=None, max_length=50)
    date_of_birth: Date | None = None
    """The applicant's date of birth, for a person: a personal ID's birth year must match it."""
    allow_check_digit_mismatch: bool = False
    """Accept the applicant's enterprise codes whose check digit disagrees (the registry
    confirmed them); the portal has no field for it."""
    identifiers: list[Identifier] = Field(default_factory=list)
    """Further identifiers of the applicant (``DinhDanhCHS``)."""
    subject_code: Text | None = Field(default=None, max_length=100)
    email: Text | None = Field(default=None, max_length=200)
    phone: Text | None = Field(default=None, max_length=50)
    fax: Text | None = Field(default=None, max_length=50)
    other_info: Text | None = Field(default=None, max_length=2000)
    verified_with_vneid: bool = False

    @model_validator(mode="after")
    def _identity_holds(self) -> Applicant:
        allow = self.allow_check_digit_mismatch
        birth = self.date_of_birth
        errors: list[InitErrorDetails] = []
        if self.id_number is not None:
            id_type = self.id_type or id_type_of(self.id_number)
            error = _identity_error(id_type, self.id_number, birth, allow)
            if error is not None:
                errors.append(
                    InitErrorDetails(type=error, loc=("id_number",), input=self.id_number)
                )
        for index, identifier in enumerate(self.identifiers):
            error = _identity_error(identifier.type, identifier.number, birth, allow)
            if error is not None:
                loc = ("identifiers", index, "number")
                errors.append(InitErrorDetails(type=error, loc=loc, input=identifier.number))
        if errors:
            raise ValidationError.from_exception_data("Applicant", errors)
        return self


class SubmittedDocument(Model):
    id: Text = Field(min_length=1, max_length=200)
    name: NonEmptyText = Field(max_length=500)
    component_code: Text | None = Field(default=None, max_length=100)
    url: Text | None = Field(default=None, max_length=2000)
    deleted: bool = False
    digitised: bool = False
    reused: bool = False
    from_national_repository: bool = False
    replaces_result_code: Text | None = Field(default=None, max_length=200)


class OtherDocument(Model):
    name: NonEmptyText = Field(max_length=500)
    quantity: int = Field(default=1, ge=0, le=QUANTITY_MAX)
    kind: Text | None = Field(default=None, max_length=100)


class Fee(Model):
    name: NonEmptyText = Field(max_length=500)
    code: Text | None = Field(default=None, max_length=100)
    collection_method: Text | None = Field(default=None, max_length=100)
    amount: Decimal = Field(ge=0, le=AMOUNT_MAX)
    kind: Text | None = Field(default=None, max_length=100)


class SupplementRequest(Model):
    id: Text = Field(min_length=1, max_length=200)
    requested_by: Text | None = Field(default=None, max_length=200)
    content: Text = Field(default="", max_length=2000)
    requested_at: Time | None = None
    received_by: Text | None = Field(default=None, max_length=200)
    receipt_info: Text | None = Field(default=None, max_length=2000)
    received_at: Time | None = None
    status: Text | None = Field(default=None, max_length=50)
    previous_due_at: Time | None = None
    new_due_at: Time | None = None


class Result(Model):
    id: Text = Field(min_length=1, max_length=200)
    name: NonEmptyText = Field(max_length=500)
    component_code: Text | None = Field(default=None, max_length=100)
    url: Text | None = Field(default=None, max_length=2000)
    result_code: Text | None = Field(default=None, max_length=200)


EXAMPLE_STEP: dict[str, Any] = {
    "officer": "Trần Văn Bình",
    "position": "Chuyên viên",
    "department": "Phòng Tư pháp",
    "content": "Thẩm định hồ sơ",
    "status": "processing",
    "at": "2025-03-01T09:15:00+07:00",
}
EXAMPLE_DOSSIER: dict[str, Any] = {
    "code": "000.00.01.H56-250301-00012",
    "procedure": {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh"},
    "channel": "in_person",
    "applicant": {
        "kind": "citizen",
        "name": "Lê Thị Hoa",
        "id_type": "personal_id",
        "id_number": "038190012345",
        "date_of_birth": "1990-05-14",
        "phone": "0912345678",
    },
    "summary": "Đăng ký khai sinh cho con",
    "status": "received",
    "handling_unit": "000.00.01.H56",
    "received_at": "2025-03-01T08:30:00+07:00",
    "due_at": "2025-03-04T17:00:00+07:00",
}
"""A dossier and a step as the one-stop system sends them (the contract's examples)."""


class ProgressStep(Model):
    """One processing step (``CapNhatTienDoHoSoMC``), appended to a dossier's history."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_STEP]})

    officer: NonEmptyText = Field(max_length=OFFICER_MAX)
    position: Text | None = Field(default=None, max_length=200)
    department: Text | None = Field(default=None, max_length=500)
    content: Text = Field(default="", max_length=2000)
    status: DossierStatus
    at: Time
    started_at: Time | None = None
    due_at: Time | None = None


class Dossier(Model):
    """A full snapshot of a one-stop dossier: the gateway upserts by ``code``."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_DOSSIER]})

    code: DossierCode
    procedure: Procedure
    field: Reference | None = None
    receipt_number: Text | None = Field(default=None, max_length=100)
    channel: Channel
    applicant: Applicant
    summary: Text = Field(default="", max_length=SUMMARY_MAX)
    status: DossierStatus
    handling_unit: UnitId
    submitted_at: Time | None = None
    received_at: Time | None = None
    due_at: Time | None = None
    returned_at: Time | None = None
    finished_at: Time | None = None
    refused_at: Time | None = None
    return_info: Text | None = Field(default=None, max_length=2000)
    result_delivery: ResultDelivery | None = None
    submission_place: Text | None = Field(default=None, max_length=500)
    note: Text | None = Field(default=None, max_length=2000)
    has_digitised_documents: bool = False
    paid_online: bool = False
    connected_databases: list[Text] = Field(default_factory=list)
    documents: list[SubmittedDocument] = Field(default_factory=list)
    other_documents: list[OtherDocument] = Field(default_factory=list)
    fees: list[Fee] = Field(default_factory=list)
    supplements: list[SupplementRequest] = Field(default_factory=list)
    results: list[Result] = Field(default_factory=list)
    progress: list[ProgressStep] = Field(default_factory=list)
