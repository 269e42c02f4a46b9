"""Inter-connected submissions (DVCLT birth and death bundles) in the province's inbox.

The poller (``poller``) takes them in from the national system, stored once and acknowledged
only after; the one-stop system reads them (``/v1/inbox/dossiers``), takes them and reports its
handling (``statuses``), delivered back through the outbox in order.
"""

from __future__ import annotations

from gateway.linked_dossiers.poller import LinkedPoller, PollReport
from gateway.linked_dossiers.records import LinkedRecord, LinkedState
from gateway.linked_dossiers.statuses import (
    AlreadyFinal,
    ProvinceCodeDiffers,
    ProvinceCodeNeeded,
    Queued,
    SetAside,
    StatusRefused,
    UnknownDossier,
    report_status,
)

__all__ = [
    "AlreadyFinal",
    "LinkedPoller",
    "LinkedRecord",
    "LinkedState",
    "PollReport",
    "ProvinceCodeDiffers",
    "ProvinceCodeNeeded",
    "Queued",
    "SetAside",
    "StatusRefused",
    "UnknownDossier",
    "report_status",
]
