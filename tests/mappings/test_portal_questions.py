"""Questions, answers, published questions and evaluations, to and from the portal's objects."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from pydantic import ValidationError

from mappings.errors import MappingError
from mappings.evaluation import Evaluation
from mappings.national_portal import (
    EvaluationForm,
    PortalQuestion,
    from_portal_question,
    to_portal_answer,
    to_portal_evaluation,
    to_portal_published,
)
from mappings.questions import Answer, PublishedQuestion, QuestionState


def test_a_question_is_read_in_nfc_with_its_state_and_answer() -> None:
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh cần giấy tờ gì?")
    portal = PortalQuestion(
        HOIDAPID=" HD-1 ",
        MALINHVUC="LV001",
        MADONVI="000.00.00.H56",
        NOIDUNG=decomposed,
        HOVATEN="Lê Thị Mai",
        TRANGTHAI="1",
        TRALOIID="TL-1",
        NOIDUNGTRALOI="Giấy chứng sinh.",
    )

    question = from_portal_question(portal)

    assert question.id == "HD-1"
    assert question.text == unicodedata.normalize("NFC", decomposed)
    assert question.state is QuestionState.answered
    assert (question.answer_id, question.answer_text) == ("TL-1", "Giấy chứng sinh.")
    assert question.asker_email is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"HOIDAPID": "có dấu"}, "HOIDAPID"), ({"HOIDAPID": "HD-1", "NOIDUNG": " "}, "NOIDUNG")],
)
def test_a_question_the_gateway_cannot_keep_names_the_portal_field(
    fields: dict[str, str], field: str
) -> None:
    with pytest.raises(MappingError) as caught:
        from_portal_question(PortalQuestion.model_validate({"NOIDUNG": "Hỏi?", **fields}))

    assert caught.value.field == field


def test_an_answer_is_written_with_its_day_as_the_portal_writes_days() -> None:
    answer = Answer(officer="Trần Văn Nam", text="Mang theo giấy chứng sinh.").dated(
        date(2025, 3, 5)
    )

    portal = to_portal_answer("HD-1", "000.00.00.H56", answer)

    assert portal.NGAYTRALOI == "05/03/2025"
    assert (portal.HOIDAPID, portal.MADONVI, portal.CHUCVUNGUOITRALOI) == (
        "HD-1",
        "000.00.00.H56",
        "",
    )


def test_a_published_question_keeps_its_fields() -> None:
    published = PublishedQuestion(
        id="TH-1",
        field_code="LV001",
        text="Hỏi và đáp",
        unit_code="000.00.00.H56",
        unit_name="Ủy ban nhân dân tỉnh Thanh Hóa",
    )

    portal = to_portal_published(published)

    assert (portal.HOIDAPID, portal.MaLinhVuc, portal.MADONVI) == ("TH-1", "LV001", "000.00.00.H56")


def _evaluation(*criteria: tuple[str, int]) -> Evaluation:
    return Evaluation(
        dossier_code="000.00.01.H56-250301-00012",
        account="tech-8f2c",
        evaluated_at="2025-03-06T10:00:00+07:00",
        criteria=[{"code": code, "score": score} for code, score in criteria],
    )


def test_an_evaluation_is_written_on_the_portal_clock() -> None:
    portal = to_portal_evaluation(_evaluation(("1", 3), ("2", 2)))

    assert portal.ThoiDiemDanhGia == "20250306100000"
    assert [(c.MaTieuChi, c.DiemDanhGia) for c in portal.DanhSachTieuChi] == [
        ("1", "3"),
        ("2", "2"),
    ]


@pytest.mark.parametrize(
    ("criteria", "field"),
    [((("1", 3), ("9", 2)), "criteria[1].code"), ((("1", 3), ("2", 5)), "criteria[1].score")],
)
def test_a_criterion_or_score_the_national_form_lacks_is_refused_naming_it(
    criteria: tuple[tuple[str, int], ...], field: str
) -> None:
    form = EvaluationForm.parse("1,2,3,4,5", "1,2,3")

    with pytest.raises(MappingError) as caught:
        to_portal_evaluation(_evaluation(*criteria), form)

    assert caught.value.field == field


def test_a_criterion_scored_twice_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        _evaluation(("1", 3), ("1", 2))

    assert caught.value.errors()[0]["loc"] == ("criteria",)
    assert "scored twice" in caught.value.errors()[0]["msg"]
