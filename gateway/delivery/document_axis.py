"""Delivering signed edXML packages and status packages to the national document exchange axis.

Rows carry the package exactly as signed (base64 in the outbox), so a redelivery sends the same
bytes. The axis files a repeat under a new id of its own; receivers recognise it by the
``DocumentId`` inside (see ``gateway.documents.poller``).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from adapters.document_axis import DocumentAxis
from adapters.errors import PermanentError, TransientError
from gateway.delivery.target import Outcome
from gateway.documents.records import DOCUMENT, STATUS
from gateway.outbox import Claimed


class AxisDelivery:
    name = "document_axis"

    def __init__(self, axis: DocumentAxis) -> None:
        self._axis = axis

    async def deliver(self, rows: Sequence[Claimed]) -> list[Outcome]:
        return [await self._deliver(row) for row in rows]

    async def _deliver(self, row: Claimed) -> Outcome:
        package = base64.b64decode(row.payload)
        try:
            if row.kind == DOCUMENT:
                await self._axis.send_document(package)
            elif row.kind == STATUS:
                await self._axis.send_status(package)
            else:
                return Outcome(row.id, f"unknown event kind {row.kind!r}", permanent=True)
        except TransientError as error:
            return Outcome(row.id, str(error), retry_after=error.retry_after)
        except PermanentError as error:
            return Outcome(row.id, str(error), permanent=True)
        return Outcome(row.id)
