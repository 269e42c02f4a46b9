"""Delivering periodic reports to the national reporting system, one submission per row.

Rows hold the report as the system takes it (``BaoCao``), made when the submission was accepted
(``gateway.reports.submissions``), under a ``MaYeuCau`` of its own that every attempt repeats. A
receipt is kept on the submission before the row is recorded delivered; a crash in between sends
the row again and the system answers the same receipt. A refusal of the content is kept on the
submission with what the system said, and the row is dead at once; an outage is retried with the
outbox's backoff.
"""

from __future__ import annotations

from collections.abc import Sequence

from adapters.errors import PermanentError, TransientError
from adapters.national_reporting import NationalReporting
from adapters.national_reporting.port import SYSTEM
from gateway.delivery.target import Outcome
from gateway.outbox import Claimed
from gateway.reports.submissions import REPORT, record_receipt, record_refusal
from gateway.store import Store
from mappings.national_reporting import BaoCao


class ReportDelivery:
    name = SYSTEM

    def __init__(self, reporting: NationalReporting, store: Store) -> None:
        self._reporting = reporting
        self._store = store

    async def deliver(self, rows: Sequence[Claimed]) -> list[Outcome]:
        return [await self._deliver(row) for row in rows]

    async def _deliver(self, row: Claimed) -> Outcome:
        if row.kind != REPORT:
            return Outcome(row.id, f"unknown event kind {row.kind!r}", permanent=True)
        report = BaoCao.model_validate_json(row.payload)
        try:
            receipt = await self._reporting.submit_report(report)
        except TransientError as error:
            return Outcome(row.id, str(error), retry_after=error.retry_after)
        except PermanentError as error:
            said = str(error)
            await self._store.write(lambda c: record_refusal(c, report.MaYeuCau, said))
            return Outcome(row.id, said, permanent=True)
        await self._store.write(lambda c: record_receipt(c, report.MaYeuCau, receipt))
        return Outcome(row.id)
