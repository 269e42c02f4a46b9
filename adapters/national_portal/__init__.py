"""The National Public Service Portal: its port, its HTTP adapter and that adapter's settings."""

from __future__ import annotations

from adapters.national_portal.client import HttpNationalPortal
from adapters.national_portal.config import AuthStyle, PortalConfig
from adapters.national_portal.port import ItemOutcome, NationalPortal

__all__ = ["AuthStyle", "HttpNationalPortal", "ItemOutcome", "NationalPortal", "PortalConfig"]
