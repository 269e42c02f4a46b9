"""Delivering land dossiers and the province's answers to the land office, one row per call.

Rows hold the land system's object, made when it was queued (``gateway.land``): ``intake``
(``TiepNhanHoSo``), ``supplement`` (``CapNhatTrangThaiBoSungHoSo``) and ``handover``
(``CapNhatKetQuaTraHoSo``). The rows of one claim are heads of their lines (at most one per
dossier), so they are sent side by side and a dossier's rows still go in the order queued. The
land system's replies decide (``adapters.land_registry.reply``): success and "already held" are
delivered (the latter logged with what it said), a refusal of the content is dead at once,
anything else is retried with the outbox's backoff. A dossier the land office took is marked
forwarded, so its statuses are pulled back from then on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from adapters.errors import PermanentError, TransientError
from adapters.land_registry import Answer, LandRegistry
from gateway.delivery.target import Outcome
from gateway.land.records import HANDOVER, INTAKE, SUPPLEMENT, TARGET, mark_forwarded
from gateway.outbox import Claimed
from gateway.store import Store
from mappings.land_registry import WireHandover, WireIntake, WireSupplement

log = logging.getLogger(__name__)

CONCURRENCY = 8


class LandDelivery:
    name = TARGET

    def __init__(self, land: LandRegistry, store: Store) -> None:
        self._land = land
        self._store = store
        self._gate = asyncio.Semaphore(CONCURRENCY)

    async def deliver(self, rows: Sequence[Claimed]) -> list[Outcome]:
        return list(await asyncio.gather(*(self._deliver(row) for row in rows)))

    async def _send(self, row: Claimed) -> Answer | None:
        if row.kind == INTAKE:
            return await self._land.forward(WireIntake.model_validate_json(row.payload))
        if row.kind == SUPPLEMENT:
            return await self._land.send_supplement(WireSupplement.model_validate_json(row.payload))
        if row.kind == HANDOVER:
            return await self._land.send_handover(WireHandover.model_validate_json(row.payload))
        return None

    async def _deliver(self, row: Claimed) -> Outcome:
        async with self._gate:
            try:
                answer = await self._send(row)
            except TransientError as error:
                return Outcome(row.id, str(error), retry_after=error.retry_after)
            except PermanentError as error:
                return Outcome(row.id, str(error), permanent=True)
        if answer is None:
            return Outcome(row.id, f"unknown event kind {row.kind!r}", permanent=True)
        if answer.final:
            log.warning(
                "%s of %s: the land system already had it: %s",
                row.kind,
                row.ordering_key,
                answer.said,
            )
        if row.kind == INTAKE:
            await self._store.write(lambda c: mark_forwarded(c, row.ordering_key))
        return Outcome(row.id)
