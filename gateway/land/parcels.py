"""Parcel look-ups on behalf of the one-stop system: personal data, so every one is audited.

A parcel's registration names its holders: every look-up (one parcel, or the parcels a person
holds) carries a purpose, an officer and a dossier (``Declared``) and leaves exactly one audit
record, whatever came of it, including failures of the land system; the record is written after
the outcome is known, in its own transaction (``gateway.registries.audited``, as for
citizens). The audit's subject is the holder's ID number for a holder's parcels, and the
parcel (``commune/sheet/number``) for one parcel, with its holders' numbers masked in the detail.
"""

from __future__ import annotations

from adapters.land_registry import LandRegistry
from gateway.logging import mask_personal_data
from gateway.registries.audit import Access, Auditor, mask
from gateway.registries.audited import audited
from gateway.registries.lookups import Declared
from gateway.store import Store
from mappings.land_registry import Parcel, ParcelRef

SYSTEM = "land_registry"


class ParcelLookups:
    def __init__(self, store: Store, land: LandRegistry, auditor: Auditor) -> None:
        self._store = store
        self._land = land
        self._auditor = auditor

    async def find_parcel(self, ref: ParcelRef, declared: Declared) -> Parcel | None:
        """One parcel's registration, or None when the land system holds no such parcel."""
        access = self._access("parcel_lookup", ref.label(), declared)

        async def ask() -> tuple[Parcel | None, str]:
            parcel = await self._land.find_parcel(ref)
            return parcel, "not_found" if parcel is None else "found"

        return await audited(self._store, self._auditor, access, ask, _holders)

    async def parcels_of(self, id_number: str, declared: Declared) -> list[Parcel]:
        """The parcels whose land use right the person with ``id_number`` holds."""
        access = self._access("parcels_held", id_number, declared)

        async def ask() -> tuple[list[Parcel], str]:
            parcels = await self._land.parcels_of(id_number)
            return parcels, "found" if parcels else "not_found"

        return await audited(self._store, self._auditor, access, ask, _parcel_labels)

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


def _holders(parcel: Parcel | None) -> str | None:
    """The audit's detail of one parcel: its holders' ID numbers, masked."""
    if parcel is None:
        return None
    holders = ", ".join(mask(o.id_number) for o in parcel.owners if o.id_number)
    return mask_personal_data(f"holders: {holders or 'none named'}")


def _parcel_labels(parcels: list[Parcel]) -> str | None:
    """The audit's detail of a holder's parcels: the first ten's references."""
    if not parcels:
        return None
    return f"{len(parcels)} parcels: " + ", ".join(p.ref.label() for p in parcels[:10])
