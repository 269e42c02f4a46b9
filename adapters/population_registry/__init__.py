"""The National Population Database: its port, its SOAP adapter and that adapter's settings."""

from __future__ import annotations

from adapters.population_registry.client import SoapPopulationRegistry
from adapters.population_registry.config import PopulationRegistryConfig
from adapters.population_registry.port import SYSTEM, CitizenQuery, PopulationRegistry
from adapters.system import NationalSystem

POPULATION_REGISTRY: NationalSystem[PopulationRegistry] = NationalSystem(
    name=SYSTEM,
    title="Cơ sở dữ liệu quốc gia về dân cư",
    title_en="National population database",
    config=PopulationRegistryConfig,
    connect=lambda config, guard, transport: SoapPopulationRegistry(
        config, guard=guard, transport=transport
    ),
    mock="/population-registry/",
    development={
        "user": "lienthong",
        "secret": "lienthong-dev",
        "api_key": "lienthong-dev-key",
        "x_road_client": "VN/GOV/000.00.00.H56/LIENTHONG",
    },
)

__all__ = [
    "POPULATION_REGISTRY",
    "CitizenQuery",
    "PopulationRegistry",
    "PopulationRegistryConfig",
    "SoapPopulationRegistry",
]
