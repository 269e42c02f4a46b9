"""Parcel look-ups on behalf of the one-stop system: personal data, so every one is audited.

A parcel's registration names its holders: every look-up (one parcel, or the parcels a person
holds) carries a purpose, an officer and a dossier (``Declared``) and leaves exactly one audit
record, whatever came of it, including failures of the land system; the record is written after
the outcome is known, in its own transaction (as ``gateway.registries.lookups`` does for
citizens). The audit's subject is the holder's ID number for a holder's parcels, and the
parcel (``commune/sheet/number``) for one parcel, with its holders' numbers masked in the detail.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from adapters.errors import AdapterError
from adapters.land_registry import LandRegistry
from gateway.logging import mask_personal_data
from gateway.registries.audit import Access, Auditor, mask
from gateway.registries.lookups import Declared
from gateway.store import Store
from mappings.land_registry import Parcel, ParcelRef

SYSTEM = "land_registry"
T = TypeVar("T")


class ParcelLookups:
    def __init__(self, store: Store, land: LandRegistry, auditor: Auditor) -> None:
        self._store = store
        self._land = land
        self._auditor = auditor

    async def _audited(
        self,
        access: Access,
        ask: Callable[[], Awaitable[T]],
        outcome_of: Callable[[T], tuple[str, str | None]],
    ) -> T:
        try:
            found = await ask()
        except AdapterError as error:
            reason = error.reason
            await self._store.write(lambda c: self._auditor.record(c, access, "error", reason))
            raise
        outcome, detail = outcome_of(found)
        await self._store.write(lambda c: self._auditor.record(c, access, outcome, detail))
        return found

    async def find_parcel(self, ref: ParcelRef, declared: Declared) -> Parcel | None:
        """One parcel's registration, or None when the land system holds no such parcel."""
        access = self._access("parcel_lookup", ref.label(), declared)

        def outcome(parcel: Parcel | None) -> tuple[str, str | None]:
            if parcel is None:
                return "not_found", None
            holders = ", ".join(mask(o.id_number) for o in parcel.owners if o.id_number)
            return "found", mask_personal_data(f"holders: {holders or 'none named'}")

        return await self._audited(access, lambda: self._land.find_parcel(ref), outcome)

    async def parcels_of(self, id_number: str, declared: Declared) -> list[Parcel]:
        """The parcels whose land use right the person with ``id_number`` holds."""
        access = self._access("parcels_held", id_number, declared)

        def outcome(parcels: list[Parcel]) -> tuple[str, str | None]:
            if not parcels:
                return "not_found", None
            return "found", f"{len(parcels)} parcels: " + ", ".join(
                p.ref.label() for p in parcels[:10]
            )

        return await self._audited(access, lambda: self._land.parcels_of(id_number), outcome)

    def _access(self, action: str, subject: str, declared: Declared) -> Access:
        return Access(
            action=action,
            system=SYSTEM,
            caller=declared.caller,
            officer=declared.officer,
            purpose=declared.purpose,
            dossier_code=declared.dossier_code,
            subject=subject,
        )
