"""The monitoring centre over HTTP: the ``MonitoringCentre`` adapter."""

from __future__ import annotations

from typing import ClassVar

import httpx

from adapters.client import GuardedClient, tagged
from adapters.monitoring_centre.config import MonitoringCentreConfig
from adapters.monitoring_centre.port import SYSTEM
from adapters.monitoring_centre.reply import read_reachable, read_tracked
from mappings.monitoring_centre import TrackingEvent

TRACK = "TrackingMCDT"
REACHABLE = "reachable"


class HttpMonitoringCentre(GuardedClient[MonitoringCentreConfig]):
    """The monitoring centre, one JSON event a call.

    What a caller may rely on:

    - every call is one guarded call (``adapters.client``): breaker, retries under the budget,
      rate limit, deadline; every method raises only ``adapters.errors`` errors (``reply``);
    - no credentials are sent: the centre knows the province by the ``SiteId`` in each event;
    - ``transport`` replaces the network (e.g. ``httpx.ASGITransport`` around the mock) and
      ``sleep`` the waits between retries (tests pass a fake).
    """

    system: ClassVar[str] = SYSTEM

    def open(self, transport: httpx.AsyncBaseTransport | None) -> None:
        base = self.config.url.rstrip("/")
        self._http = httpx.AsyncClient(
            headers={"Accept": "application/json"},
            **self.http_options(transport, base_url=base),
        )
        self.closes(self._http.aclose)

    async def track(self, event: TrackingEvent) -> str:
        body = event.model_dump(mode="json")

        async def attempt() -> str:
            response = await self._http.post(
                self.config.tracking_path, json=body, extensions=tagged(TRACK)
            )
            return read_tracked(response, TRACK)

        return await self.call(TRACK, attempt)

    async def reachable(self) -> str:
        async def attempt() -> str:
            response = await self._http.get(self.config.tracking_path, extensions=tagged(REACHABLE))
            return read_reachable(response, REACHABLE)

        return await self.call(REACHABLE, attempt)
