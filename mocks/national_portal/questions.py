"""What citizens asked on the portal and what the province answered, published and evaluated.

- **Questions** citizens sent on the portal (``LayDanhSachHoiDapGuiTuDVCQG``) are put in place by
  a test (``POST /__admin/questions`` or the scenario); each keeps every answer the province sent
  (``DongBoKetQuaHoiDapGuiTuDVCQG``) in arrival order, the last one being the question's answer.
- **Published questions and answers** (``DongBoHoiDap``): the province's own, upserted by
  ``HOIDAPID``, with how often each was written.
- **Evaluations** (``DongBoDanhGia``): one per dossier, the last one sent, with how often.

Stored objects are never changed in place, so replies and the journal may share them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Object = dict[str, Any]

WAITING = "0"
ANSWERED = "1"


@dataclass(slots=True)
class QuestionRecord:
    """A citizen's question as the portal holds it, and every answer sent to it, in order."""

    question: Object
    answers: list[Object] = field(default_factory=list)

    def listed(self) -> Object:
        """The question as ``LayDanhSachHoiDapGuiTuDVCQG`` answers it: answered ones carry the
        portal's id of the answer and its text."""
        if not self.answers:
            return {**self.question, "TRANGTHAI": self.question.get("TRANGTHAI", WAITING)}
        last = self.answers[-1]
        return {
            **self.question,
            "TRANGTHAI": ANSWERED,
            "TRALOIID": f"TL-{self.question['HOIDAPID']}-{len(self.answers)}",
            "NOIDUNGTRALOI": last["NOIDUNGTRALOI"],
        }

    def as_json(self) -> Object:
        return {"question": self.listed(), "answers": list(self.answers)}


@dataclass(slots=True)
class Written:
    """An object kept by its key (a published question, an evaluation): the last one written."""

    value: Object
    writes: int = 1

    def as_json(self) -> Object:
        return {"value": self.value, "writes": self.writes}


class Questions:
    """Citizens' questions with their answers, the province's published ones, and evaluations."""

    def __init__(self) -> None:
        self._asked: dict[str, QuestionRecord] = {}
        self.published: dict[str, Written] = {}
        self.evaluations: dict[str, Written] = {}

    def ask(self, question: Object) -> None:
        """Hold ``question`` (a complete question object), replacing one of the same id."""
        self._asked[question["HOIDAPID"]] = QuestionRecord(question)

    def get(self, question_id: str) -> QuestionRecord | None:
        return self._asked.get(question_id)

    def listed(self, state: str = "") -> list[Object]:
        """The questions as the portal lists them, in the order asked; only those in ``state``
        when it is given."""
        found = [record.listed() for record in self._asked.values()]
        return [q for q in found if not state or q["TRANGTHAI"] == state]

    def answer(self, answer: Object) -> bool:
        """Keep ``answer`` as its question's latest; False when no such question was asked."""
        record = self._asked.get(answer["HOIDAPID"])
        if record is None:
            return False
        record.answers.append(answer)
        return True

    def publish(self, qa: Object) -> bool:
        """Upsert a published question and answer; True when it is new."""
        return _write(self.published, qa["HOIDAPID"], qa)

    def evaluate(self, evaluation: Object) -> bool:
        """Keep ``evaluation`` as its dossier's; True when the dossier had none."""
        return _write(self.evaluations, evaluation["MaHoSo"], evaluation)

    def records(self) -> list[QuestionRecord]:
        return list(self._asked.values())

    def replace(self, questions: list[Object]) -> None:
        """Hold exactly ``questions`` (unanswered, their ids distinct)."""
        self._asked = {q["HOIDAPID"]: QuestionRecord(q) for q in questions}

    def clear(self) -> None:
        self._asked.clear()
        self.published.clear()
        self.evaluations.clear()

    def counts(self) -> dict[str, int]:
        return {
            "questions": len(self._asked),
            "answers": sum(len(r.answers) for r in self._asked.values()),
            "published_questions": len(self.published),
            "evaluations": len(self.evaluations),
        }


def _write(held: dict[str, Written], key: str, value: Object) -> bool:
    found = held.get(key)
    if found is None:
        held[key] = Written(value)
        return True
    found.value = value
    found.writes += 1
    return False
