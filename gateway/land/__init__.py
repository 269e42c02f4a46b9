"""Land dossiers and parcels: the province's exchange with the provincial land system.

Dossiers of land procedures are forwarded to the land office through the outbox, and its
statuses, supplement requests and results pulled back into their timeline and the inbox
(``service``, ``poller``, ``records``); parcels are looked up with an audit record each
(``parcels``).
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.land.parcels import ParcelLookups
from gateway.land.poller import LandPoller
from gateway.land.records import LandRecord, LandState
from gateway.land.service import (
    INBOX,
    LandDossiers,
    LandRefused,
    NotInStatus,
    PullReport,
    UnknownLandDossier,
)


@dataclass(slots=True)
class Land:
    """The province's land capability, as the composition root wires it."""

    dossiers: LandDossiers
    poller: LandPoller
    parcels: ParcelLookups


__all__ = [
    "INBOX",
    "Land",
    "LandDossiers",
    "LandPoller",
    "LandRecord",
    "LandRefused",
    "LandState",
    "NotInStatus",
    "ParcelLookups",
    "PullReport",
    "UnknownLandDossier",
]
