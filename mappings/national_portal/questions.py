"""Questions, answers, published questions and evaluations, to and from the portal's objects.

Reading (``from_portal_question``) checks what the canonical ``Question`` requires (an id, some
text) and raises ``MappingError`` naming the portal field, or pydantic's ``ValidationError``
naming the canonical one. Writing (``to_portal_*``) takes validated canonical models and fails
with ``MappingError`` naming the canonical field only where the portal's format has no room for a
value: an answer's day outside ``dd/MM/yyyy`` years, an evaluation's criterion or score the
configured national form (``EvaluationForm``, *inferred*) does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mappings.errors import MappingError
from mappings.evaluation import Evaluation
from mappings.national_portal.dates import format_portal_time
from mappings.national_portal.wire import (
    PortalAnswer,
    PortalEvaluation,
    PortalPublishedQuestion,
    PortalQuestion,
    TieuChi,
)
from mappings.questions import Answer, PublishedQuestion, Question, QuestionState

ANSWERED = "1"
_QUESTION_ID = re.compile(r"[0-9A-Za-z._-]{1,64}")


@dataclass(frozen=True, slots=True)
class EvaluationForm:
    """The national evaluation form as the portal takes it (*inferred*): the codes of its
    criteria (empty: any code of one to three digits) and the scores it accepts."""

    criteria: frozenset[str] = frozenset()
    scores: frozenset[int] = frozenset({1, 2, 3})

    @classmethod
    def parse(cls, criteria: str, scores: str) -> EvaluationForm:
        """From comma-separated lists, e.g. ``"1,2,3,4,5"`` and ``"1,2,3"``."""
        codes = frozenset(c.strip() for c in criteria.split(",") if c.strip())
        values = frozenset(int(s) for s in scores.split(",") if s.strip())
        return cls(codes, values)


def from_portal_question(portal: PortalQuestion) -> Question:
    """The canonical question the portal lists."""
    if not _QUESTION_ID.fullmatch(portal.HOIDAPID.strip()):
        raise MappingError(
            "HOIDAPID", f"{portal.HOIDAPID!r} is not a question id (letters, digits, . _ -)"
        )
    if not portal.NOIDUNG.strip():
        raise MappingError("NOIDUNG", "a question has some text")
    answered = portal.TRANGTHAI.strip() == ANSWERED
    return Question(
        id=portal.HOIDAPID.strip(),
        field_code=portal.MALINHVUC,
        procedure_code=portal.MATTHCDP,
        unit_code=portal.MADONVI,
        unit_name=portal.TENDONVI,
        text=portal.NOIDUNG,
        asker_name=portal.HOVATEN,
        asker_email=portal.THUDIENTU,
        state=QuestionState.answered if answered else QuestionState.waiting,
        answer_id=portal.TRALOIID,
        answer_text=portal.NOIDUNGTRALOI,
    )


def to_portal_answer(question_id: str, unit_code: str, answer: Answer) -> PortalAnswer:
    """The ``DongBoKetQuaHoiDapGuiTuDVCQG`` object of ``answer`` (which must carry its day)."""
    if answer.answered_on is None:
        raise MappingError("answered_on", "an answer sent to the portal has its day")
    day = answer.answered_on
    return PortalAnswer(
        HOIDAPID=question_id,
        MADONVI=answer.unit_code or unit_code,
        NGUOITRALOI=answer.officer,
        CHUCVUNGUOITRALOI=answer.position or "",
        NGAYTRALOI=f"{day.day:02d}/{day.month:02d}/{day.year:04d}",
        NOIDUNGTRALOI=answer.text,
    )


def to_portal_published(question: PublishedQuestion) -> PortalPublishedQuestion:
    """The ``DongBoHoiDap`` object of ``question``."""
    return PortalPublishedQuestion(
        HOIDAPID=question.id,
        MaLinhVuc=question.field_code,
        NOIDUNG=question.text,
        MADONVI=question.unit_code,
        TENDONVI=question.unit_name,
    )


def to_portal_evaluation(
    evaluation: Evaluation, form: EvaluationForm = EvaluationForm()
) -> PortalEvaluation:
    """The ``DongBoDanhGia`` object of ``evaluation`` (*inferred*), its criteria and scores
    checked against ``form``."""
    criteria = []
    for index, criterion in enumerate(evaluation.criteria):
        known = (
            criterion.code in form.criteria
            if form.criteria
            else re.fullmatch(r"[0-9]{1,3}", criterion.code) is not None
        )
        if not known:
            offered = ", ".join(sorted(form.criteria)) or "a code of one to three digits"
            raise MappingError(
                f"criteria[{index}].code",
                f"{criterion.code!r} is not a criterion of the national form; use {offered}",
            )
        if criterion.score not in form.scores:
            offered = ", ".join(str(s) for s in sorted(form.scores))
            raise MappingError(
                f"criteria[{index}].score",
                f"{criterion.score} is not a score of the national form; use {offered}",
            )
        criteria.append(TieuChi(MaTieuChi=criterion.code, DiemDanhGia=str(criterion.score)))
    return PortalEvaluation(
        MaHoSo=evaluation.dossier_code,
        TaiKhoanDanhGia=evaluation.account,
        ThoiDiemDanhGia=format_portal_time(evaluation.evaluated_at, "evaluated_at"),
        DanhSachTieuChi=criteria,
        YKienKhac=evaluation.comment or "",
    )
