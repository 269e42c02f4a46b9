"""Each period's report submitted on its due date, on one replica at a time.

``ReportSchedule`` looks every ``schedule_interval`` seconds at what falls due
(``Reports.submit_due``): a report due today, or in the last ``catch_up_days`` while the gateway
was not running, is submitted once per reporting unit through the outbox. It runs as a poller
does (``gateway.polling``): only the replica holding its lead looks, and a failing look is
logged once.
"""

from __future__ import annotations

from gateway.polling import Polling
from gateway.reports.submissions import Reports, Submission
from gateway.store import Store


class ReportSchedule(Polling):
    what = "periodic reports falling due"

    def __init__(self, store: Store, reports: Reports) -> None:
        super().__init__(store, "report-schedule", reports.config.schedule_interval)
        self._reports = reports

    async def poll_once(self) -> list[Submission]:
        return await self._reports.submit_due()
