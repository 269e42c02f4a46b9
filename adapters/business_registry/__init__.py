"""The National Business Registration Database: its port, its HTTP adapter and its settings."""

from __future__ import annotations

from adapters.business_registry.client import HttpBusinessRegistry
from adapters.business_registry.config import BusinessRegistryConfig
from adapters.business_registry.port import SYSTEM, BusinessRegistry
from adapters.system import NationalSystem

PROBE_CODE = "0000000017"
"""An enterprise code with a valid check digit that no office issues (its prefix is zeros)."""


async def probe(registry: BusinessRegistry, config: BusinessRegistryConfig) -> str:
    """Look up an enterprise code that passes the check digit: the registry answers only an
    authorised client."""
    found = await registry.find_business(PROBE_CODE)
    held = "holds an enterprise" if found is not None else "holds no enterprise"
    return f"signed in as client {config.client_id}; the registry {held} {PROBE_CODE}"


BUSINESS_REGISTRY: NationalSystem[BusinessRegistry] = NationalSystem(
    name=SYSTEM,
    title="Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp",
    title_en="National business registration database",
    config=BusinessRegistryConfig,
    connect=lambda config, guard, transport: HttpBusinessRegistry(
        config, guard=guard, transport=transport
    ),
    development={"client_id": "lienthong", "client_secret": "lienthong-dev"},
    probe=probe,
)

__all__ = [
    "BUSINESS_REGISTRY",
    "BusinessRegistry",
    "BusinessRegistryConfig",
    "HttpBusinessRegistry",
]
