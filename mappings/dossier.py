"""The province's canonical dossier: what the one-stop system sends, in English names.

This is the model at the gateway's API boundary. National formats (the portal's ``DongBoHoSoMC``
object and friends) are mapped from and to it in ``mappings.national_portal``; nothing here knows
about them. What a caller may rely on once a model is built:

- times are timezone-aware; a naive time is read as Asia/Ho_Chi_Minh, the clock every one-stop
  system keeps;
- every string is Unicode NFC with surrounding whitespace stripped, and length limits count the
  characters of that normalised form (a decomposed "ế" counts once);
- an optional text that is empty or blank is ``None``, so "no value" has one spelling.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from mappings.identifiers import check_dossier_code, check_procedure_code, check_unit_id

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _nfc(value: Any) -> Any:
    """NFC of this level's strings; nested objects are models that normalise their own."""
    if isinstance(value, str):
        return (
            value
            if unicodedata.is_normalized("NFC", value)
            else unicodedata.normalize("NFC", value)
        )
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    return value


def _nfc_fields(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _nfc(item) for key, item in data.items()}
    return data


def _local_if_naive(value: datetime) -> datetime:
    return value.replace(tzinfo=VIETNAM) if value.tzinfo is None else value


Text = str
"""Text; ``Model`` normalises it to NFC before any length is checked."""
NonEmptyText = Annotated[str, StringConstraints(min_length=1)]
Time = Annotated[datetime, AfterValidator(_local_if_naive)]
DossierCode = Annotated[str, AfterValidator(check_dossier_code)]
UnitId = Annotated[str, AfterValidator(check_unit_id)]
ProcedureCode = Annotated[str, AfterValidator(check_procedure_code)]

SUMMARY_MAX = 1000
OFFICER_MAX = 50


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


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _normalise_text(cls, data: Any) -> Any:
        return _nfc_fields(data)

    @field_validator("*", mode="after")
    @classmethod
    def _blank_is_absent(cls, value: Any, info: ValidationInfo) -> Any:
        if value == "" and info.field_name and cls.model_fields[info.field_name].default is None:
            return None
        return value


class Reference(Model):
    """A coded thing with its name, as catalogues publish it."""

    code: Text = Field(min_length=1, max_length=100)
    name: Text = Field(default="", max_length=500)


class Procedure(Model):
    code: ProcedureCode
    name: Text = Field(default="", max_length=1000)


class Identifier(Model):
    type: IdType
    number: Text = Field(min_length=1, max_length=50)


class Applicant(Model):
    kind: ApplicantKind
    name: NonEmptyText = Field(max_length=500)
    id_type: IdType | None = None
    id_number: Text | None = Field(default=None, max_length=50)
    identifiers: list[Identifier] = Field(default_factory=list)
    """Further identifiers of the applicant (``DinhDanhCHS``)."""
    subject_code: Text | None = Field(default=None, max_length=100)
    email: Text | None = Field(default=None, max_length=200)
    phone: Text | None = Field(default=None, max_length=50)
    fax: Text | None = Field(default=None, max_length=50)
    other_info: Text | None = Field(default=None, max_length=2000)
    verified_with_vneid: bool = False


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
    quantity: int = Field(default=1, ge=0)
    kind: Text | None = Field(default=None, max_length=100)


class Fee(Model):
    name: NonEmptyText = Field(max_length=500)
    code: Text | None = Field(default=None, max_length=100)
    collection_method: Text | None = Field(default=None, max_length=100)
    amount: Decimal = Field(ge=0)
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


class ProgressStep(Model):
    """One processing step (``CapNhatTienDoHoSoMC``), appended to a dossier's history."""

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
