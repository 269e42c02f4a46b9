"""One client per national system, each behind a small Protocol; retries, auth and errors."""

from __future__ import annotations

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
    "HttpNationalPortal",
    "ItemOutcome",
    "NationalPortal",
    "PermanentError",
    "PortalConfig",
    "TransientError",
]
