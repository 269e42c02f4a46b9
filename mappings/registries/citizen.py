"""The province's canonical citizen: what the population registry says about a person, in English
names. ``mappings.registries.population_registry`` maps the registry's ``CongDan`` to it.

Text follows the canonical rules (``mappings.canonical``): Unicode NFC, stripped, and an
empty optional text is ``None``. Names keep their diacritics; the registry's upper-case form is
made only by the adapter that sends a lookup (``registry_name``).

The personal ID is checked for its form (province, century and sex digit) but not against the
date of birth and sex held beside it: the registry is the authority on its own records, and a
record whose birth date was corrected may keep its number until a new one is issued. To check
what a person typed against their number, call ``check_personal_id`` with ``date_of_birth`` and
``sex``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from mappings.canonical import Model, NonEmptyText, Text
from mappings.registries.personal_id import Sex, check_old_id, check_personal_id_number

PersonalIdNumber = Annotated[str, AfterValidator(check_personal_id_number)]
OldIdNumber = Annotated[str, AfterValidator(check_old_id)]


class Address(Model):
    """An address as the national registries give it: administrative units by code and name."""

    province_code: Text | None = Field(default=None, max_length=20)
    province_name: Text | None = Field(default=None, max_length=200)
    district_code: Text | None = Field(default=None, max_length=20)
    district_name: Text | None = Field(default=None, max_length=200)
    ward_code: Text | None = Field(default=None, max_length=20)
    ward_name: Text | None = Field(default=None, max_length=200)
    detail: Text | None = Field(default=None, max_length=1000)
    """Street, house number, village: what lies below the ward."""
    country: Text | None = Field(default=None, max_length=100)
    """As the registry gives it; ``None`` when it does not say."""


class BirthDate(Model):
    """A date of birth, whole or known only to the year (``month`` and ``day`` both ``None``)."""

    year: int = Field(ge=1800, le=2199)
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)

    @model_validator(mode="after")
    def _is_a_date(self) -> Self:
        if (self.month is None) != (self.day is None):
            raise ValueError("a date of birth is a whole date or a year alone")
        self.as_date()
        return self

    def as_date(self) -> date | None:
        """The whole date, ``None`` when only the year is known."""
        if self.month is None or self.day is None:
            return None
        return date(self.year, self.month, self.day)

    @classmethod
    def of(cls, value: date) -> BirthDate:
        return cls(year=value.year, month=value.month, day=value.day)


class RelatedPerson(Model):
    """A parent, spouse, representative or household head, as the registry names them."""

    personal_id: PersonalIdNumber | None = None
    name: Text | None = Field(default=None, max_length=200)


class Citizen(Model):
    personal_id: PersonalIdNumber
    old_id: OldIdNumber | None = None
    full_name: NonEmptyText = Field(max_length=200)
    family_name: Text | None = Field(default=None, max_length=100)
    """Họ."""
    middle_name: Text | None = Field(default=None, max_length=100)
    """Chữ đệm."""
    given_name: Text | None = Field(default=None, max_length=100)
    """Tên."""
    sex: Sex | None = None
    date_of_birth: BirthDate | None = None
    ethnicity: Text | None = Field(default=None, max_length=100)
    religion: Text | None = Field(default=None, max_length=100)
    marital_status: Text | None = Field(default=None, max_length=100)
    blood_group: Text | None = Field(default=None, max_length=20)
    birth_registration_place: Address | None = None
    home_town: Address | None = None
    permanent_address: Address | None = None
    current_address: Address | None = None
    nationality: Text | None = Field(default=None, max_length=100)
    father: RelatedPerson | None = None
    mother: RelatedPerson | None = None
    spouse: RelatedPerson | None = None
    representative: RelatedPerson | None = None
    household_head: RelatedPerson | None = None
    household_relation: Text | None = Field(default=None, max_length=100)
    """How the citizen relates to the household head (``Chủ hộ``, ``Con``...)."""
