"""A citizen's evaluation of how a dossier was handled: the canonical side.

No public payload of the portal's ``DongBoDanhGia`` exists, so the national side is modelled
(*inferred*, NATIONAL-SYSTEMS.md §1c) on the dossier, the evaluator's account, the criteria of the
national evaluation form with their scores, and the time. Which criteria and scores the portal
takes is the portal adapter's configuration; the canonical model only asks that each criterion
appear once.
"""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from mappings.canonical import Model, NonEmptyText, Text, Time
from mappings.dossier import DossierCode

EXAMPLE_EVALUATION: dict[str, Any] = {
    "dossier_code": "000.00.01.H56-250301-00012",
    "account": "tech-8f2c1d",
    "evaluated_at": "2025-03-06T10:00:00+07:00",
    "criteria": [{"code": "1", "score": 3}, {"code": "2", "score": 2}],
    "comment": "Cán bộ hướng dẫn tận tình.",
}


class Criterion(Model):
    """One criterion of the national evaluation form and the score the citizen gave it."""

    code: NonEmptyText = Field(max_length=20)
    score: int = Field(ge=0, le=100)


class Evaluation(Model):
    """What a citizen said of a dossier's handling; the portal keeps one per dossier."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_EVALUATION]})

    dossier_code: DossierCode
    account: NonEmptyText = Field(
        max_length=100, description="The evaluator's account on the portal (TechID)."
    )
    evaluated_at: Time
    criteria: list[Criterion] = Field(min_length=1, max_length=20)
    comment: Text | None = Field(default=None, max_length=2000)

    @field_validator("criteria")
    @classmethod
    def _each_criterion_once(cls, criteria: list[Criterion]) -> list[Criterion]:
        seen: set[str] = set()
        for criterion in criteria:
            if criterion.code in seen:
                raise PydanticCustomError(
                    "criterion_repeated",
                    "criterion {code} is scored twice; score each criterion once",
                    {"code": criterion.code},
                )
            seen.add(criterion.code)
        return criteria
