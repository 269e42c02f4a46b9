"""The population registry's scenario state: the seeded citizens under a test's changes.

The seeded population is shared between mocks of the same seed and never changes. A test that
needs a particular citizen (one who just married, moved, or died and was removed) puts records
in place with ``PUT /__admin/scenario``: ``{"citizens": [...], "removed": [...]}``. A citizen
record (the shape ``GET /__admin/citizens/{SoDinhDanh}`` shows) replaces the seeded one with the
same ``personal_id`` or adds a new one; a removed ID is answered "not found". Lookups, related
people (``Cha``, ``Me``, ``VoChong``) and household heads all see the changes. The registry
hands out no sessions or tokens (every call is signed), so it has nothing to expire.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from enum import Enum
from typing import Any

from mocks.admin import ScenarioError
from mocks.population import Address, Person, Relation, Sex
from mocks.population_registry.registry import Registry
from mocks.population_registry.signing import SignedHeaders

_ID = {"type": "string", "pattern": "^[0-9]{12}$"}
_OPTIONAL_ID = {"type": ["string", "null"], "pattern": "^[0-9]{12}$"}
_TEXT = {"type": "string"}
_NAME = {"type": "string", "minLength": 1}
_ADDRESS = {
    "type": "object",
    "additionalProperties": False,
    "required": [
        "province_code",
        "province_name",
        "district_code",
        "district_name",
        "ward_code",
        "ward_name",
        "detail",
    ],
    "properties": {
        "province_code": {"type": "string", "pattern": "^[0-9]{2}$"},
        "province_name": _TEXT,
        "district_code": {"type": "string", "pattern": "^[0-9]{3}$"},
        "district_name": _TEXT,
        "ward_code": {"type": "string", "pattern": "^[0-9]{5}$"},
        "ward_name": _TEXT,
        "detail": _TEXT,
        "country": _TEXT,
    },
}
_PERSON_FIELDS: dict[str, Any] = {
    "personal_id": _ID,
    "old_id": {"type": ["string", "null"], "pattern": "^[0-9]{9}$"},
    "family_name": _NAME,
    "middle_name": _TEXT,
    "given_name": _NAME,
    "full_name": _NAME,
    "sex": {"enum": [s.value for s in Sex]},
    "date_of_birth": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
    "ethnicity": _TEXT,
    "religion": _TEXT,
    "marital_status": _TEXT,
    "blood_group": _TEXT,
    "nationality": _TEXT,
    "hometown": _ADDRESS,
    "permanent_address": _ADDRESS,
    "current_address": _ADDRESS,
    "household_id": _NAME,
    "relation_to_head": {"enum": [r.value for r in Relation]},
    "father_id": _OPTIONAL_ID,
    "mother_id": _OPTIONAL_ID,
    "spouse_id": _OPTIONAL_ID,
}
_OPTIONAL_FIELDS = frozenset({"father_id", "mother_id", "spouse_id"})

#: A citizen record as ``GET /__admin/citizens/{SoDinhDanh}`` shows it.
CITIZEN: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": [name for name in _PERSON_FIELDS if name not in _OPTIONAL_FIELDS],
    "properties": _PERSON_FIELDS,
}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "citizens": {"type": "array", "items": CITIZEN},
        "removed": {"type": "array", "items": _ID, "uniqueItems": True},
    },
}


def person_json(person: Person) -> dict[str, Any]:
    """A citizen record as the admin API shows it (unmasked: it is a test tool)."""

    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        return value

    return {k: plain(v) for k, v in asdict(person).items()}


def person_from_json(record: Mapping[str, Any], where: str) -> Person:
    """The ``Person`` of a record valid against ``CITIZEN``; ``ScenarioError`` for a bad date."""
    try:
        born = date.fromisoformat(record["date_of_birth"])
    except ValueError:
        raise ScenarioError(
            f"{where}.date_of_birth: {record['date_of_birth']} is not a date"
        ) from None
    return Person(
        personal_id=record["personal_id"],
        old_id=record["old_id"],
        family_name=record["family_name"],
        middle_name=record["middle_name"],
        given_name=record["given_name"],
        full_name=record["full_name"],
        sex=Sex(record["sex"]),
        date_of_birth=born,
        ethnicity=record["ethnicity"],
        religion=record["religion"],
        marital_status=record["marital_status"],
        blood_group=record["blood_group"],
        nationality=record["nationality"],
        hometown=Address(**record["hometown"]),
        permanent_address=Address(**record["permanent_address"]),
        current_address=Address(**record["current_address"]),
        household_id=record["household_id"],
        relation_to_head=Relation(record["relation_to_head"]),
        father_id=record.get("father_id"),
        mother_id=record.get("mother_id"),
        spouse_id=record.get("spouse_id"),
    )


class RegistryScenario:
    """What the admin API sees: the population, a test's changes, and what callers did."""

    schema = SCHEMA

    def __init__(self, registry: Registry, signed: SignedHeaders) -> None:
        self.registry = registry
        self.signed = signed
        self.lookups = 0
        self.verifications = 0

    def state(self) -> dict[str, Any]:
        return {
            "citizens": len(self.registry.people),
            "population_seed": self.registry.people.seed,
            "changed_citizens": len(self.registry.changed),
            "removed_citizens": len(self.registry.removed),
            "lookups": self.lookups,
            "verifications": self.verifications,
            "signatures_remembered": len(self.signed),
        }

    def reset(self) -> None:
        """Forget counts, remembered signatures and a test's changes; the population stays."""
        self.lookups = self.verifications = 0
        self.signed.reset()
        self.registry.change([], frozenset())

    def snapshot(self) -> dict[str, Any]:
        return {
            "citizens": [person_json(p) for p in self.registry.changed.values()],
            "removed": sorted(self.registry.removed),
        }

    def restore(self, spec: Mapping[str, Any]) -> None:
        citizens: dict[str, Person] = {}
        for i, record in enumerate(spec.get("citizens", [])):
            person = person_from_json(record, f"citizens.{i}")
            if person.personal_id in citizens:
                raise ScenarioError(
                    f"citizens.{i}.personal_id: {person.personal_id} is given twice"
                )
            citizens[person.personal_id] = person
        removed = frozenset(spec.get("removed", []))
        both = sorted(removed & citizens.keys())
        if both:
            raise ScenarioError(f"removed: {', '.join(both)} also given in citizens")
        self.registry.change(list(citizens.values()), removed)
