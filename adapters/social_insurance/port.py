"""What the gateway needs from the National Insurance Database, in its own verbs.

Every lookup is personal-data processing (Nghị định 13/2023/NĐ-CP): an ``InsuranceQuery`` always
carries the purpose, the officer and the unit, and the gateway records it in its audit trail.
Queries never print the personal ID in their ``repr``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Protocol

from mappings.registries.personal_id import PERSONAL_ID_RULE, check_personal_id_number
from mappings.social_insurance import InsuranceRecord

SYSTEM = "social_insurance"
"""How errors of this adapter name the national system (``AdapterError.system``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InsuranceQuery:
    """One lookup of one person's insurance record, and why it is made.

    ``personal_id`` is the 12-digit personal ID; ``purpose`` (``MucDich``), ``officer``
    (``MaCanBo``), ``unit`` (``MaDonVi``) and ``service_code`` (``MaDVC``, the dossier) say who
    looks whom up and why; ``request_id`` (``MaYeuCau``) ties the lookup to its audit record.
    Raises ``ValueError`` naming the field and the rule, never the value.
    """

    personal_id: str = field(repr=False)
    purpose: str
    officer: str
    unit: str
    service_code: str
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def __post_init__(self) -> None:
        problems: list[str] = []
        try:
            check_personal_id_number(self.personal_id)
        except ValueError:
            problems.append(f"personal_id: {PERSONAL_ID_RULE}")
        for name in ("purpose", "officer", "unit", "service_code", "request_id"):
            if not getattr(self, name).strip():
                problems.append(f"{name} is empty")
        if problems:
            raise ValueError("invalid insurance query: " + "; ".join(problems))


class SocialInsurance(Protocol):
    """The insurance database, looked up on behalf of an officer for a stated purpose.

    Every method raises only ``adapters.errors`` errors: ``RefusedError`` naming the field when
    the database refused the query, ``AuthError`` when the platform refused the signed headers,
    ``TransientError`` when trying again later may succeed (including while the circuit breaker
    is open), ``PermanentError`` for a record the gateway cannot read.
    """

    async def find_insurance(self, query: InsuranceQuery) -> InsuranceRecord | None:
        """The person's insurance record, or None when the database holds none."""
        ...

    async def aclose(self) -> None:
        """Release the connection pool; the adapter cannot be used afterwards."""
        ...
