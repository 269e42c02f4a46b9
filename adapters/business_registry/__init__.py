"""The National Business Registration Database: its port, its HTTP adapter and its settings."""

from __future__ import annotations

from adapters.business_registry.client import HttpBusinessRegistry
from adapters.business_registry.config import BusinessRegistryConfig
from adapters.business_registry.port import BusinessRegistry

__all__ = ["BusinessRegistry", "BusinessRegistryConfig", "HttpBusinessRegistry"]
