"""One client per national system, each behind a small Protocol; retries, auth and errors.

Each national system is one package here, exporting its port, its adapter, its config and its
registry entry (``NationalSystem``). What every adapter shares lives once: the call policy
(``config``), the guarded client (``client``), the reading of failures (``failures``), the guard
(``guard``: breaker, rate limit, retry budget) and the error tree (``errors``).
"""

from __future__ import annotations

from adapters.breaker import CircuitBreaker, CircuitState
from adapters.business_registry import (
    BUSINESS_REGISTRY,
    BusinessRegistry,
    BusinessRegistryConfig,
    HttpBusinessRegistry,
)
from adapters.client import GuardedClient
from adapters.config import SystemConfig
from adapters.document_axis import (
    DOCUMENT_AXIS,
    AxisConfig,
    AxisOrganisation,
    DocumentAxis,
    FetchedDocument,
    SentDocument,
    SoapDocumentAxis,
)
from adapters.errors import AdapterError, AuthError, PermanentError, RefusedError, TransientError
from adapters.guard import GuardSnapshot, SystemGuard
from adapters.linked_services import (
    LINKED_SERVICES,
    HttpLinkedServices,
    LinkedServices,
    LinkedServicesConfig,
)
from adapters.national_portal import (
    NATIONAL_PORTAL,
    AuthStyle,
    HttpNationalPortal,
    ItemOutcome,
    NationalPortal,
    PortalConfig,
)
from adapters.population_registry import (
    POPULATION_REGISTRY,
    CitizenQuery,
    PopulationRegistry,
    PopulationRegistryConfig,
    SoapPopulationRegistry,
)
from adapters.rate_limit import RateLimit
from adapters.retry_budget import RetryBudget
from adapters.system import NationalSystem

__all__ = [
    "BUSINESS_REGISTRY",
    "DOCUMENT_AXIS",
    "LINKED_SERVICES",
    "NATIONAL_PORTAL",
    "POPULATION_REGISTRY",
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
    "GuardedClient",
    "HttpBusinessRegistry",
    "HttpLinkedServices",
    "HttpNationalPortal",
    "ItemOutcome",
    "LinkedServices",
    "LinkedServicesConfig",
    "NationalPortal",
    "NationalSystem",
    "PermanentError",
    "PopulationRegistry",
    "PopulationRegistryConfig",
    "PortalConfig",
    "RateLimit",
    "RefusedError",
    "RetryBudget",
    "SentDocument",
    "SoapDocumentAxis",
    "SoapPopulationRegistry",
    "SystemConfig",
    "SystemGuard",
    "TransientError",
]
