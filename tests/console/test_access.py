"""Who gets into the console: invitation links (once, for 15 minutes), SSO accounts with a role,
sessions that expire, CSRF on every form, and roles."""

from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy import update

from gateway.bootstrap import Gateway
from gateway.console.access import SESSION_COOKIE, Via
from gateway.operations import ActionQuery
from gateway.settings import ConsoleRole
from gateway.sso import SESSION_COOKIE as SSO_SESSION_COOKIE
from gateway.store.schema import operator_invitations
from tests.console.conftest import SignIn, csrf_of, invite


async def test_an_invitation_signs_its_person_in_once(
    gateway: Gateway, browser: httpx.AsyncClient
) -> None:
    link = await invite(gateway, "Lê Văn Cường", ConsoleRole.admin)

    opened = await browser.get(link)
    assert opened.status_code == 303
    assert opened.headers["location"] == "/console/"
    cookie = opened.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/console" in cookie
    overview = await browser.get("/console/")
    assert overview.status_code == 200
    assert "Lê Văn Cường" in overview.text and "Quản trị" in overview.text

    browser.cookies.clear()
    again = await browser.get(link)
    assert again.status_code == 403
    assert "đã được dùng một lần" in again.text
    assert (await browser.get("/console/")).status_code == 303


async def test_an_invitation_older_than_fifteen_minutes_is_refused(
    gateway: Gateway, browser: httpx.AsyncClient
) -> None:
    link = await invite(gateway, "Phạm Thu Dung", ConsoleRole.viewer)
    await gateway.store.write(
        lambda connection: connection.execute(
            update(operator_invitations).values(expires_at=time.time() - 1)
        )
    )
    assert (await browser.get(link)).status_code == 403
    assert (await browser.get("/console/")).status_code == 303


async def test_the_store_keeps_only_the_hash_of_a_link(gateway: Gateway) -> None:
    link = await invite(gateway, "Phạm Thu Dung", ConsoleRole.viewer)
    token = link.rsplit("/", 1)[1]
    stored = await gateway.store.read(
        lambda connection: list(connection.execute(operator_invitations.select()))
    )
    assert len(stored) == 1
    assert token not in repr(stored[0])


async def test_a_page_without_a_session_sends_the_browser_to_sign_in_and_back(
    browser: httpx.AsyncClient,
) -> None:
    reply = await browser.get("/console/?focus=national_portal")
    assert reply.status_code == 303
    assert reply.headers["location"] == (
        "/console/sign-in?next=%2Fconsole%2F%3Ffocus%3Dnational_portal"
    )
    page = await browser.get(reply.headers["location"])
    assert page.status_code == 200
    assert "Đăng nhập qua SSO" in page.text
    start = await browser.get(
        "/console/sign-in/sso", params={"next": "/console/?focus=national_portal"}
    )
    assert start.status_code == 303
    assert start.headers["location"].startswith("/sso/login?return_to=%2Fconsole%2Fsigned-in")


async def test_a_forged_or_expired_session_is_no_session(
    gateway: Gateway, browser: httpx.AsyncClient, app: object
) -> None:
    console = app.state.console  # type: ignore[attr-defined]
    browser.cookies.set(SESSION_COOKIE, "not-a-session", path="/console")
    assert (await browser.get("/console/")).status_code == 303
    console.sessions.seconds = -10
    value, _ = console.sessions.open(
        name="x", account="invitation:x", role=ConsoleRole.admin, via=Via.invitation
    )
    browser.cookies.set(SESSION_COOKIE, value, path="/console")
    assert (await browser.get("/console/")).status_code == 303


def _sso_session(gateway: Gateway, account: str) -> str:
    identity = {"account_id": account, "kind": "citizen", "name": "Đỗ Minh Hải"}
    return gateway.sso.cookies.sign("session", {"identity": identity}, seconds=60)


async def test_an_sso_account_with_a_role_gets_a_console_session(
    gateway: Gateway, browser: httpx.AsyncClient
) -> None:
    browser.cookies.set(SSO_SESSION_COOKIE, _sso_session(gateway, "sso-operator"))
    reply = await browser.get("/console/signed-in", params={"next": "/console/"})
    assert reply.status_code == 303
    page = await browser.get("/console/")
    assert "Đỗ Minh Hải" in page.text and "Vận hành" in page.text


async def test_an_sso_account_without_a_role_is_refused_and_told_its_id(
    gateway: Gateway, browser: httpx.AsyncClient
) -> None:
    browser.cookies.set(SSO_SESSION_COOKIE, _sso_session(gateway, "stranger-42"))
    reply = await browser.get("/console/signed-in")
    assert reply.status_code == 403
    assert "stranger-42" in reply.text and "LIENTHONG_CONSOLE_ROLES" in reply.text
    assert (await browser.get("/console/")).status_code == 303


async def test_taking_an_sso_account_off_the_list_ends_its_access(
    gateway: Gateway, browser: httpx.AsyncClient, app: object
) -> None:
    browser.cookies.set(SSO_SESSION_COOKIE, _sso_session(gateway, "sso-operator"))
    await browser.get("/console/signed-in")
    assert (await browser.get("/console/")).status_code == 200
    app.state.console.sessions.roles.pop("sso-operator")  # type: ignore[attr-defined]
    assert (await browser.get("/console/")).status_code == 303


async def test_a_form_without_its_csrf_token_is_refused(sign_in: SignIn) -> None:
    browser = await sign_in(ConsoleRole.viewer)
    refused = await browser.post("/console/sign-out", data={"csrf": "guessed"})
    assert refused.status_code == 403
    assert (await browser.get("/console/")).status_code == 200

    page = (await browser.get("/console/")).text
    out = await browser.post("/console/sign-out", data={"csrf": csrf_of(page)})
    assert out.status_code == 303
    assert (await browser.get("/console/")).status_code == 303


@pytest.mark.parametrize(
    ("url", "secure"), [("http://gateway.test", False), ("https://gateway.test", True)]
)
async def test_session_cookies_are_secure_over_https(
    gateway: Gateway, app: object, url: str, secure: bool
) -> None:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url=url) as client:
        reply = await client.get(await invite(gateway, "An", ConsoleRole.viewer))
    assert ("Secure" in reply.headers["set-cookie"]) is secure


async def test_an_invitation_is_in_the_operator_action_audit(gateway: Gateway) -> None:
    await invite(gateway, "Lê Văn Cường", ConsoleRole.admin)
    page = await gateway.operations.actions(ActionQuery(action="invite"))
    [made] = page.items
    assert made.selection == {"name": "Lê Văn Cường", "role": "admin"}
    assert made.actor.startswith("os:")
