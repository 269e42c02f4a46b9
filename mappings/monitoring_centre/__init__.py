"""The Government monitoring centre (EMC tracking of one-stop events): its event, its code
tables, and how a canonical dossier's state becomes an event."""

from __future__ import annotations

from mappings.monitoring_centre.codes import (
    RECEPTION,
    STATUS,
    FromNationalPortal,
    Level,
    Payment,
    Reception,
    ResultBy,
    Status,
)
from mappings.monitoring_centre.event import Site, TrackingEvent, to_tracking_event

__all__ = [
    "RECEPTION",
    "STATUS",
    "FromNationalPortal",
    "Level",
    "Payment",
    "Reception",
    "ResultBy",
    "Site",
    "Status",
    "TrackingEvent",
    "to_tracking_event",
]
