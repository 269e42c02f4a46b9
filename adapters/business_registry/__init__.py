"""The National Business Registration Database: its port, its HTTP adapter and its settings."""

from __future__ import annotations

from adapters.business_registry.client import HttpBusinessRegistry
from adapters.business_registry.config import BusinessRegistryConfig
from adapters.business_registry.port import SYSTEM, BusinessRegistry
from adapters.system import NationalSystem

BUSINESS_REGISTRY: NationalSystem[BusinessRegistry] = NationalSystem(
    name=SYSTEM,
    title="Cơ sở dữ liệu quốc gia về đăng ký doanh nghiệp",
    title_en="National business registration database",
    config=BusinessRegistryConfig,
    connect=lambda config, guard, transport: HttpBusinessRegistry(
        config, guard=guard, transport=transport
    ),
    development={"client_id": "lienthong", "client_secret": "lienthong-dev"},
)

__all__ = [
    "BUSINESS_REGISTRY",
    "BusinessRegistry",
    "BusinessRegistryConfig",
    "HttpBusinessRegistry",
]
