"""Questions citizens sent on the portal taken into the inbox once, answered in order through the
outbox whatever the portal's faults, the province's own questions published, and evaluations
checked by the gateway and by the portal mock."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from gateway.bootstrap import Gateway
from gateway.settings import Settings
from gateway.store.schema import outbox
from gateway.webhooks import new_secret
from tests.gateway.portal_mock import (
    admin_of,
    api_client,
    deliver_all,
    gateway_with_portal,
    held,
    portal_mock,
    states,
)
from tests.gateway.samples import dossier_json

QUESTIONS = [
    {"HOIDAPID": "HD-1", "NOIDUNG": "Khai sinh cần giấy tờ gì?", "HOVATEN": "Lê Thị Mai"},
    {"HOIDAPID": "HD-2", "NOIDUNG": "Lệ phí kết hôn là bao nhiêu?", "HOVATEN": "Phạm Văn Đức"},
]


def answer(text: str, **fields: Any) -> dict[str, Any]:
    return {"officer": "Trần Văn Nam", "position": "Công chức tư pháp", "text": text, **fields}


async def test_questions_are_pulled_once_and_each_new_one_is_told_once(
    settings: Settings,
) -> None:
    mock = portal_mock()
    told_to = settings.model_copy(
        update={
            "webhook_url": "http://one-stop.test/hooks",
            "webhook_secret": SecretStr(new_secret()),
        }
    )
    async with gateway_with_portal(told_to, mock) as app, admin_of(mock) as admin:
        gateway: Gateway = app.state.gateway
        poller = gateway.questions.poller
        await admin.post("/__admin/questions", json={"questions": QUESTIONS[:1]})

        first = await poller.poll_once()
        await admin.post("/__admin/questions", json={"questions": QUESTIONS[1:]})
        second = await poller.poll_once()
        third = await poller.poll_once()

        assert (first, second, third) == (1, 1, 0)
        async with api_client(app) as client:
            page = held(await client.get("/v1/inbox/questions"))
            one = held(await client.get("/v1/inbox/questions/HD-1"))
            missing = await client.get("/v1/inbox/questions/HD-9")
        assert [q["question"]["id"] for q in page["questions"]] == ["HD-1", "HD-2"]
        assert one["question"]["asker_name"] == "Lê Thị Mai" and one["answers"] == 0
        assert missing.status_code == 404
        told = await gateway.store.read(
            lambda c: (
                c.execute(select(outbox.c.payload).where(outbox.c.target == "webhooks"))
                .scalars()
                .all()
            )
        )
        messages = [json.loads(json.loads(payload)["body"]) for payload in told]
        assert [m["data"]["id"] for m in messages] == ["HD-1", "HD-2"]
        assert {m["type"] for m in messages} == {"question.received"}
        assert messages[0]["data"]["link"] == "/v1/inbox/questions/HD-1"
        assert "Lê Thị Mai" not in json.dumps(messages, ensure_ascii=False), "no personal data"


async def test_answers_reach_the_portal_in_the_order_accepted_despite_its_faults(
    settings: Settings,
) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, admin_of(mock) as admin:
        gateway: Gateway = app.state.gateway
        await admin.post("/__admin/questions", json={"questions": QUESTIONS})
        await gateway.questions.poller.poll_once()
        service = "DongBoKetQuaHoiDapGuiTuDVCQG"
        for fault in (
            {"service": service, "status": 503, "times": 2},
            {"service": service, "status": 502, "phase": "after", "times": 1},
        ):
            assert (await admin.post("/__admin/faults", json=fault)).status_code == 201
        texts = ["Bản trả lời thứ nhất.", "Bản bổ sung.", "Bản cuối cùng."]

        async with api_client(app) as client:
            for text in texts:
                queued = await client.post("/v1/inbox/questions/HD-1/answer", json=answer(text))
                assert queued.status_code == 202, queued.text
            other = await client.post(
                "/v1/inbox/questions/HD-2/answer",
                json=answer("Miễn lệ phí.", answered_on="2025-03-05"),
            )
            assert other.status_code == 202
            await deliver_all(gateway)
            waiting = held(await client.get("/v1/inbox/questions"))
            answered = held(await client.get("/v1/inbox/questions/HD-1"))

        assert await states(gateway) == {"delivered": 4}
        portal = {
            q["question"]["HOIDAPID"]: q
            for q in held(await admin.get("/__admin/questions"))["questions"]
        }
        sent = [a["NOIDUNGTRALOI"] for a in portal["HD-1"]["answers"]]
        assert _without_repeats(sent) == texts, "redelivery may repeat, never reorder"
        assert portal["HD-1"]["question"]["NOIDUNGTRALOI"] == "Bản cuối cùng."
        assert portal["HD-2"]["answers"][0]["NGAYTRALOI"] == "05/03/2025"
        faults = held(await admin.get("/__admin/faults"))["faults"]
        assert sum(f["fired"] for f in faults) == 3
        assert waiting["questions"] == [] and answered["answers"] == 3


def _without_repeats(items: list[str]) -> list[str]:
    return [item for i, item in enumerate(items) if i == 0 or items[i - 1] != item]


async def test_an_answer_to_an_unknown_question_or_without_text_is_refused(
    settings: Settings,
) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, api_client(app) as client:
        unknown = await client.post("/v1/inbox/questions/HD-9/answer", json=answer("Có."))
        empty = await client.post("/v1/inbox/questions/HD-9/answer", json=answer(""))
        bad_id = await client.post("/v1/inbox/questions/có dấu/answer", json=answer("Có."))

    assert unknown.status_code == 404
    assert empty.status_code == 422
    assert "text" in json.dumps(empty.json(), ensure_ascii=False)
    assert bad_id.status_code == 422


async def test_the_provinces_questions_are_published_and_replaced_by_id(
    settings: Settings,
) -> None:
    mock = portal_mock()
    published = {
        "id": "TH-HT-0001",
        "field_code": "LV001",
        "text": "Hỏi: Đăng ký khai sinh ở đâu? Đáp: Tại Ủy ban nhân dân cấp xã.",
        "unit_code": "000.00.00.H56",
        "unit_name": "Ủy ban nhân dân tỉnh Thanh Hóa",
    }
    async with gateway_with_portal(settings, mock) as app, admin_of(mock) as admin:
        async with api_client(app) as client:
            first = await client.post("/v1/questions", json=published)
            again = await client.post("/v1/questions", json={**published, "text": "Bản mới."})
        await deliver_all(app.state.gateway)
        kept = held(await admin.get("/__admin/questions"))["published"]

    assert (first.status_code, again.status_code) == (202, 202)
    assert first.json()["kind"] == "published_question"
    assert kept == [{"value": {**_portal(published), "NOIDUNG": "Bản mới."}, "writes": 2}]


def _portal(published: dict[str, str]) -> dict[str, str]:
    return {
        "HOIDAPID": published["id"],
        "MaLinhVuc": published["field_code"],
        "NOIDUNG": published["text"],
        "MADONVI": published["unit_code"],
        "TENDONVI": published["unit_name"],
    }


def evaluation(**fields: Any) -> dict[str, Any]:
    return {
        "dossier_code": dossier_json()["code"],
        "account": "tech-8f2c1d",
        "evaluated_at": "2026-11-05T10:00:00+07:00",
        "criteria": [{"code": "1", "score": 3}, {"code": "2", "score": 2}],
        "comment": "Cán bộ hướng dẫn tận tình.",
        **fields,
    }


async def test_an_evaluation_goes_after_its_dossier_and_the_mock_keeps_it(
    settings: Settings,
) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, admin_of(mock) as admin:
        async with api_client(app) as client:
            assert (await client.post("/v1/dossiers", json=dossier_json())).status_code == 202
            sent = await client.post("/v1/evaluations", json=evaluation())
            await deliver_all(app.state.gateway)
        kept = held(await admin.get("/__admin/evaluations"))["evaluations"]
        journal = held(await admin.get("/__admin/journal", params={"service": "DongBoDanhGia"}))

    assert sent.status_code == 202, sent.text
    assert [e["value"]["MaHoSo"] for e in kept] == [dossier_json()["code"]]
    assert kept[0]["value"]["DanhSachTieuChi"] == [
        {"MaTieuChi": "1", "DiemDanhGia": "3"},
        {"MaTieuChi": "2", "DiemDanhGia": "2"},
    ]
    assert kept[0]["value"]["ThoiDiemDanhGia"] == "20261105100000"
    assert [entry["reply"]["error_code"] for entry in journal["entries"]] == [0]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"criteria": [{"code": "9", "score": 3}]}, ["body", "criteria", 0, "code"]),
        ({"criteria": [{"code": "1", "score": 7}]}, ["body", "criteria", 0, "score"]),
        ({"criteria": []}, ["body", "criteria"]),
        ({"evaluated_at": 1700000000}, ["body", "evaluated_at"]),
    ],
)
async def test_an_evaluation_the_national_form_cannot_carry_is_refused_naming_the_field(
    settings: Settings, changes: dict[str, Any], field: list[str | int]
) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, api_client(app) as client:
        await client.post("/v1/dossiers", json=dossier_json())
        refused = await client.post("/v1/evaluations", json=evaluation(**changes))

    assert refused.status_code == 422, refused.text
    errors = refused.json().get("errors") or refused.json().get("detail")
    assert any(error["loc"][: len(field)] == field for error in errors), errors


async def test_an_evaluation_of_a_dossier_the_gateway_does_not_hold_is_404(
    settings: Settings,
) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, api_client(app) as client:
        reply = await client.post("/v1/evaluations", json=evaluation())

    assert reply.status_code == 404


async def test_a_score_the_portal_refuses_is_dead_with_the_mocks_reason(
    settings: Settings,
) -> None:
    """The gateway's form is configuration: set wider than the portal's, the mock's own
    validation of the contract refuses the score and says which field."""
    mock = portal_mock()
    wider = {"evaluation_scores": "1,2,3,4,5"}
    gateway = gateway_with_portal(settings, mock, national_portal=wider)
    async with gateway as app, api_client(app) as client:
        await client.post("/v1/dossiers", json=dossier_json())
        sent = await client.post(
            "/v1/evaluations", json=evaluation(criteria=[{"code": "1", "score": 5}])
        )
        await deliver_all(app.state.gateway)
        state = held(await client.get(f"/v1/dossiers/{dossier_json()['code']}"))

    assert sent.status_code == 202
    [portal] = state["sync"]
    assert portal["dead"] == 1
    assert "DanhSachTieuChi[0].DiemDanhGia" in portal["last_error"]


async def test_nothing_is_answered_while_the_portal_is_switched_off(settings: Settings) -> None:
    mock = portal_mock()
    off = {"enabled": False}
    gateway = gateway_with_portal(settings, mock, national_portal=off)
    async with gateway as app, api_client(app) as client:
        published = await client.post(
            "/v1/questions",
            json={
                "id": "TH-1",
                "field_code": "LV001",
                "text": "Hỏi và đáp.",
                "unit_code": "000.00.00.H56",
                "unit_name": "UBND tỉnh",
            },
        )

    assert published.status_code == 503
    assert "not in use" in published.text


async def test_polling_through_the_portals_outage_stores_each_question_once(
    settings: Settings,
) -> None:
    mock = portal_mock()
    async with gateway_with_portal(settings, mock) as app, admin_of(mock) as admin:
        gateway: Gateway = app.state.gateway
        poller = gateway.questions.poller
        await admin.post("/__admin/questions", json={"questions": QUESTIONS})
        service = "LayDanhSachHoiDapGuiTuDVCQG"
        fault = {"service": service, "status": 503, "times": 10}
        assert (await admin.post("/__admin/faults", json=fault)).status_code == 201

        await poller._tick()
        failing = poller.failing_since
        await admin.delete("/__admin/faults")
        await poller._tick()
        await poller._tick()

        async with api_client(app) as client:
            page = held(await client.get("/v1/inbox/questions"))

    assert failing is not None and poller.failing_since is None
    assert [q["question"]["id"] for q in page["questions"]] == ["HD-1", "HD-2"]
