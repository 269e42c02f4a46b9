"""One client per national system, each behind a small Protocol; retries, auth and errors."""

from __future__ import annotations

from adapters.breaker import CircuitBreaker, CircuitState
from adapters.business_registry import (
    BusinessRegistry,
    BusinessRegistryConfig,
    HttpBusinessRegistry,
)
from adapters.document_axis import (
    AxisConfig,
    AxisOrganisation,
    DocumentAxis,
    FetchedDocument,
    SentDocument,
    SoapDocumentAxis,
)
from adapters.errors import AdapterError, AuthError, PermanentError, TransientError
from adapters.guard import GuardSnapshot, SystemGuard
from adapters.national_portal import (
    AuthStyle,
    HttpNationalPortal,
    ItemOutcome,
    NationalPortal,
    PortalConfig,
)
from adapters.population_registry import (
    CitizenQuery,
    PopulationRegistry,
    PopulationRegistryConfig,
    SoapPopulationRegistry,
)
from adapters.rate_limit import RateLimit
from adapters.retry_budget import RetryBudget

__all__ = [
    "AdapterError",
    "AuthError",
    "AuthStyle",
    "AxisConfig",
    "AxisOrganisation",
    "BusinessRegistry",
    "BusinessRegistryConfig",
    "CircuitBreaker",
    "CircuitState",
    "CitizenQuery",
    "DocumentAxis",
    "FetchedDocument",
    "GuardSnapshot",
    "HttpBusinessRegistry",
    "HttpNationalPortal",
    "ItemOutcome",
    "NationalPortal",
    "PermanentError",
    "PopulationRegistry",
    "PopulationRegistryConfig",
    "PortalConfig",
    "RateLimit",
    "RetryBudget",
    "SentDocument",
    "SoapDocumentAxis",
    "SoapPopulationRegistry",
    "SystemGuard",
    "TransientError",
]
