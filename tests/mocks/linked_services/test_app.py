"""The inter-connected services mock over HTTP: what it holds, what it answers (within its
contract), how it judges acknowledgements and statuses, and its admin API."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from lxml import etree
from openapi_spec_validator import validate
from starlette.applications import Starlette

from mocks.linked_services import create_app
from mocks.population import population

CONTRACT = (
    Path(__file__).resolve().parents[3]
    / "openapi"
    / "national"
    / "linked_services"
    / "openapi.yaml"
)
DOCUMENT: dict[str, Any] = yaml.safe_load(CONTRACT.read_text(encoding="utf-8"))
TODAY = date(2026, 12, 7)
LIST = "/api/lienthongdvclt/hosolienthong"
ACK = "/api/lienthongdvclt/xacnhandanhan"
STATUS = "/api/lienthongdvclt/capnhattrangthai"


def assert_fits(schema: str, instance: object) -> None:
    root = {**DOCUMENT, "$ref": f"#/components/schemas/{schema}"}
    jsonschema.Draft202012Validator(root).validate(instance)


@pytest.fixture
def app() -> Starlette:
    return create_app(seed=4, today=TODAY)


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://linked.test") as client:
        signed = await client.post(
            "/api/taikhoan/dangnhap", json={"userName": "lienthong", "password": "lienthong-dev"}
        )
        assert_fits("TokenPair", signed.json())
        client.headers["Authorization"] = f"Bearer {signed.json()['token']}"
        yield client


def row(code: str, trang_thai: int, **more: Any) -> dict[str, Any]:
    return {
        "maTTHC": more.pop("maTTHC", "2.000986"),
        "coQuanXuLy": 5,
        "maHoSo": more.pop("maHoSo", "000.00.41.H56-261207-00001"),
        "soHoSoLT": code,
        "trangThai": trang_thai,
        "thoiGianThucHien": more.pop("thoiGianThucHien", f"07/12/2026 0{trang_thai}:00:00"),
        **more,
    }


async def births(http: httpx.AsyncClient) -> list[dict[str, Any]]:
    listed = (await http.get(LIST)).json()["data"]
    return [s for s in listed if s["module"] == "KS"]


def test_the_contract_is_valid_openapi() -> None:
    validate(DOCUMENT)


async def test_it_holds_twenty_submissions_for_the_province_s_units_within_its_contract(
    http: httpx.AsyncClient,
) -> None:
    reply = (await http.get(LIST)).json()
    assert_fits("ListReply", reply)
    listed = reply["data"]
    assert len(listed) == 20
    assert {s["module"] for s in listed} == {"KS", "KT"}
    units = {u["code"] for u in (await http.get("/__admin/units")).json()["units"]}
    assert {s["maDonVi"] for s in listed} <= units
    assert all(re.fullmatch(r"LTK[ST]-\d{6}-\d{6}", s["maHoSo"]) for s in listed)


async def test_a_detail_holds_a_form_of_people_the_population_knows(
    http: httpx.AsyncClient,
) -> None:
    people = population(4)
    for listed in (await http.get(LIST)).json()["data"]:
        reply = (await http.get(f"{LIST}/{listed['id']}")).json()
        assert_fits("DetailReply", reply)
        detail = reply["data"]
        root = etree.fromstring(detail["data"].encode())
        fields = {e.tag: e.text for e in root.find("hoTich")}
        ids = [v for k, v in fields.items() if k.endswith("SoDinhDanh")]
        assert ids and all(re.fullmatch(r"\d{12}", i) for i in ids)
        for number in ids:
            person = people.by_id(number)
            assert person is not None
            assert person.full_name in fields.values()
        assert detail["fileDinhKem"], "every submission has its papers"


async def test_an_unknown_id_answers_404(http: httpx.AsyncClient) -> None:
    reply = await http.get(f"{LIST}/nope")
    assert reply.status_code == 404
    assert_fits("Missing", reply.json())


async def test_every_call_needs_a_token(app: Starlette) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://linked.test") as anon:
        reply = await anon.get(LIST)
        assert reply.status_code == 401
        assert "Bearer" in reply.headers["WWW-Authenticate"]
        wrong = await anon.post(
            "/api/taikhoan/dangnhap", json={"userName": "lienthong", "password": "x"}
        )
        assert wrong.status_code == 401


async def test_a_refresh_token_buys_a_new_pair_once(app: Starlette) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://linked.test") as client:
        pair = (
            await client.post(
                "/api/taikhoan/dangnhap",
                json={"userName": "lienthong", "password": "lienthong-dev"},
            )
        ).json()
        body = {"token": pair["token"], "refreshToken": pair["refreshToken"]}
        renewed = await client.post("/api/taikhoan/lammoitoken", json=body)
        assert renewed.status_code == 200
        assert_fits("TokenPair", renewed.json())
        again = await client.post("/api/taikhoan/lammoitoken", json=body)
        assert again.status_code == 401


async def test_an_acknowledged_submission_leaves_the_list_and_is_recorded(
    http: httpx.AsyncClient,
) -> None:
    code = (await births(http))[0]["maHoSo"]
    reply = await http.put(ACK, json={"maHoSo": code, "daNhan": True})
    assert reply.headers["content-type"].startswith("text/plain")
    assert "cập nhật thành công" in reply.text
    await http.put(ACK, json={"maHoSo": code, "daNhan": True})
    assert code not in {s["maHoSo"] for s in (await http.get(LIST)).json()["data"]}
    acks = (await http.get("/__admin/acknowledgements")).json()["acknowledgements"]
    assert [(a["maHoSo"], a["first"]) for a in acks] == [(code, True), (code, False)]
    refused = await http.put(ACK, json={"maHoSo": code})
    assert refused.text.startswith("Logic xử lý không hợp lệ")


@pytest.mark.parametrize(
    ("before", "sent", "said"),
    [
        ([], row("X", 1), "không tồn tại"),
        ([], row("{code}", 1), "chưa xác nhận đã nhận"),
        (["ack"], row("{code}", 3), "chưa cập nhật trạng thái tiếp nhận"),
        (["ack"], row("{code}", 2), "hanBoSungHoSo"),
        (["ack", 1], row("{code}", 4), "ketQuaXuLy"),
        (["ack", 1], row("{code}", 1), "đã tồn tại"),
        (["ack", 1], row("{code}", 3, maHoSo="other"), "khác mã"),
        (["ack"], row("{code}", 1, maTTHC="1.000656"), "maTTHC"),
        (["ack", 1, 6], row("{code}", 3), "đã bị từ chối"),
        (["ack", 1, 5], row("{code}", 3), "đã có kết quả"),
        (["ack"], row("{code}", 9), "Logic xử lý không hợp lệ"),
        (["ack"], row("{code}", 1), "thành công"),
    ],
)
async def test_statuses_are_answered_in_the_system_s_words(
    http: httpx.AsyncClient, before: list[Any], sent: dict[str, Any], said: str
) -> None:
    code = (await births(http))[0]["maHoSo"]
    for step in before:
        if step == "ack":
            await http.put(ACK, json={"maHoSo": code, "daNhan": True})
        else:
            await http.post(STATUS, json=row(code, step))
    body = {k: (v.format(code=code) if isinstance(v, str) else v) for k, v in sent.items()}
    reply = await http.post(STATUS, json=body)
    assert reply.status_code == 200
    assert said in reply.text


async def test_a_resubmission_needs_a_supplement_request_and_lists_the_submission_again(
    http: httpx.AsyncClient,
) -> None:
    code = (await births(http))[0]["maHoSo"]
    refused = await http.post(f"/__admin/submissions/{code}/resubmit")
    assert refused.status_code == 409
    await http.put(ACK, json={"maHoSo": code, "daNhan": True})
    await http.post(STATUS, json=row(code, 1))
    deadline = {"hanBoSungHoSo": "20/12/2026 17:00:00"}
    assert "thành công" in (await http.post(STATUS, json=row(code, 2, **deadline))).text
    again = (await http.post(f"/__admin/submissions/{code}/resubmit")).json()
    assert (again["version"], again["acknowledged"]) == (2, False)
    listed = {s["maHoSo"]: s for s in (await http.get(LIST)).json()["data"]}
    detail = (await http.get(f"{LIST}/{listed[code]['id']}")).json()["data"]
    assert detail["fileDinhKem"][-1]["tenGiayTo"] == "Giấy tờ bổ sung"


async def test_a_story_lists_a_submission_again_after_a_supplement_request(
    http: httpx.AsyncClient,
) -> None:
    story = {
        "name": "supplemented",
        "entity": "submission",
        "states": {
            "asked": [{"on": "status", "where": {"trangThai": 2}, "then": "waiting"}],
            "waiting": [{"on": "list", "each": True, "answer": "resubmit", "then": "done"}],
            "done": [],
        },
    }
    assert (await http.post("/__admin/stories", json=story)).status_code == 201
    code = (await births(http))[0]["maHoSo"]
    await http.put(ACK, json={"maHoSo": code, "daNhan": True})
    await http.post(STATUS, json=row(code, 1))
    assert code not in {s["maHoSo"] for s in (await http.get(LIST)).json()["data"]}
    deadline = {"hanBoSungHoSo": "20/12/2026 17:00:00"}
    await http.post(STATUS, json=row(code, 2, **deadline))
    assert code in {s["maHoSo"] for s in (await http.get(LIST)).json()["data"]}
    held = (await http.get(f"/__admin/submissions/{code}")).json()
    assert held["version"] == 2
    stories = (await http.get("/__admin/stories")).json()["stories"]
    assert stories[0]["entities"][code] == "done"


async def test_failures_in_words_and_in_status_fail_the_next_calls(
    http: httpx.AsyncClient,
) -> None:
    await http.post("/__admin/failures", json={"service": "list", "times": 1})
    failed = await http.get(LIST)
    assert (failed.status_code, failed.text) == (500, "server error")
    assert (await http.get(LIST)).status_code == 200
    code = (await births(http))[0]["maHoSo"]
    await http.post("/__admin/failures", json={"service": "acknowledge"})
    reply = await http.put(ACK, json={"maHoSo": code, "daNhan": True})
    assert reply.text == "Có lỗi trong quá trình thêm mới"
    bad = await http.post("/__admin/failures", json={"service": "nope"})
    assert bad.status_code == 400


async def test_new_submissions_are_made_up_on_demand_with_the_fields_given(
    http: httpx.AsyncClient,
) -> None:
    added = await http.post(
        "/__admin/submissions", json={"module": "KT", "count": 2, "maDonVi": "99999"}
    )
    assert added.status_code == 201
    made = added.json()["submissions"]
    assert [(s["module"], s["maDonVi"]) for s in made] == [("KT", "99999")] * 2
    assert len((await http.get(LIST)).json()["data"]) == 22


async def test_the_scenario_round_trips_and_a_reset_brings_the_seed_back(
    http: httpx.AsyncClient,
) -> None:
    code = (await births(http))[0]["maHoSo"]
    await http.put(ACK, json={"maHoSo": code, "daNhan": True})
    snapshot = (await http.get("/__admin/scenario")).json()
    assert (await http.put("/__admin/scenario", json=snapshot)).status_code == 200
    assert (await http.get("/__admin/scenario")).json() == snapshot
    await http.post("/__admin/reset")
    state = (await http.get("/__admin/state")).json()
    assert (state["submissions"], state["waiting"], state["acknowledgements"]) == (20, 20, 0)
