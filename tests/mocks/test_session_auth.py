"""Session-style authentication: login, sessions that expire when idle, the "401" reply."""

from __future__ import annotations

import httpx

from tests.mocks.samples import DSTCODE, UNIT, USER, FakeClock, Portal


async def test_login_with_the_default_account_opens_a_session(http: httpx.AsyncClient) -> None:
    response = await http.post("/login", json=USER, headers={"dstcode": "000.00.00.H49"})

    assert response.status_code == 200
    reply = response.json()
    assert reply["error_code"] == 0
    assert reply["session"]


async def test_login_with_a_wrong_password_answers_401_and_no_session(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post(
        "/login", json={"username": "lienthong", "password": "wrong"}, headers=DSTCODE
    )

    reply = response.json()
    assert response.status_code == 200
    assert reply["error_code"] == "401"
    assert "session" not in reply


async def test_login_without_dstcode_is_refused_naming_the_header(
    http: httpx.AsyncClient,
) -> None:
    reply = (await http.post("/login", json=USER)).json()

    assert reply["error_code"] == "01"
    assert reply["message"].startswith("dstcode:")


async def test_login_without_password_is_refused_naming_the_field(
    http: httpx.AsyncClient,
) -> None:
    reply = (await http.post("/login", json={"username": "lienthong"}, headers=DSTCODE)).json()

    assert reply == {"error_code": "01", "message": "password: is required", "result": []}


async def test_a_call_with_an_unknown_session_answers_401(portal: Portal) -> None:
    portal.session = "not-a-session"

    reply = await portal.call("LayDanhMucLinhVuc")

    assert reply["error_code"] == "401"


async def test_a_call_without_a_session_answers_401(http: httpx.AsyncClient) -> None:
    body = {"madonvi": UNIT, "service": "LayDanhMucLinhVuc"}

    reply = (await http.post("/api", json=body, headers=DSTCODE)).json()

    assert reply["error_code"] == "401"


async def test_a_session_idle_longer_than_the_limit_expires(
    portal: Portal, clock: FakeClock
) -> None:
    clock.advance(599)
    assert (await portal.call("LayDanhMucLinhVuc"))["error_code"] == 0

    clock.advance(599)
    assert (await portal.call("LayDanhMucLinhVuc"))["error_code"] == 0, "use keeps it open"

    clock.advance(601)
    reply = await portal.call("LayDanhMucLinhVuc")
    assert reply["error_code"] == "401"
    assert "hết hạn" in reply["message"]


async def test_admin_expires_every_session_at_once_and_login_works_again(
    portal: Portal, http: httpx.AsyncClient
) -> None:
    expired = (await http.post("/__admin/expire-sessions")).json()

    assert expired == {"expired": 1}
    assert (await portal.call("LayDanhMucLinhVuc"))["error_code"] == "401"
    await portal.login()
    assert (await portal.call("LayDanhMucLinhVuc"))["error_code"] == 0


async def test_api_call_without_dstcode_is_refused(portal: Portal) -> None:
    body = {"session": portal.session, "madonvi": UNIT, "service": "LayDanhMucLinhVuc"}

    reply = (await portal.http.post("/api", json=body)).json()

    assert reply["error_code"] == "01"
    assert reply["message"].startswith("dstcode:")


async def test_an_unknown_service_is_refused_naming_the_service(portal: Portal) -> None:
    reply = await portal.call("DongBoHoSo")

    assert reply["error_code"] == "01"
    assert reply["message"].startswith("service: unknown service 'DongBoHoSo'")


async def test_a_body_that_is_not_json_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.post("/api", content=b"{not json", headers=DSTCODE)

    assert response.json()["error_code"] == "01"
    assert response.json()["message"].startswith("body:")
