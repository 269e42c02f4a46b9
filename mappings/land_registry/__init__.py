"""The provincial land registration system (ILIS / VBDLIS): its wire objects with their
Vietnamese names, the canonical parcel and progress of a land dossier, and the mappings between
them and the province's dossier."""

from __future__ import annotations

from mappings.land_registry.intake import (
    Handover,
    LandOffice,
    Supplement,
    SuppliedDocument,
    receipt_of,
    to_wire_handover,
    to_wire_intake,
    to_wire_supplement,
)
from mappings.land_registry.parcel import (
    COMMUNE_CODE_PATTERN,
    Certificate,
    CommuneCode,
    Parcel,
    ParcelOwner,
    ParcelRef,
)
from mappings.land_registry.parcels import parcel_from_wire
from mappings.land_registry.progress import (
    DEFAULT_STATUS_CODES,
    LandProgress,
    LandResult,
    LandStatus,
    LandStep,
    from_wire_time,
    progress_from_wire,
    status_table,
    to_wire_time,
)
from mappings.land_registry.wire import (
    WireHandover,
    WireIntake,
    WireParcel,
    WireProgress,
    WireReply,
    WireSupplement,
)

__all__ = [
    "COMMUNE_CODE_PATTERN",
    "DEFAULT_STATUS_CODES",
    "Certificate",
    "CommuneCode",
    "Handover",
    "LandOffice",
    "LandProgress",
    "LandResult",
    "LandStatus",
    "LandStep",
    "Parcel",
    "ParcelOwner",
    "ParcelRef",
    "Supplement",
    "SuppliedDocument",
    "WireHandover",
    "WireIntake",
    "WireParcel",
    "WireProgress",
    "WireReply",
    "WireSupplement",
    "from_wire_time",
    "parcel_from_wire",
    "progress_from_wire",
    "receipt_of",
    "status_table",
    "to_wire_handover",
    "to_wire_intake",
    "to_wire_supplement",
    "to_wire_time",
]
