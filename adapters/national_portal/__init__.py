"""The National Public Service Portal: its port, its HTTP adapter and that adapter's settings."""

from __future__ import annotations

from adapters.national_portal.client import HttpNationalPortal
from adapters.national_portal.config import AuthStyle, PortalConfig
from adapters.national_portal.port import SYSTEM, ItemOutcome, NationalPortal
from adapters.system import NationalSystem

PROBE_RECEIPT = "000101-00000"
"""The date and sequence of a dossier code no one issues: received on 1 January 2000, number 0
(sequences start at 1). Looking it up changes nothing and finds nothing."""


async def probe(portal: NationalPortal, config: PortalConfig) -> str:
    """Look up a dossier of ours that does not exist: the portal answers only a signed-in unit."""
    code = f"{config.unit_code}-{PROBE_RECEIPT}"
    found = await portal.find_dossier(code)
    held = "holds a dossier" if found is not None else "holds no dossier"
    return f"signed in as unit {config.unit_code}; the portal {held} {code}"


NATIONAL_PORTAL: NationalSystem[NationalPortal] = NationalSystem(
    name=SYSTEM,
    title="Cổng Dịch vụ công quốc gia",
    title_en="National Public Service Portal",
    config=PortalConfig,
    connect=lambda config, guard, transport: HttpNationalPortal(
        config, guard=guard, transport=transport
    ),
    development={
        "unit_code": "000.00.00.H56",
        "username": "lienthong",
        "password": "lienthong-dev",
        "client_id": "lienthong",
        "client_secret": "lienthong-dev",
    },
    probe=probe,
)

__all__ = [
    "NATIONAL_PORTAL",
    "AuthStyle",
    "HttpNationalPortal",
    "ItemOutcome",
    "NationalPortal",
    "PortalConfig",
]
