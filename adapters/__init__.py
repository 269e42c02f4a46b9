"""One client per national system, each behind a small Protocol; retries, auth and errors."""

from __future__ import annotations

from adapters.document_axis import (
    AxisConfig,
    AxisOrganisation,
    DocumentAxis,
    FetchedDocument,
    SentDocument,
    SoapDocumentAxis,
)
from adapters.errors import AdapterError, AuthError, PermanentError, TransientError
from adapters.national_portal import (
    AuthStyle,
    HttpNationalPortal,
    ItemOutcome,
    NationalPortal,
    PortalConfig,
)

__all__ = [
    "AdapterError",
    "AuthError",
    "AuthStyle",
    "AxisConfig",
    "AxisOrganisation",
    "DocumentAxis",
    "FetchedDocument",
    "HttpNationalPortal",
    "ItemOutcome",
    "NationalPortal",
    "PermanentError",
    "PortalConfig",
    "SentDocument",
    "SoapDocumentAxis",
    "TransientError",
]
