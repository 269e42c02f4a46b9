"""Stories: what happens to one dossier, session, token or submission, scripted per entity."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from mocks import stories
from mocks.admin import Admin, Reply, ScenarioError
from mocks.business_registry import create_app as business_registry
from mocks.national_portal import create_app as national_portal
from mocks.scenario_files import parse_scenario
from tests.mocks.samples import CLIENT, FakeClock, Portal, client_of, dossier, step

CODE = "000.00.01.H56-250301-00012"


def _story(portal_app: Starlette, spec: dict[str, Any]) -> None:
    portal_app.state.admin.stories.add(spec)


async def test_the_first_create_answers_exists_and_the_second_succeeds() -> None:
    app = national_portal()
    _story(
        app,
        {
            "name": "đã tồn tại",
            "entity": "dossier",
            "only": [CODE],
            "steps": [{"on": "DongBoHoSoMC", "answer": "exists"}],
        },
    )
    async with client_of(app) as http:
        portal = Portal(http)
        await portal.login()
        first = await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])
        second = await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])
        other = await portal.call(
            "DongBoHoSoMC", isUpdating="False", data=[dossier("000.00.01.H56-250301-00013")]
        )
        journal = (await portal.admin("journal?service=DongBoHoSoMC"))["entries"]
        held = await http.get(f"/__admin/dossiers/{CODE}")

    assert first["error_code"] == "02"
    assert first["result"][0]["message"] == f"Hồ sơ {CODE} đã tồn tại"
    assert second["error_code"] == 0
    assert other["error_code"] == 0
    assert journal[0]["story"] == [
        {"story": "đã tồn tại", "entity": CODE, "state": "1", "rule": 0, "then": "done"}
    ]
    assert "story" not in journal[1]
    assert held.json()["writes"] == 1


async def test_a_refused_item_leaves_the_others_of_the_batch_applied() -> None:
    app = national_portal()
    _story(
        app,
        {
            "name": "bị từ chối",
            "entity": "dossier",
            "only": [CODE],
            "states": {
                "any": [
                    {
                        "on": "DongBoHoSoMC",
                        "answer": "refuse",
                        "params": {"message": "sai mã"},
                        "times": "always",
                    }
                ]
            },
        },
    )
    async with client_of(app) as http:
        portal = Portal(http)
        await portal.login()
        batch = [dossier(CODE), dossier("000.00.01.H56-250301-00013")]
        reply = await portal.call("DongBoHoSoMC", isUpdating="False", data=batch)
        again = await portal.call("DongBoHoSoMC", isUpdating="True", data=[dossier(CODE)])

    assert reply["error_code"] == "04"
    assert [i["error_code"] for i in reply["result"]] == ["01", 0]
    assert reply["result"][0]["message"] == "sai mã"
    assert again["error_code"] == "04"


async def test_each_token_expires_after_three_calls() -> None:
    app = business_registry()
    app.state.admin.stories.add(
        {
            "name": "token ngắn",
            "entity": "token",
            "states": {
                "fresh": [{"times": 3, "then": "worn"}],
                "worn": [{"answer": "expired", "times": "always"}],
            },
        }
    )
    async with client_of(app, "http://registry.test") as http:
        granted = await http.post("/token", data={"grant_type": "client_credentials"}, auth=CLIENT)
        bearer = {"Authorization": f"Bearer {granted.json()['access_token']}"}
        answers = [
            await http.get(
                "/TraCuuThongTinDoanhNghiep",
                params={"MaSoDoanhNghiep": "0100109106"},
                headers=bearer,
            )
            for _ in range(5)
        ]
        fresh = await http.post("/token", data={"grant_type": "client_credentials"}, auth=CLIENT)
        renewed = await http.get(
            "/TraCuuThongTinDoanhNghiep",
            params={"MaSoDoanhNghiep": "0100109106"},
            headers={"Authorization": f"Bearer {fresh.json()['access_token']}"},
        )

    assert [a.status_code for a in answers][:3] != [401, 401, 401]
    assert [a.status_code for a in answers][3:] == [401, 401]
    assert "expired" in answers[3].headers["www-authenticate"]
    assert renewed.status_code != 401


async def test_an_outage_from_the_fifth_second_for_ten_seconds() -> None:
    clock = FakeClock()
    app = national_portal(clock=clock, session_idle_seconds=3600)
    scenario = parse_scenario(
        """
        mocks:
          national_portal:
            faults:
              - {service: TraCuuHoSo, outage: {after_s: 5, for_s: 10}}
        """
    )
    app.state.admin.load(scenario.sections["national_portal"])
    async with client_of(app) as http:
        portal = Portal(http)
        await portal.login()

        async def status() -> int:
            body = {"session": portal.session, "madonvi": "000.00.00.H56"}
            body.update(service="TraCuuHoSo", MaHoSo=CODE)
            reply = await http.post("/api", json=body, headers={"dstcode": "000.00.00.H56"})
            return reply.status_code

        seen = []
        for second in (0, 4, 5, 9, 14, 15, 20):
            clock.now = 1000.0 + second
            seen.append((second, await status()))

    assert seen == [(0, 200), (4, 200), (5, 503), (9, 503), (14, 503), (15, 200), (20, 200)]


def _linked_services() -> Starlette:
    """A stand-in for a future inter-connected services mock: submissions that a province
    lists, asks a supplement for, and sees again once supplemented."""

    admin = Admin(
        _Nothing(),
        services=("LayDanhSachHoSo", "YeuCauBoSung"),
        entities={"submission": _submission},
        answers={
            "listed": stories.AnswerKind(
                "the submission is in the list again", services=("LayDanhSachHoSo",)
            )
        },
    )

    async def listing(request: Request) -> Response:
        async def handle() -> Reply:
            again = sorted(stories.answers_of("submission"))
            return Reply({"HoSo": again})

        return await admin.serve(request, "LayDanhSachHoSo", None, handle)

    async def supplement(request: Request) -> Response:
        body = await request.json()

        async def handle() -> Reply:
            return Reply({"accepted": body["MaHoSo"]})

        return await admin.serve(request, "YeuCauBoSung", body, handle)

    return Starlette(
        routes=[
            Route("/HoSo", listing, methods=["GET"]),
            Route("/BoSung", supplement, methods=["POST"]),
            *admin.routes(),
        ]
    )


class _Nothing:
    def state(self) -> dict[str, Any]:
        return {}

    def reset(self) -> None:
        pass


def _submission(call: stories.Call) -> list[str]:
    code = call.readable.get("MaHoSo") if isinstance(call.readable, dict) else None
    return [code] if isinstance(code, str) else []


async def test_a_future_mock_lists_a_submission_again_after_a_supplement_request() -> None:
    app = _linked_services()
    story = {
        "name": "bổ sung",
        "entity": "submission",
        "states": {
            "waiting": [{"on": "YeuCauBoSung", "then": "supplemented"}],
            "supplemented": [
                {"on": "LayDanhSachHoSo", "each": True, "answer": "listed", "then": "waiting"}
            ],
        },
    }
    async with client_of(app, "http://linked.test") as http:
        added = await http.post("/__admin/stories", json=story)
        before = (await http.get("/HoSo")).json()
        await http.post("/BoSung", json={"MaHoSo": "HS-1"})
        again = (await http.get("/HoSo")).json()
        after = (await http.get("/HoSo")).json()
        listed = (await http.get("/__admin/stories")).json()["stories"]

    assert added.status_code == 201
    assert before == {"HoSo": []}
    assert again == {"HoSo": ["HS-1"]}
    assert after == {"HoSo": []}
    assert listed[0]["entities"] == {"HS-1": "waiting"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"name": "x", "entity": "dossier", "steps": [{"answer": "exist"}]},
            "steps[0].answer: 'exist' is not an answer of this mock; it offers exists, expired, "
            "not_found, refuse",
        ),
        (
            {"name": "x", "entity": "dossier", "steps": [{"on": "TraCuuHoSo", "answer": "exists"}]},
            "steps[0].on: the answer exists applies to DongBoHoSoMC, not TraCuuHoSo",
        ),
        (
            {"name": "x", "entity": "dossier", "states": {"a": [{"then": "b"}]}},
            "states.a[0].then: 'b' is not one of the states (a)",
        ),
        (
            {"name": "x", "entity": "citizen", "steps": [{}]},
            "entity: 'citizen' is not a kind this mock can tell; it offers dossier, procedure, "
            "session, token",
        ),
        (
            {"name": "x", "entity": "dossier", "steps": [{"on": "DongBoHoSo"}]},
            "steps[0].on: 'DongBoHoSo' is not a service of this mock; it offers login, token, "
            "DongBoHoSoMC, CapNhatTienDoHoSoMC, TraCuuHoSo, LayDanhSachTTHC, LayThuTuc, "
            "LayDanhMucLinhVuc, LayDanhMucTonGiao, LayDanhMucTinhTrangHonNhan, LayDanhMucDoiTuong, "
            "LayDanhMucCapThucHien, LayDanhMucCanCuPhapLy, LayDanhSachHoiDapGuiTuDVCQG, "
            "DongBoKetQuaHoiDapGuiTuDVCQG, DongBoHoiDap, DongBoDanhGia",
        ),
        (
            {"name": "x", "entity": "dossier", "steps": [{"fault": {"status": 42}}]},
            "steps[0].fault.status: 42 is less than the minimum of 400",
        ),
    ],
)
async def test_a_story_that_cannot_be_used_is_refused_naming_the_field(
    spec: dict[str, Any], message: str
) -> None:
    async with client_of(national_portal()) as http:
        refused = await http.post("/__admin/stories", json=spec)

    assert refused.status_code == 400
    assert refused.json() == {"error": message}


async def test_a_story_step_can_answer_a_literal_reply_or_a_fault() -> None:
    app = national_portal()
    _story(
        app,
        {
            "name": "tra cứu",
            "entity": "dossier",
            "steps": [
                {"on": "TraCuuHoSo", "reply": {"status": 502, "text": "Bad Gateway"}},
                {"on": "TraCuuHoSo", "fault": {"status": 503, "retry_after": 7}},
                {"on": "TraCuuHoSo", "answer": "not_found"},
            ],
        },
    )
    async with client_of(app) as http:
        portal = Portal(http)
        await portal.login()
        await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(CODE)])
        await portal.call("CapNhatTienDoHoSoMC", data=[step(CODE)])
        body = {"session": portal.session, "madonvi": "000.00.00.H56", "service": "TraCuuHoSo"}
        replies = [
            await http.post("/api", json={**body, "MaHoSo": CODE}, headers={"dstcode": "x"})
            for _ in range(4)
        ]

    assert (replies[0].status_code, replies[0].text) == (502, "Bad Gateway")
    assert (replies[1].status_code, replies[1].headers["retry-after"]) == (503, "7")
    assert replies[2].json()["error_code"] == "03"
    assert replies[3].json()["error_code"] == 0


async def test_a_reset_rewinds_to_the_scenario_the_mock_was_started_with() -> None:
    from mocks.app import admins, create_mocks_app

    scenario = parse_scenario(
        "mocks: {national-portal: {faults: [{service: LayDanhMucLinhVuc, status: 500}]}}"
    )
    app = create_mocks_app(scenario=scenario)
    portal = admins(app)["national_portal"]
    portal.faults.clear()
    portal.reset()

    assert len(portal.faults) == 1
    with pytest.raises(ScenarioError, match=r"^faults\[0\]\.rate: 2 is greater"):
        portal.load({"faults": [{"rate": 2, "status": 500}]})


async def test_about_lists_what_a_tester_can_script() -> None:
    async with client_of(national_portal()) as http:
        about = (await http.get("/__admin/about")).json()

    assert about["entities"] == ["dossier", "procedure", "session", "token"]
    assert sorted(about["answers"]) == ["exists", "expired", "not_found", "refuse"]
    assert "DongBoHoSoMC" in about["services"]


async def test_a_story_about_another_dossier_leaves_the_real_refusal() -> None:
    app = national_portal()
    _story(app, {"name": "x", "entity": "dossier", "only": ["H-OTHER"], "steps": [{}]})
    async with client_of(app) as http:
        portal = Portal(http)
        await portal.login()
        reply = await portal.call("CapNhatTienDoHoSoMC", data=[step(CODE)])

    assert reply["error_code"] == "04"
