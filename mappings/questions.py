"""Questions citizens ask on the national portal, the province's answers, and the questions and
answers the province publishes: the canonical side (English names, NFC text).

A ``Question`` is read from the portal (``mappings.national_portal.questions``); an ``Answer``
and a ``PublishedQuestion`` come from the one-stop system through the API and are written to the
portal's formats when they are accepted, so what the portal cannot carry is refused then.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field

from mappings.canonical import Date, Model, NonEmptyText, Text
from mappings.dossier import UnitId

QUESTION_ID_PATTERN = r"^[0-9A-Za-z._-]{1,64}$"
"""What the portal takes as a ``HOIDAPID``."""

ANSWER_MAX = 20_000
QUESTION_MAX = 20_000


class QuestionState(StrEnum):
    waiting = "waiting"
    answered = "answered"


class Question(Model):
    """A question a citizen sent on the portal, as the portal lists it."""

    id: NonEmptyText = Field(max_length=64, description="The portal's HOIDAPID.")
    field_code: Text | None = Field(default=None, max_length=100)
    procedure_code: Text | None = Field(
        default=None,
        max_length=100,
        description="In the province's own form, as the portal sent it.",
    )
    unit_code: Text | None = Field(default=None, max_length=32)
    unit_name: Text | None = Field(default=None, max_length=500)
    text: NonEmptyText = Field(max_length=QUESTION_MAX)
    asker_name: Text | None = Field(default=None, max_length=200)
    asker_email: Text | None = Field(default=None, max_length=320)
    state: QuestionState = QuestionState.waiting
    answer_id: Text | None = Field(default=None, max_length=100)
    answer_text: Text | None = Field(default=None, max_length=ANSWER_MAX)


EXAMPLE_ANSWER: dict[str, Any] = {
    "officer": "Trần Văn Nam",
    "position": "Công chức tư pháp - hộ tịch",
    "answered_on": "2025-03-05",
    "text": "Ông/bà mang theo giấy chứng sinh và căn cước của cha hoặc mẹ.",
}


class Answer(Model):
    """The province's answer to a question sent on the portal."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_ANSWER]})

    officer: NonEmptyText = Field(max_length=200, description="Who answered.")
    position: Text | None = Field(default=None, max_length=200)
    answered_on: Date | None = Field(
        default=None, description="The day of the answer; today (Vietnam) when not given."
    )
    text: NonEmptyText = Field(max_length=ANSWER_MAX)
    unit_code: UnitId | None = Field(
        default=None,
        description="The unit that answers; the unit the question was sent to when not given.",
    )

    def dated(self, today: date) -> Answer:
        """This answer with its day, ``today`` when it has none."""
        return self if self.answered_on else self.model_copy(update={"answered_on": today})


EXAMPLE_PUBLISHED: dict[str, Any] = {
    "id": "TH-HT-0001",
    "field_code": "LV001",
    "text": "Hỏi: Đăng ký khai sinh ở đâu? Đáp: Tại Ủy ban nhân dân cấp xã nơi cư trú.",
    "unit_code": "000.00.00.H56",
    "unit_name": "Ủy ban nhân dân tỉnh Thanh Hóa",
}


class PublishedQuestion(Model):
    """A question and its answer the province publishes on the portal (upsert by ``id``)."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_PUBLISHED]})

    id: NonEmptyText = Field(
        max_length=64,
        pattern=QUESTION_ID_PATTERN,
        description="The province's own id of it; publishing the same id again replaces it.",
    )
    field_code: NonEmptyText = Field(
        max_length=100, description="A field (lĩnh vực) code of the portal's catalogue."
    )
    text: NonEmptyText = Field(max_length=QUESTION_MAX)
    unit_code: UnitId
    unit_name: NonEmptyText = Field(max_length=500)
