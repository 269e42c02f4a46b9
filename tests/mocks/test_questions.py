"""The portal mock's questions, answers, published questions and evaluations (§1c): each checked
against the contract, refused naming the field, kept for a test to read back."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mocks.samples import UNIT, Portal, dossier
from tests.mocks.test_contract import reply_validator

QUESTION = {
    "HOIDAPID": "HD-2025-000123",
    "MALINHVUC": "LV001",
    "MATTHCDP": "1.001193.000.00.00.H56",
    "NOIDUNG": "Tôi cần mang giấy tờ gì khi đăng ký khai sinh cho con?",
    "HOVATEN": "Lê Thị Mai",
    "THUDIENTU": "mai@example.test",
}


def answer(question_id: str = "HD-2025-000123", **fields: Any) -> dict[str, Any]:
    return {
        "HOIDAPID": question_id,
        "MADONVI": UNIT,
        "NGUOITRALOI": "Trần Văn Nam",
        "CHUCVUNGUOITRALOI": "Công chức tư pháp - hộ tịch",
        "NGAYTRALOI": "05/03/2025",
        "NOIDUNGTRALOI": "Mang theo giấy chứng sinh và căn cước của cha hoặc mẹ.",
        **fields,
    }


def evaluation(code: str = "000.00.01.H56-250301-00012", **fields: Any) -> dict[str, Any]:
    return {
        "MaHoSo": code,
        "TaiKhoanDanhGia": "tech-8f2c",
        "ThoiDiemDanhGia": "20250306100000",
        "DanhSachTieuChi": [
            {"MaTieuChi": "1", "DiemDanhGia": "3"},
            {"MaTieuChi": "2", "DiemDanhGia": "2"},
        ],
        **fields,
    }


async def ask(portal: Portal, *questions: dict[str, Any]) -> None:
    reply = await portal.http.post("/__admin/questions", json={"questions": list(questions)})
    assert reply.status_code == 201, reply.text


async def test_questions_put_in_place_are_listed_waiting_then_answered(portal: Portal) -> None:
    await ask(portal, QUESTION, {**QUESTION, "HOIDAPID": "HD-2025-000124"})

    waiting = await portal.call("LayDanhSachHoiDapGuiTuDVCQG", TRANGTHAI="0")
    assert [q["HOIDAPID"] for q in waiting["result"]] == ["HD-2025-000123", "HD-2025-000124"]
    assert waiting["result"][0]["TRANGTHAI"] == "0"
    assert waiting["result"][0]["MADONVI"] == UNIT

    sent = await portal.call("DongBoKetQuaHoiDapGuiTuDVCQG", data=[answer()])
    assert sent["error_code"] == 0
    assert sent["result"] == [
        {"HOIDAPID": "HD-2025-000123", "error_code": 0, "message": "Trả lời câu hỏi thành công"}
    ]
    still = await portal.call("LayDanhSachHoiDapGuiTuDVCQG", TRANGTHAI="0")
    assert [q["HOIDAPID"] for q in still["result"]] == ["HD-2025-000124"]
    [answered] = (await portal.call("LayDanhSachHoiDapGuiTuDVCQG", TRANGTHAI="1"))["result"]
    assert answered["TRANGTHAI"] == "1"
    assert answered["NOIDUNGTRALOI"] == answer()["NOIDUNGTRALOI"]
    assert answered["TRALOIID"]


async def test_every_answer_is_kept_in_arrival_order_and_the_last_one_counts(
    portal: Portal,
) -> None:
    await ask(portal, QUESTION)
    first, second = answer(NOIDUNGTRALOI="Bản đầu."), answer(NOIDUNGTRALOI="Bản sửa.")

    await portal.call("DongBoKetQuaHoiDapGuiTuDVCQG", data=[first, second])

    [held] = (await portal.admin("questions"))["questions"]
    assert held["answers"] == [first, second]
    assert held["question"]["NOIDUNGTRALOI"] == "Bản sửa."


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (answer("HD-KHONG-CO"), "data[0].HOIDAPID: không tìm thấy câu hỏi HD-KHONG-CO gửi từ Cổng"),
        (answer(NGAYTRALOI="2025-03-05"), "data[0].NGAYTRALOI: must match"),
        (answer(NOIDUNGTRALOI=""), "data[0].NOIDUNGTRALOI: may not be empty"),
        (
            answer(MADONVI="000.00.01.H56"),
            "data[0].MADONVI: câu hỏi HD-2025-000123 gửi đơn vị 000.00.00.H56",
        ),
    ],
)
async def test_an_answer_that_cannot_be_kept_is_refused_naming_the_field(
    portal: Portal, item: dict[str, Any], message: str
) -> None:
    await ask(portal, QUESTION)

    reply = await portal.call("DongBoKetQuaHoiDapGuiTuDVCQG", data=[item, answer()])

    assert reply["error_code"] == "04"
    refused, kept = reply["result"]
    assert refused["error_code"] == "01" and refused["message"].startswith(message)
    assert kept["error_code"] == 0


async def test_a_question_put_in_place_that_breaks_the_contract_is_refused(
    portal: Portal,
) -> None:
    reply = await portal.http.post(
        "/__admin/questions", json={"questions": [{**QUESTION, "HOIDAPID": "có dấu"}]}
    )

    assert reply.status_code == 400
    assert reply.json()["error"].startswith("questions[0].HOIDAPID: must match")


async def test_published_questions_are_upserted_under_a_known_field(portal: Portal) -> None:
    qa = {
        "HOIDAPID": "TH-001",
        "MaLinhVuc": "LV001",
        "NOIDUNG": "Hỏi: Đăng ký khai sinh ở đâu? Đáp: Tại UBND cấp xã nơi cư trú.",
        "MADONVI": UNIT,
        "TENDONVI": "Ủy ban nhân dân tỉnh Thanh Hóa",
    }

    created = await portal.call("DongBoHoiDap", data=[qa])
    updated = await portal.call("DongBoHoiDap", data=[{**qa, "NOIDUNG": "Bản mới."}])
    unknown = await portal.call("DongBoHoiDap", data=[{**qa, "MaLinhVuc": "LV999"}])

    assert created["result"][0]["message"] == "Thêm mới hỏi đáp thành công"
    assert updated["result"][0]["message"] == "Cập nhật hỏi đáp thành công"
    assert unknown["result"][0]["message"].startswith("data[0].MaLinhVuc: lĩnh vực LV999")
    [held] = (await portal.admin("questions"))["published"]
    assert held == {"value": {**qa, "NOIDUNG": "Bản mới."}, "writes": 2}


async def test_an_evaluation_of_a_held_dossier_is_kept(portal: Portal) -> None:
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier()])

    reply = await portal.call("DongBoDanhGia", data=[evaluation()])

    assert reply["error_code"] == 0
    assert (await portal.admin("evaluations"))["evaluations"] == [
        {"value": evaluation(), "writes": 1}
    ]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            evaluation("000.00.01.H56-250301-99999"),
            "data[0].MaHoSo: không tìm thấy hồ sơ 000.00.01.H56-250301-99999",
        ),
        (
            evaluation(DanhSachTieuChi=[{"MaTieuChi": "1", "DiemDanhGia": "5"}]),
            'data[0].DanhSachTieuChi[0].DiemDanhGia: must be one of "1", "2", "3"',
        ),
        (
            evaluation(
                DanhSachTieuChi=[
                    {"MaTieuChi": "1", "DiemDanhGia": "3"},
                    {"MaTieuChi": "1", "DiemDanhGia": "2"},
                ]
            ),
            "data[0].DanhSachTieuChi[1].MaTieuChi: tiêu chí 1 đã được đánh giá",
        ),
        (evaluation(ThoiDiemDanhGia=""), "data[0].ThoiDiemDanhGia: must match"),
        (evaluation(DanhSachTieuChi=[]), "data[0].DanhSachTieuChi: must have at least 1 item"),
    ],
)
async def test_an_evaluation_the_portal_cannot_keep_is_refused_naming_the_field(
    portal: Portal, item: dict[str, Any], message: str
) -> None:
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier()])

    reply = await portal.call("DongBoDanhGia", data=[item])

    assert reply["error_code"] == "04"
    assert reply["result"][0]["error_code"] == "01"
    assert reply["result"][0]["message"].startswith(message), reply["result"][0]["message"]
    assert (await portal.admin("evaluations"))["evaluations"] == []


async def test_replies_of_the_question_services_fit_the_contract(portal: Portal) -> None:
    await ask(portal, QUESTION)
    await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier()])
    push = reply_validator("pushReply")
    listed = reply_validator("questionReply")

    assert listed.is_valid(await portal.call("LayDanhSachHoiDapGuiTuDVCQG"))
    assert push.is_valid(
        await portal.call("DongBoKetQuaHoiDapGuiTuDVCQG", data=[answer(), answer("HD-X")])
    )
    assert listed.is_valid(await portal.call("LayDanhSachHoiDapGuiTuDVCQG"))
    assert push.is_valid(await portal.call("DongBoDanhGia", data=[evaluation()]))
