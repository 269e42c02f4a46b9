"""Pushes and lookups: per-item outcomes in input order, creates resent as updates, chunks."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

import httpx
import pytest
import respx

from adapters import HttpNationalPortal, PermanentError
from mappings.national_portal.wire import PortalDossier, PortalProgress

TOO_LONG = "TrichYeuHoSo: dài quá 1000 ký tự"


def _code(n: int) -> str:
    return f"000.00.01.H56-250301-{n:05d}"


def _dossier(n: int) -> PortalDossier:
    return PortalDossier(
        MaHoSo=_code(n),
        MaTTHC="1.001193",
        TenTTHC="Đăng ký khai sinh",
        ChuHoSo="Nguyễn Văn An",
        TrangThaiHoSo="2",
        NgayTiepNhan="20250301083000",
    )


def _step(n: int) -> PortalProgress:
    return PortalProgress(MaHoSo=_code(n), NguoiXuLy="Trần Thị Bình", TrangThai="4")


def _body(request: httpx.Request) -> dict[str, Any]:
    assert request.headers["Content-Type"] == "application/json"
    body = json.loads(request.content)
    assert isinstance(body, dict)
    return body


def _per_item(
    said: Mapping[str, tuple[str | int, str]],
) -> Callable[[httpx.Request], httpx.Response]:
    """A portal answering each item by MaHoSo; unknown items succeed."""

    def answer(request: httpx.Request) -> httpx.Response:
        items = []
        for item in _body(request)["data"]:
            code, message = said.get(item["MaHoSo"], (0, "Đồng bộ thành công"))
            items.append({"MaHoSo": item["MaHoSo"], "error_code": code, "message": message})
        failed = {i["error_code"] for i in items if i["error_code"] != 0}
        top = 0 if not failed else "02" if failed == {"02"} else "04"
        return httpx.Response(200, json={"error_code": top, "message": "", "result": items})

    return answer


@pytest.fixture(autouse=True)
def logged_in(portal: respx.MockRouter) -> None:
    portal.post("/login").mock(
        return_value=httpx.Response(200, json={"session": "s", "error_code": 0})
    )


async def test_resends_existing_dossiers_together_as_one_update_and_keeps_input_order(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    exists = {_code(2): ("02", "Hồ sơ đã tồn tại"), _code(3): ("02", "Hồ sơ đã tồn tại")}
    calls: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        body = _body(request)
        calls.append(body)
        said = exists if body["isUpdating"] == "False" else {}
        return _per_item(said)(request)

    portal.post("/api").mock(side_effect=answer)

    outcomes = await make_adapter().push_dossiers([_dossier(1), _dossier(2), _dossier(3)])

    assert [(o.code, o.accepted) for o in outcomes] == [
        (_code(1), True),
        (_code(2), True),
        (_code(3), True),
    ]
    assert [(c["service"], c["isUpdating"], [d["MaHoSo"] for d in c["data"]]) for c in calls] == [
        ("DongBoHoSoMC", "False", [_code(1), _code(2), _code(3)]),
        ("DongBoHoSoMC", "True", [_code(2), _code(3)]),
    ]
    assert calls[1]["data"][0] == _dossier(2).model_dump(mode="json")


async def test_a_refused_item_is_a_permanent_error_naming_the_portals_message(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    api = portal.post("/api").mock(
        side_effect=lambda request: _per_item(
            {_code(1): ("01", TOO_LONG), _code(2): ("02", "Hồ sơ đã tồn tại")}
            if _body(request)["isUpdating"] == "False"
            else {}
        )(request)
    )

    outcomes = await make_adapter().push_dossiers([_dossier(1), _dossier(2), _dossier(3)])

    assert [o.code for o in outcomes] == [_code(1), _code(2), _code(3)]
    assert [o.accepted for o in outcomes] == [False, True, True]
    refusal = outcomes[0].error
    assert isinstance(refusal, PermanentError)
    assert TOO_LONG in refusal.reason
    assert _code(1) in refusal.reason
    assert api.call_count == 2


async def test_sends_in_chunks_of_the_batch_size_and_returns_every_outcome_in_order(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    api = portal.post("/api").mock(side_effect=_per_item({_code(4): ("01", TOO_LONG)}))

    outcomes = await make_adapter(batch_size=2).push_dossiers([_dossier(n) for n in range(1, 6)])

    assert [len(_body(call.request)["data"]) for call in api.calls] == [2, 2, 1]
    assert _body(api.calls[0].request)["data"][0] == _dossier(1).model_dump(mode="json")
    assert [o.code for o in outcomes] == [_code(n) for n in range(1, 6)]
    assert [o.accepted for o in outcomes] == [True, True, True, False, True]


async def test_pushes_progress_in_chunks_with_outcomes_per_step(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    unknown = "MaHoSo: không tồn tại hồ sơ"
    api = portal.post("/api").mock(side_effect=_per_item({_code(2): ("01", unknown)}))

    outcomes = await make_adapter(batch_size=2).push_progress([_step(1), _step(2), _step(3)])

    assert [o.accepted for o in outcomes] == [True, False, True]
    assert outcomes[1].error is not None
    assert unknown in outcomes[1].error.reason
    bodies = [_body(call.request) for call in api.calls]
    assert [b["service"] for b in bodies] == ["CapNhatTienDoHoSoMC"] * 2
    assert "isUpdating" not in bodies[0]
    assert bodies[0]["data"][0] == _step(1).model_dump(mode="json")


async def test_pushing_nothing_sends_nothing(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    api = portal.post("/api")
    adapter = make_adapter()

    assert await adapter.push_dossiers([]) == []
    assert await adapter.push_progress([]) == []
    assert api.call_count == 0


async def test_finds_a_dossier_or_answers_none(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if _body(request)["MaHoSo"] == _code(1):
            found = _dossier(1).model_dump(mode="json")
            return httpx.Response(200, json={"error_code": 0, "result": [found]})
        return httpx.Response(200, json={"error_code": "03", "message": "Không tìm thấy"})

    portal.post("/api").mock(side_effect=answer)
    adapter = make_adapter()

    assert await adapter.find_dossier(_code(1)) == _dossier(1)
    assert await adapter.find_dossier(_code(9)) is None


async def test_gets_a_procedure_or_answers_none(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        if _body(request)["MaTTHC"] == "1.001193":
            procedure = {"MaTTHC": "1.001193", "TenTTHC": "Đăng ký khai sinh", "CapThucHien": "3"}
            return httpx.Response(200, json={"error_code": "00", "result": [procedure]})
        return httpx.Response(200, json={"error_code": "03", "message": "Không tìm thấy"})

    portal.post("/api").mock(side_effect=answer)
    adapter = make_adapter()

    found = await adapter.get_procedure("1.001193")
    assert found is not None
    assert (found.TenTTHC, found.CapThucHien) == ("Đăng ký khai sinh", "3")
    assert await adapter.get_procedure("9.999999") is None


async def test_a_push_refused_as_a_whole_is_permanent_and_nothing_is_resent(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    message = "data: có nhiều hơn 1000 phần tử"
    api = portal.post("/api").mock(
        return_value=httpx.Response(
            200, json={"error_code": "01", "message": message, "result": []}
        )
    )

    with pytest.raises(PermanentError, match=message):
        await make_adapter().push_dossiers([_dossier(1)])
    assert api.call_count == 1


async def test_logs_services_statuses_and_counts_but_no_personal_data(
    portal: respx.MockRouter,
    make_adapter: Callable[..., HttpNationalPortal],
    caplog: pytest.LogCaptureFixture,
) -> None:
    portal.post("/api").mock(side_effect=_per_item({}))
    dossier = _dossier(1).model_copy(update={"SoGiayToChuHoSo": "001203004567"})
    caplog.set_level(logging.DEBUG, logger="adapters.national_portal")

    await make_adapter().push_dossiers([dossier])

    assert "DongBoHoSoMC: HTTP 200" in caplog.text
    assert "DongBoHoSoMC: 1 sent, 1 accepted" in caplog.text
    assert "Nguyễn Văn An" not in caplog.text
    assert "001203004567" not in caplog.text
