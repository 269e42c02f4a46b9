"""Lookups on behalf of the one-stop system: citizens (audited), businesses (cached), prefill.

Every citizen lookup, verification and prefill leaves exactly one audit record, whatever came of
it, including failures of the registry: the record is written after the outcome is known, in its
own transaction. Identity numbers are checked before any registry is asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from adapters.business_registry import BusinessRegistry
from adapters.population_registry import CitizenQuery, PopulationRegistry
from gateway.registries.audit import Access, Auditor
from gateway.registries.audited import audited
from gateway.registries.cache import Answer, StaleIfErrorCache
from gateway.store import Store
from mappings.registries import (
    Business,
    Citizen,
    check_enterprise_code,
    check_old_id,
    check_personal_id,
)

POPULATION = "population_registry"
BUSINESSES = "business_registry"


@dataclass(frozen=True, slots=True)
class Declared:
    """Why a citizen's data is processed, as the caller must say (Nghị định 13/2023)."""

    caller: str
    purpose: str
    officer: str
    dossier_code: str


@dataclass(frozen=True, slots=True)
class Person:
    """Whom to look up: the ID number, and the name and date of birth the registry matches."""

    id_number: str
    full_name: str
    date_of_birth: date | int


@dataclass(frozen=True, slots=True)
class CachedBusiness:
    """The business registry's answer as the cache keeps it: the record (None when the registry
    holds none) and its JSON, encoded once when fetched and sent as is by every answer the
    cache serves."""

    record: Business | None
    encoded: bytes


@dataclass(frozen=True, slots=True)
class Prefilled:
    field: str
    value: Any
    source: str


def check_id_number(id_number: str, date_of_birth: date | int | None = None) -> None:
    """A 12-digit personal ID (consistent with the date of birth) or a 9-digit old ID."""
    if len(id_number) == 9:
        check_old_id(id_number)
    else:
        check_personal_id(id_number, date_of_birth=date_of_birth)


class Lookups:
    def __init__(
        self,
        store: Store,
        population: PopulationRegistry,
        businesses: BusinessRegistry,
        auditor: Auditor,
        *,
        unit: str,
        cache: StaleIfErrorCache[str, CachedBusiness],
    ) -> None:
        self._store = store
        self._population = population
        self._businesses = businesses
        self._auditor = auditor
        self._unit = unit
        self._cache = cache

    def _query(self, person: Person, declared: Declared) -> CitizenQuery:
        old = len(person.id_number) == 9
        return CitizenQuery(
            personal_id=None if old else person.id_number,
            old_id=person.id_number if old else None,
            full_name=person.full_name,
            date_of_birth=person.date_of_birth,
            purpose=declared.purpose,
            officer=declared.officer,
            unit=self._unit,
            service_code=declared.dossier_code,
        )

    async def _audited(
        self,
        action: Literal["lookup", "verify", "prefill"],
        person: Person,
        declared: Declared,
        outcome_of: Any,
    ) -> Any:
        access = Access(
            action=action,
            system=POPULATION,
            caller=declared.caller,
            officer=declared.officer,
            purpose=declared.purpose,
            dossier_code=declared.dossier_code,
            subject=person.id_number,
        )
        return await audited(self._store, self._auditor, access, outcome_of)

    async def find_citizen(self, person: Person, declared: Declared) -> Citizen | None:
        async def ask() -> tuple[Citizen | None, str]:
            found = await self._population.find_citizen(self._query(person, declared))
            return found, "found" if found else "not_found"

        citizen: Citizen | None = await self._audited("lookup", person, declared, ask)
        return citizen

    async def verify_citizen(self, person: Person, declared: Declared) -> bool:
        async def ask() -> tuple[bool, str]:
            match = await self._population.verify_citizen(self._query(person, declared))
            return match, "match" if match else "no_match"

        matched: bool = await self._audited("verify", person, declared, ask)
        return matched

    async def find_business(
        self, code: str, *, allow_check_digit_mismatch: bool
    ) -> Answer[CachedBusiness]:
        checked = check_enterprise_code(code, allow_check_digit_mismatch=allow_check_digit_mismatch)
        return await self._cache.get(checked.code, lambda: self._fetch_business(checked.code))

    async def _fetch_business(self, code: str) -> CachedBusiness:
        found = await self._businesses.find_business(code)
        encoded = found.model_dump_json(by_alias=True).encode() if found else b"null"
        return CachedBusiness(found, encoded)

    async def prefill_citizen(self, person: Person, declared: Declared) -> list[Prefilled]:
        async def ask() -> tuple[Citizen | None, str]:
            found = await self._population.find_citizen(self._query(person, declared))
            return found, "found" if found else "not_found"

        citizen: Citizen | None = await self._audited("prefill", person, declared, ask)
        return citizen_fields(citizen) if citizen else []

    async def prefill_business(
        self, code: str, *, allow_check_digit_mismatch: bool
    ) -> tuple[list[Prefilled], bool, float]:
        """The fields, whether they come from an expired copy, and its age in seconds."""
        answer = await self.find_business(
            code, allow_check_digit_mismatch=allow_check_digit_mismatch
        )
        record = answer.value.record
        fields = business_fields(record) if record else []
        return fields, answer.stale, answer.age


def _present(pairs: list[tuple[str, Any]], source: str) -> list[Prefilled]:
    return [Prefilled(field, value, source) for field, value in pairs if value not in (None, [])]


def citizen_fields(citizen: Citizen) -> list[Prefilled]:
    """The applicant's form fields the population registry can fill."""
    birth = citizen.date_of_birth
    return _present(
        [
            ("applicant.name", citizen.full_name),
            ("applicant.id_number", citizen.personal_id),
            ("applicant.date_of_birth", birth.model_dump(exclude_none=True) if birth else None),
            ("applicant.sex", citizen.sex),
            ("applicant.nationality", citizen.nationality),
            ("applicant.ethnicity", citizen.ethnicity),
            ("applicant.permanent_address", _address(citizen.permanent_address)),
            ("applicant.current_address", _address(citizen.current_address)),
            ("applicant.home_town", _address(citizen.home_town)),
        ],
        POPULATION,
    )


def business_fields(business: Business) -> list[Prefilled]:
    """The applicant's form fields the business registry can fill."""
    main_line = next((line for line in business.business_lines if line.main), None)
    representative = business.representatives[0] if business.representatives else None
    return _present(
        [
            ("applicant.name", business.name),
            ("applicant.enterprise_code", business.enterprise_code),
            ("applicant.foreign_name", business.foreign_name),
            ("applicant.type", business.type_name),
            ("applicant.head_office", _address(business.head_office)),
            ("applicant.legal_status", business.status),
            (
                "applicant.representative",
                {"name": representative.name, "position": representative.position}
                if representative
                else None,
            ),
            ("applicant.main_business_line", main_line.model_dump() if main_line else None),
        ],
        BUSINESSES,
    )


def _address(address: Any) -> dict[str, Any] | None:
    return address.model_dump(exclude_none=True) if address is not None else None
