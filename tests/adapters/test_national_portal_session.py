"""Session login (style 1): lazy login, the session in every body, one re-login when it lapses."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import httpx
import pytest
import respx

from adapters import AuthError, HttpNationalPortal

EXPIRED = {"error_code": "401", "message": "Phiên làm việc đã hết hạn"}
PROCEDURES = {
    "error_code": 0,
    "message": "Lấy dữ liệu thành công",
    "result": [{"MaTTHC": "1.001193", "TenTTHC": "Đăng ký khai sinh"}],
}


def _logins(portal: respx.MockRouter) -> respx.Route:
    issued = iter(f"session-{n}" for n in range(1, 100))
    return portal.post("/login").mock(
        side_effect=lambda request: httpx.Response(
            200, json={"session": next(issued), "error_code": 0}
        )
    )


def _body(request: httpx.Request) -> dict[str, object]:
    body = json.loads(request.content)
    assert isinstance(body, dict)
    return body


async def test_logs_in_once_and_sends_session_unit_and_service_in_the_body(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    logins = _logins(portal)
    api = portal.post("/api").mock(return_value=httpx.Response(200, json=PROCEDURES))
    adapter = make_adapter()

    await adapter.list_procedures()
    procedures = await adapter.list_procedures()

    assert [p.MaTTHC for p in procedures] == ["1.001193"]
    assert logins.call_count == 1
    assert _body(logins.calls[0].request) == {"username": "lienthong", "password": "secret"}
    assert logins.calls[0].request.headers["dstcode"] == "000.00.00.H56"
    sent = api.calls[1].request
    assert sent.headers["dstcode"] == "000.00.00.H56"
    assert _body(sent) == {
        "session": "session-1",
        "madonvi": "000.00.00.H56",
        "service": "LayDanhSachTTHC",
    }


async def test_logs_in_again_once_when_the_session_expires_mid_run(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    logins = _logins(portal)
    expired = {"session-1"}
    calls = 0

    def api(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls > 1 and _body(request)["session"] in expired:
            return httpx.Response(200, json=EXPIRED)
        return httpx.Response(200, json=PROCEDURES)

    route = portal.post("/api").mock(side_effect=api)
    adapter = make_adapter()

    await adapter.list_procedures()
    procedures = await adapter.list_procedures()

    assert [p.MaTTHC for p in procedures] == ["1.001193"]
    assert logins.call_count == 2
    assert [_body(call.request)["session"] for call in route.calls] == [
        "session-1",
        "session-1",
        "session-2",
    ]


async def test_a_second_refusal_after_logging_in_again_is_an_auth_error(
    portal: respx.MockRouter,
    make_adapter: Callable[..., HttpNationalPortal],
    sleeps: list[float],
) -> None:
    logins = _logins(portal)
    api = portal.post("/api").mock(return_value=httpx.Response(200, json=EXPIRED))
    adapter = make_adapter()

    with pytest.raises(AuthError) as raised:
        await adapter.list_procedures()

    assert "Phiên làm việc đã hết hạn" in str(raised.value)
    assert logins.call_count == 2
    assert api.call_count == 2
    assert sleeps == []


async def test_refused_login_is_an_auth_error_naming_the_portal_message(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    portal.post("/login").mock(
        return_value=httpx.Response(
            200, json={"error_code": "401", "message": "Sai tên đăng nhập hoặc mật khẩu"}
        )
    )
    api = portal.post("/api")
    adapter = make_adapter()

    with pytest.raises(AuthError, match="Sai tên đăng nhập hoặc mật khẩu"):
        await adapter.list_procedures()
    assert api.call_count == 0


async def test_concurrent_calls_share_one_login(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    logins = _logins(portal)
    portal.post("/api").mock(return_value=httpx.Response(200, json=PROCEDURES))
    adapter = make_adapter()

    await asyncio.gather(*(adapter.list_procedures() for _ in range(5)))

    assert logins.call_count == 1
