"""The land poller: forwards new land dossiers, then pulls back what the land office says.

One replica at a time, quiet through an outage (``gateway.polling``). A failure of the land
system ends the poll; the next one picks up where it stopped, since dossiers are asked about
least recently asked first.
"""

from __future__ import annotations

from gateway.land.service import LandDossiers, PullReport
from gateway.polling import Polling
from gateway.store import Store

JOB = "land-registry-poller"


class LandPoller(Polling):
    what = "land dossiers"

    def __init__(self, store: Store, dossiers: LandDossiers, *, interval: float) -> None:
        super().__init__(store, JOB, interval)
        self.dossiers = dossiers

    async def poll_once(self) -> PullReport:
        report = PullReport()
        await self.dossiers.forward_new(report)
        await self.dossiers.pull(report)
        return report
