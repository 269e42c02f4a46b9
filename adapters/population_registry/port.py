"""What the gateway needs from the National Population Database, in its own verbs.

Every lookup is personal-data processing (Nghị định 13/2023/NĐ-CP): a ``CitizenQuery`` always
carries the purpose, the officer and the unit, and the gateway records it in its audit trail.
Queries never print personal IDs or names in their ``repr``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from mappings.registries.citizen import Citizen
from mappings.registries.personal_id import OLD_ID_RULE, PERSONAL_ID_RULE, check_old_id
from mappings.registries.personal_id import check_personal_id_number as _check_personal_id

SYSTEM = "population_registry"
"""How errors of this adapter name the national system (``AdapterError.system``)."""


def new_request_id() -> str:
    """A fresh ``MaYeuCau``: unique per lookup, safe to log."""
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True, kw_only=True)
class CitizenQuery:
    """One lookup of one person, and why it is made.

    - Exactly one of ``personal_id`` (12 digits) and ``old_id`` (the old 9-digit card).
    - ``full_name`` as the person wrote it, with diacritics; the adapter converts it to the
      registry's form. ``date_of_birth`` is a whole date, or a year alone when only that is known.
    - ``purpose``, ``officer`` (``MaCanBo``) and ``unit`` (``MaDonVi``) say who looks whom up and
      why; ``service_code`` (``MaDVC``) the public service the lookup serves.
    - ``request_id`` (``MaYeuCau``) ties the lookup to its audit record; one is made if absent.

    Raises ``ValueError`` naming the field and the rule, never the value.
    """

    personal_id: str | None = field(default=None, repr=False)
    old_id: str | None = field(default=None, repr=False)
    full_name: str = field(repr=False)
    date_of_birth: date | int = field(repr=False)
    purpose: str
    officer: str
    unit: str
    service_code: str
    request_id: str = field(default_factory=new_request_id)

    def __post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise ValueError("invalid citizen query: " + "; ".join(problems))

    def _problems(self) -> list[str]:
        found: list[str] = []
        if (self.personal_id is None) == (self.old_id is None):
            found.append("give exactly one of personal_id and old_id")
        if self.personal_id is not None and not _valid(_check_personal_id, self.personal_id):
            found.append(f"personal_id: {PERSONAL_ID_RULE}")
        if self.old_id is not None and not _valid(check_old_id, self.old_id):
            found.append(f"old_id: {OLD_ID_RULE}")
        if not self.full_name.strip():
            found.append("full_name is empty")
        if isinstance(self.date_of_birth, int) and not 1800 <= self.date_of_birth <= 2199:
            found.append("date_of_birth as a year must be within 1800..2199")
        for name in ("purpose", "officer", "unit", "service_code", "request_id"):
            if not getattr(self, name).strip():
                found.append(f"{name} is empty")
        return found


def _valid(check: Callable[[str], str], value: str) -> bool:
    try:
        check(value)
    except ValueError:
        return False
    return True


class PopulationRegistry(Protocol):
    """The population registry, looked up on behalf of an officer for a stated purpose.

    Every method raises only ``adapters.errors`` errors: ``PermanentError`` when the registry
    refused the query itself, ``AuthError`` when it refused the platform account or its signed
    headers, ``TransientError`` when trying again later may succeed (including while the
    circuit breaker is open).
    """

    async def find_citizen(self, request: CitizenQuery) -> Citizen | None:
        """The registry's record of the person, or None when no record matches the ID, name and
        date of birth given."""
        ...

    async def verify_citizen(self, request: CitizenQuery) -> bool:
        """Whether the registry holds a person with the ID, name and date of birth given."""
        ...

    async def aclose(self) -> None:
        """Release the connection pool; the adapter cannot be used afterwards."""
        ...
