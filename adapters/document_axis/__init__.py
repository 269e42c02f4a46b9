"""The national document exchange axis: its port, its SOAP adapter and that adapter's settings."""

from __future__ import annotations

from adapters.document_axis.client import SoapDocumentAxis
from adapters.document_axis.config import AxisConfig
from adapters.document_axis.port import (
    AxisOrganisation,
    DocumentAxis,
    FetchedDocument,
    PackageKind,
    SentDocument,
    Trace,
)

__all__ = [
    "AxisConfig",
    "AxisOrganisation",
    "DocumentAxis",
    "FetchedDocument",
    "PackageKind",
    "SentDocument",
    "SoapDocumentAxis",
    "Trace",
]
