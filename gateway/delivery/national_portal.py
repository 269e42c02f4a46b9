"""Delivering dossier snapshots and progress steps to the National Public Service Portal.

The rows of one claim are heads of their lines (at most one per dossier), so all snapshots can go
in one ``DongBoHoSoMC`` call and all steps in one ``CapNhatTienDoHoSoMC`` call, side by side.
A row whose content cannot be mapped to the portal's format is dead at once, with the reason.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from pydantic import ValidationError

from adapters.errors import PermanentError, TransientError
from adapters.national_portal import ItemOutcome, NationalPortal
from gateway.delivery.target import Outcome
from gateway.dossiers import PROGRESS, SNAPSHOT
from gateway.outbox import Claimed
from mappings.dossier import Dossier, ProgressStep
from mappings.errors import MappingError
from mappings.national_portal import to_portal_dossier, to_portal_progress
from mappings.overrides import ProvinceOverrides


class PortalDelivery:
    name = "national_portal"

    def __init__(self, portal: NationalPortal, overrides: ProvinceOverrides) -> None:
        self._portal = portal
        self._overrides = overrides

    def refusal(self, dossier: Dossier) -> MappingError | None:
        try:
            to_portal_dossier(dossier, overrides=self._overrides)
        except MappingError as error:
            return error
        for step in dossier.progress:
            if refused := self.step_refusal(dossier.code, step):
                return refused
        return None

    def step_refusal(self, code: str, step: ProgressStep) -> MappingError | None:
        try:
            to_portal_progress(code, step, overrides=self._overrides)
        except MappingError as error:
            return error
        return None

    async def deliver(self, rows: Sequence[Claimed]) -> list[Outcome]:
        outcomes: dict[int, Outcome] = {}
        snapshots, snapshot_rows = [], []
        steps, step_rows = [], []
        for row in rows:
            try:
                if row.kind == SNAPSHOT:
                    dossier = Dossier.model_validate_json(row.payload)
                    snapshots.append(to_portal_dossier(dossier, overrides=self._overrides))
                    snapshot_rows.append(row)
                elif row.kind == PROGRESS:
                    step = ProgressStep.model_validate_json(row.payload)
                    steps.append(
                        to_portal_progress(row.ordering_key, step, overrides=self._overrides)
                    )
                    step_rows.append(row)
                else:
                    outcomes[row.id] = Outcome(row.id, f"unknown event kind {row.kind!r}", True)
            except (ValidationError, ValueError) as error:
                outcomes[row.id] = Outcome(row.id, f"cannot map to the portal: {error}", True)
        results = await asyncio.gather(
            self._portal.push_dossiers(snapshots) if snapshots else _nothing(),
            self._portal.push_progress(steps) if steps else _nothing(),
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
