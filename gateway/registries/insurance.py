"""Lookups of a person's record in the national insurance database, audited one to one.

Each lookup is personal-data processing: the caller declares the purpose, the officer and the
dossier (``Declared``), the database is asked with them (``MucDich``, ``MaCanBo``, ``MaDVC``),
and one audit record is written whatever came of it (``gateway.registries.audited``).
"""

from __future__ import annotations

from typing import Literal

from adapters.social_insurance import InsuranceQuery, SocialInsurance
from adapters.social_insurance.port import SYSTEM
from gateway.registries.audit import Access, Auditor
from gateway.registries.audited import audited
from gateway.registries.lookups import Declared
from gateway.store import Store
from mappings.social_insurance import InsuranceRecord

CONTRIBUTIONS = ("contribution",)
"""Fields of a record shown only to callers with ``insurance:lookup:contributions``."""


class InsuranceLookups:
    def __init__(
        self, store: Store, database: SocialInsurance, auditor: Auditor, *, unit: str
    ) -> None:
        self._store = store
        self._database = database
        self._auditor = auditor
        self._unit = unit

    async def find(
        self,
        personal_id: str,
        declared: Declared,
        action: Literal["lookup", "prefill"] = "lookup",
    ) -> InsuranceRecord | None:
        """The person's record, or None when the database holds none; ``ValueError`` naming
        the field for a query that breaks a rule, before anything is asked or recorded."""
        query = InsuranceQuery(
            personal_id=personal_id,
            purpose=declared.purpose,
            officer=declared.officer,
            unit=self._unit,
            service_code=declared.dossier_code,
        )
        access = Access(
            action=action,
            system=SYSTEM,
            caller=declared.caller,
            officer=declared.officer,
            purpose=declared.purpose,
            dossier_code=declared.dossier_code,
            subject=personal_id,
        )

        async def ask() -> tuple[InsuranceRecord | None, str]:
            found = await self._database.find_insurance(query)
            return found, "found" if found else "not_found"

        return await audited(self._store, self._auditor, access, ask)
