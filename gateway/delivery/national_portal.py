"""Delivering to the National Public Service Portal: dossier snapshots, progress steps, answers
to questions, published questions and answers, and evaluations.

Rows hold the portal's own objects (elements of ``DongBoHoSoMC``, ``CapNhatTienDoHoSoMC``,
``DongBoKetQuaHoiDapGuiTuDVCQG``, ``DongBoHoiDap``, ``DongBoDanhGia``), put in that format when
the event was accepted (``encode_*``). The rows of one claim are heads of their lines (at most one
per dossier, per question), so the rows of each kind go in one push of that kind, the kinds side
by side.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from adapters.errors import PermanentError, TransientError
from adapters.national_portal import ItemOutcome, NationalPortal
from gateway.delivery.target import Outcome
from gateway.dossiers import PROGRESS, SNAPSHOT
from gateway.outbox import Claimed
from gateway.questions.records import ANSWER, EVALUATION, PUBLISHED
from mappings.dossier import Dossier, ProgressStep
from mappings.evaluation import Evaluation
from mappings.national_portal import (
    EvaluationForm,
    PortalAnswer,
    PortalDossier,
    PortalEvaluation,
    PortalProgress,
    PortalPublishedQuestion,
    to_portal_answer,
    to_portal_dossier,
    to_portal_evaluation,
    to_portal_progress,
    to_portal_published,
)
from mappings.overrides import ProvinceOverrides
from mappings.questions import Answer, PublishedQuestion

Push = Callable[[Sequence[Any]], Awaitable[list[ItemOutcome]]]


@dataclass(frozen=True, slots=True)
class _Kind:
    wire: type[BaseModel]
    verb: str
    """The port's verb that pushes this kind, looked up at each delivery."""


class PortalDelivery:
    name = "national_portal"

    def __init__(
        self,
        portal: NationalPortal,
        overrides: ProvinceOverrides,
        evaluation_form: EvaluationForm | None = None,
    ) -> None:
        self._portal = portal
        self._overrides = overrides
        self._form = evaluation_form or EvaluationForm()
        self._kinds = {
            SNAPSHOT: _Kind(PortalDossier, "push_dossiers"),
            PROGRESS: _Kind(PortalProgress, "push_progress"),
            ANSWER: _Kind(PortalAnswer, "push_answers"),
            PUBLISHED: _Kind(PortalPublishedQuestion, "push_published"),
            EVALUATION: _Kind(PortalEvaluation, "push_evaluations"),
        }

    def encode_dossier(self, dossier: Dossier) -> str:
        return to_portal_dossier(dossier, overrides=self._overrides).model_dump_json()

    def encode_step(self, code: str, step: ProgressStep) -> str:
        return to_portal_progress(code, step, overrides=self._overrides).model_dump_json()

    def encode_answer(self, question_id: str, unit_code: str, answer: Answer, today: date) -> str:
        """The answer as ``DongBoKetQuaHoiDapGuiTuDVCQG`` takes it, dated ``today`` if undated."""
        return to_portal_answer(question_id, unit_code, answer.dated(today)).model_dump_json()

    def encode_published(self, question: PublishedQuestion) -> str:
        return to_portal_published(question).model_dump_json()

    def encode_evaluation(self, evaluation: Evaluation) -> str:
        """The evaluation as ``DongBoDanhGia`` takes it; ``MappingError`` naming the criterion
        or score the configured national form lacks."""
        return to_portal_evaluation(evaluation, self._form).model_dump_json()

    async def deliver(self, rows: Sequence[Claimed]) -> list[Outcome]:
        outcomes = {
            row.id: Outcome(row.id, f"unknown event kind {row.kind!r}", permanent=True)
            for row in rows
            if row.kind not in self._kinds
        }
        batches = [
            (kind, [row for row in rows if row.kind == name]) for name, kind in self._kinds.items()
        ]
        batches = [(kind, batch) for kind, batch in batches if batch]
        results = await asyncio.gather(
            *(
                self._push(kind)([kind.wire.model_validate_json(row.payload) for row in batch])
                for kind, batch in batches
            ),
            return_exceptions=True,
        )
        for (_, batch), result in zip(batches, results, strict=True):
            outcomes.update(_outcomes(batch, result))
        return [outcomes[row.id] for row in rows]

    def _push(self, kind: _Kind) -> Push:
        push: Push = getattr(self._portal, kind.verb)
        return push


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
