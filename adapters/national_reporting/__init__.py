"""The national reporting system (Hệ thống thông tin báo cáo quốc gia): port, HTTP adapter,
settings and registry entry."""

from __future__ import annotations

from adapters.national_reporting.client import HttpNationalReporting
from adapters.national_reporting.config import NationalReportingConfig
from adapters.national_reporting.port import SYSTEM, NationalReporting, Receipt
from adapters.system import NationalSystem


async def probe(reporting: NationalReporting, config: NationalReportingConfig) -> str:
    """List the receipts held (which changes nothing upstream)."""
    held = await reporting.receipts()
    return f"signed in as client {config.client_id}; the system holds {len(held)} reports"


NATIONAL_REPORTING: NationalSystem[NationalReporting] = NationalSystem(
    name=SYSTEM,
    title="Hệ thống thông tin báo cáo quốc gia",
    title_en="National reporting system",
    config=NationalReportingConfig,
    connect=lambda config, guard, transport: HttpNationalReporting(
        config, guard=guard, transport=transport
    ),
    development={"client_id": "lienthong", "client_secret": "lienthong-dev"},
    probe=probe,
)

__all__ = [
    "NATIONAL_REPORTING",
    "HttpNationalReporting",
    "NationalReporting",
    "NationalReportingConfig",
    "Receipt",
]
