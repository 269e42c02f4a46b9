"""The province's canonical business: what the business registry says about an enterprise, in
English names. ``mappings.registries.business_registry`` maps the registry's ``GetEntCert`` to it.

Text follows the canonical rules (``mappings.canonical``): Unicode NFC, stripped, and an
empty optional text is ``None``.

Enterprise codes are checked for their form only: a check-digit mismatch is allowed here, because
the registry is the authority on the codes it issued (see ``mappings.registries.enterprise_code``).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import AfterValidator, Field, model_validator

from mappings.canonical import Model, NonEmptyText, Text
from mappings.registries.citizen import Address
from mappings.registries.enterprise_code import check_enterprise_code
from mappings.registries.personal_id import Sex


def _enterprise_code_form(value: str) -> str:
    return check_enterprise_code(value, allow_check_digit_mismatch=True).code


EnterpriseCodeText = Annotated[str, AfterValidator(_enterprise_code_form)]


class LegalStatusKind(StrEnum):
    active = "active"
    """Đang hoạt động."""
    suspended = "suspended"
    """Tạm ngừng kinh doanh."""
    dissolved = "dissolved"
    """Đã giải thể."""
    bankrupt = "bankrupt"
    """Phá sản."""
    revoked = "revoked"
    """Bị thu hồi giấy chứng nhận đăng ký doanh nghiệp."""


class LegalStatus(Model):
    """One entry of the legal status history; ``since``/``until`` bound a suspension."""

    status: LegalStatusKind
    code: Text | None = Field(default=None, max_length=20)
    """The registry's code for the status, as it gave it."""
    since: date | None = None
    until: date | None = None
    reason: Text | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _in_order(self) -> Self:
        if self.since and self.until and self.until < self.since:
            raise ValueError(f"a status cannot end ({self.until}) before it starts ({self.since})")
        return self


class Representative(Model):
    """A legal representative."""

    name: NonEmptyText = Field(max_length=200)
    personal_id: Text | None = Field(default=None, max_length=50)
    """The identity document number the registry holds: a personal ID, an old ID or, for a
    foreigner, a passport number; kept as given, not checked."""
    position: Text | None = Field(default=None, max_length=200)
    date_of_birth: date | None = None
    sex: Sex | None = None


class BusinessLine(Model):
    code: Text = Field(min_length=1, max_length=20)
    """The VSIC code of the line (Quyết định 27/2018/QĐ-TTg), e.g. ``6201``."""
    name: Text | None = Field(default=None, max_length=1000)
    main: bool = False


class Branch(Model):
    code: EnterpriseCodeText
    name: Text | None = Field(default=None, max_length=500)


class Business(Model):
    """An enterprise. ``status`` is the current legal status: the last entry of
    ``legal_statuses`` (the registry lists them oldest first) unless given; ``None`` when the
    registry gives no history."""

    enterprise_code: EnterpriseCodeText
    registration_number: Text | None = Field(default=None, max_length=50)
    """The number of the registration certificate (``SoGCNDKKD``), where it differs."""
    type_code: Text | None = Field(default=None, max_length=20)
    type_name: Text | None = Field(default=None, max_length=200)
    name: NonEmptyText = Field(max_length=500)
    """The Vietnamese name."""
    foreign_name: Text | None = Field(default=None, max_length=500)
    short_name: Text | None = Field(default=None, max_length=200)
    first_registered_on: date | None = None
    last_changed_on: date | None = None
    change_count: int | None = Field(default=None, ge=0)
    legal_statuses: list[LegalStatus] = Field(default_factory=list)
    status: LegalStatusKind | None = None
    representatives: list[Representative] = Field(default_factory=list)
    head_office: Address | None = None
    business_lines: list[BusinessLine] = Field(default_factory=list)
    branches: list[Branch] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _current_status(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("status") is None and data.get("legal_statuses"):
            last = data["legal_statuses"][-1]
            status = last.status if isinstance(last, LegalStatus) else last.get("status")
            return {**data, "status": status}
        return data
