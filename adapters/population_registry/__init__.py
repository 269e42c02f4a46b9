"""The National Population Database: its port, its SOAP adapter and that adapter's settings."""

from __future__ import annotations

from adapters.population_registry.client import SoapPopulationRegistry
from adapters.population_registry.config import PopulationRegistryConfig
from adapters.population_registry.port import CitizenQuery, PopulationRegistry

__all__ = [
    "CitizenQuery",
    "PopulationRegistry",
    "PopulationRegistryConfig",
    "SoapPopulationRegistry",
]
