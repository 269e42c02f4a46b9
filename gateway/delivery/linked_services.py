"""Delivering the province's statuses to the inter-connected services, one row per call.

Rows hold the national status row, made when the status was accepted
(``gateway.linked_dossiers.statuses``); the rows of one claim are heads of their lines (at most
one per submission), so they are sent side by side and a submission's statuses still go in the
order reported. The system's text replies decide (``adapters.linked_services.reply``): done and
final verdicts are delivered (a final one is logged with what the system said), "try again" is
retried with the outbox's backoff, a refusal of the content is dead at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from adapters.errors import PermanentError, TransientError
from adapters.linked_services import LinkedServices
from gateway.delivery.target import Outcome
from gateway.linked_dossiers.statuses import STATUS, TARGET
from gateway.outbox import Claimed
from mappings.linked_services import WireStatus

log = logging.getLogger(__name__)

CONCURRENCY = 8


class LinkedStatusDelivery:
    name = TARGET

    def __init__(self, linked: LinkedServices) -> None:
        self._linked = linked
        self._gate = asyncio.Semaphore(CONCURRENCY)

    async def deliver(self, rows: Sequence[Claimed]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._deliver(row) for row in rows)))

    async def _deliver(self, row: Claimed) -> Outcome:
        if row.kind != STATUS:
            return Outcome(row.id, f"unknown event kind {row.kind!r}", permanent=True)
        status = WireStatus.model_validate_json(row.payload)
        async with self._gate:
            try:
                answer = await self._linked.send_status(status)
            except TransientError as error:
                return Outcome(row.id, str(error), retry_after=error.retry_after)
            except PermanentError as error:
                return Outcome(row.id, str(error), permanent=True)
        if answer.final:
            log.warning(
                "status %d of %s: the system gave its final word: %s",
                status.trangThai,
                status.soHoSoLT,
                answer.said,
            )
        return Outcome(row.id)
