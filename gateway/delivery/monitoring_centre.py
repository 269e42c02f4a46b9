"""Delivering each change of a dossier's state to the Government monitoring centre.

Rows hold the centre's event (``TrackingMCDT``), made when the snapshot that changed the state
was accepted (``encode_state``), so a redelivery sends the same event. The rows of one claim are
heads of their lines (at most one per dossier), so they are sent side by side and a dossier's
events still reach the centre in the order its states changed. A refusal (4xx) is dead at once
with what the centre said; outages and 5xx are retried with the outbox's backoff.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from adapters.errors import PermanentError, TransientError
from adapters.monitoring_centre import MonitoringCentre
from adapters.monitoring_centre.port import SYSTEM
from gateway.delivery.target import Outcome
from gateway.dossiers import STATE
from gateway.outbox import Claimed
from mappings.dossier import Dossier
from mappings.monitoring_centre import Site, TrackingEvent, to_tracking_event
from mappings.overrides import ProvinceOverrides

CONCURRENCY = 8


class MonitoringDelivery:
    name = SYSTEM

    def __init__(self, centre: MonitoringCentre, site: Site, overrides: ProvinceOverrides) -> None:
        self._centre = centre
        self._site = site
        self._overrides = overrides
        self._gate = asyncio.Semaphore(CONCURRENCY)

    def encode_state(self, dossier: Dossier) -> str:
        return to_tracking_event(dossier, self._site, self._overrides).model_dump_json()

    async def deliver(self, rows: Sequence[Claimed]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._deliver(row) for row in rows)))

    async def _deliver(self, row: Claimed) -> Outcome:
        if row.kind != STATE:
            return Outcome(row.id, f"unknown event kind {row.kind!r}", permanent=True)
        event = TrackingEvent.model_validate_json(row.payload)
        async with self._gate:
            try:
                await self._centre.track(event)
            except TransientError as error:
                return Outcome(row.id, str(error), retry_after=error.retry_after)
            except PermanentError as error:
                return Outcome(row.id, str(error), permanent=True)
        return Outcome(row.id)
