"""The provincial land registration system (ILIS / VBDLIS): port, HTTP adapter, settings."""

from __future__ import annotations

from adapters.land_registry.client import HttpLandRegistry
from adapters.land_registry.config import LandRegistryConfig
from adapters.land_registry.port import SYSTEM, Answer, LandRegistry
from adapters.system import NationalSystem

PROBE_RECEIPT = "LIENTHONG-PROBE"
"""A receipt number no land office issues: asking about it changes nothing upstream."""


async def probe(land: LandRegistry, config: LandRegistryConfig) -> str:
    """Sign in and ask about a dossier no office holds."""
    found = await land.progress(PROBE_RECEIPT)
    held = "holds" if found is not None else "holds no"
    return f"signed in as {config.username}; the land system {held} dossier {PROBE_RECEIPT}"


LAND_REGISTRY: NationalSystem[LandRegistry] = NationalSystem(
    name=SYSTEM,
    title="Hệ thống thông tin đất đai (ILIS, VBDLIS)",
    title_en="Land registration system (ILIS, VBDLIS)",
    config=LandRegistryConfig,
    connect=lambda config, guard, transport: HttpLandRegistry(
        config, guard=guard, transport=transport
    ),
    development={
        "client_id": "lienthong",
        "client_secret": "lienthong-dev",
        "username": "lienthong",
        "password": "lienthong-dev",
    },
    probe=probe,
)

__all__ = [
    "LAND_REGISTRY",
    "Answer",
    "HttpLandRegistry",
    "LandRegistry",
    "LandRegistryConfig",
]
