"""What the gateway needs from the provincial land registration system, in its own verbs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mappings.land_registry import (
    LandProgress,
    Parcel,
    ParcelRef,
    WireHandover,
    WireIntake,
    WireSupplement,
)

SYSTEM = "land_registry"
"""How errors of this adapter name the national system (``AdapterError.system``)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What the land system said to a dossier sent to it: ``said`` as it wrote it; ``final``
    when it was not a success but a verdict repeating cannot change (it already holds the
    dossier, or already has the handover)."""

    said: str
    final: bool = False


class LandRegistry(Protocol):
    """The provincial land registration system (ILIS / VBDLIS), as the province's account sees it.

    Every method raises only ``adapters.errors`` errors: ``TransientError`` when trying again
    later may succeed (an outage, a reply it cannot tell; also while the circuit breaker is
    open), ``AuthError`` when it refuses the account, ``PermanentError`` when it refuses the
    content, naming what it said.
    """

    async def forward(self, intake: WireIntake) -> Answer:
        """Hand a land dossier to the land office (``TiepNhanHoSo``)."""
        ...

    async def send_supplement(self, supplement: WireSupplement) -> Answer:
        """Tell the land office the applicant supplied what it asked for
        (``CapNhatTrangThaiBoSungHoSo``)."""
        ...

    async def send_handover(self, handover: WireHandover) -> Answer:
        """Tell the land office the result was handed to the applicant
        (``CapNhatKetQuaTraHoSo``)."""
        ...

    async def progress(self, receipt: str) -> LandProgress | None:
        """Where the land office is with dossier ``receipt`` (its ``SoBienNhan``): its status,
        what it asks for and its results; None when it holds no such dossier."""
        ...

    async def find_parcel(self, ref: ParcelRef) -> Parcel | None:
        """One parcel's registration, or None when the registry holds no such parcel."""
        ...

    async def parcels_of(self, id_number: str) -> list[Parcel]:
        """The parcels whose land use right the person with ``id_number`` holds."""
        ...

    async def aclose(self) -> None:
        """Release the connection pool; the adapter cannot be used afterwards."""
        ...
