"""The national document exchange axis: its port, its SOAP adapter and that adapter's settings."""

from __future__ import annotations

from adapters.document_axis.client import SoapDocumentAxis
from adapters.document_axis.config import AxisConfig
from adapters.document_axis.port import (
    SYSTEM,
    AxisOrganisation,
    DocumentAxis,
    FetchedDocument,
    PackageKind,
    SentDocument,
    Trace,
)
from adapters.system import NationalSystem


async def probe(axis: DocumentAxis, config: AxisConfig) -> str:
    """Read the directory of organisations: the axis lists it only to a signed-in account."""
    organisations = await axis.organisations()
    return f"signed in as {config.username}; {len(organisations)} organisations in the directory"


DOCUMENT_AXIS: NationalSystem[DocumentAxis] = NationalSystem(
    name=SYSTEM,
    title="Trục liên thông văn bản quốc gia",
    title_en="National document exchange axis",
    config=AxisConfig,
    connect=lambda config, guard, transport: SoapDocumentAxis(
        config, guard=guard, transport=transport
    ),
    mock="/document-axis/",
    development={"username": "000.00.00.H56", "password": "lienthong-dev"},
    probe=probe,
)

__all__ = [
    "DOCUMENT_AXIS",
    "AxisConfig",
    "AxisOrganisation",
    "DocumentAxis",
    "FetchedDocument",
    "PackageKind",
    "SentDocument",
    "SoapDocumentAxis",
    "Trace",
]
