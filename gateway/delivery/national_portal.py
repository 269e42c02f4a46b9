"""Delivering dossier snapshots and progress steps to the National Public Service Portal.

Rows hold the portal's own objects (``DongBoHoSoMC`` and ``CapNhatTienDoHoSoMC`` elements),
mapped when the event was accepted. The rows of one claim are heads of their lines (at most one
per dossier), so all snapshots go in one ``push_dossiers`` call and all steps in one
``push_progress`` call, side by side.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from adapters.errors import PermanentError, TransientError
from adapters.national_portal import ItemOutcome, NationalPortal
from gateway.delivery.target import Outcome
from gateway.dossiers import PROGRESS, SNAPSHOT
from gateway.outbox import Claimed
from mappings.dossier import Dossier, ProgressStep
from mappings.national_portal import (
    PortalDossier,
    PortalProgress,
    to_portal_dossier,
    to_portal_progress,
)
from mappings.overrides import ProvinceOverrides


class PortalDelivery:
    name = "national_portal"

    def __init__(self, portal: NationalPortal, overrides: ProvinceOverrides) -> None:
        self._portal = portal
        self._overrides = overrides

    def encode_dossier(self, dossier: Dossier) -> str:
        return to_portal_dossier(dossier, overrides=self._overrides).model_dump_json()

    def encode_step(self, code: str, step: ProgressStep) -> str:
        return to_portal_progress(code, step, overrides=self._overrides).model_dump_json()

    async def deliver(self, rows: Sequence[Claimed]) -> list[Outcome]:
        snapshot_rows = [row for row in rows if row.kind == SNAPSHOT]
        step_rows = [row for row in rows if row.kind == PROGRESS]
        outcomes = {
            row.id: Outcome(row.id, f"unknown event kind {row.kind!r}", permanent=True)
            for row in rows
            if row.kind not in (SNAPSHOT, PROGRESS)
        }
        results = await asyncio.gather(
            self._portal.push_dossiers(
                [PortalDossier.model_validate_json(row.payload) for row in snapshot_rows]
            )
            if snapshot_rows
            else _nothing(),
            self._portal.push_progress(
                [PortalProgress.model_validate_json(row.payload) for row in step_rows]
            )
            if step_rows
            else _nothing(),
            return_exceptions=True,
        )
        for sent_rows, result in zip((snapshot_rows, step_rows), results, strict=True):
            outcomes.update(_outcomes(sent_rows, result))
        return [outcomes[row.id] for row in rows]


async def _nothing() -> list[ItemOutcome]:
    return []


def _outcomes(
    rows: Sequence[Claimed], result: list[ItemOutcome] | BaseException
) -> dict[int, Outcome]:
    if isinstance(result, TransientError):
        return {
            row.id: Outcome(row.id, str(result), retry_after=result.retry_after) for row in rows
        }
    if isinstance(result, PermanentError):
        return {row.id: Outcome(row.id, str(result), permanent=True) for row in rows}
    if isinstance(result, BaseException):
        raise result
    return {
        row.id: Outcome(row.id) if item.accepted else Outcome(row.id, str(item.error), True)
        for row, item in zip(rows, result, strict=True)
    }
