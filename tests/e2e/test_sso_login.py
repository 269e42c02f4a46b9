"""End to end: a citizen signs in through the national SSO mock and the gateway, over real HTTP,
then is handed over to a provincial portal with an assertion the gateway's JWKS verifies."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from gateway.app import create_app
from gateway.settings import Settings
from gateway.sso import PENDING_COOKIE
from tests.e2e.servers import ServerThread, free_port

pytestmark = pytest.mark.e2e

PORTAL = "http://127.0.0.1:9/portal/landing"


@pytest.fixture
def gateway_url(tmp_path: Path, mocks_server: ServerThread) -> Iterator[str]:
    port = free_port()
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/gateway.db",
        port=port,
        keys_dir=tmp_path / "keys",
        worker_enabled=False,
        document_poller_enabled=False,
        mocks_url=mocks_server.url,
        sso_portal_urls=PORTAL,
    )
    with ServerThread(create_app(settings), port=port) as server:
        yield server.url


def _accounts(mocks_url: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = httpx.get(f"{mocks_url}/sso/__admin/accounts").json()["accounts"]
    return found


def _sign_in(browser: httpx.Client, account: str) -> httpx.Response:
    started = browser.get("/sso/login", params={"return_to": "/healthz", "login_hint": account})
    assert started.status_code == 302, started.text
    authorized = httpx.get(started.headers["location"])
    assert authorized.status_code == 302, authorized.text
    return browser.get(authorized.headers["location"])


def test_a_citizen_signs_in_and_is_handed_to_the_portal(
    gateway_url: str, mocks_server: ServerThread
) -> None:
    citizen = next(a for a in _accounts(mocks_server.url) if a["kind"] == "citizen")
    with httpx.Client(base_url=gateway_url) as browser:
        back = _sign_in(browser, citizen["id"])
        assert back.status_code == 302, back.text
        assert back.headers["location"] == "/healthz"

        me = browser.get("/sso/me").json()
        assert me["kind"] == "citizen"
        assert me["personal_id"] == citizen["id"]
        assert me["name"] == citizen["name"]

        handed = browser.get("/sso/handoff", params={"to": PORTAL})
        assert handed.status_code == 302
        assertion = httpx.URL(handed.headers["location"]).params["assertion"]
        keys = KeySet.import_key_set(browser.get("/.well-known/jwks.json").json())
        token = jwt.decode(assertion, keys, algorithms=["RS256"])
        assert token.claims["identity"]["personal_id"] == citizen["id"]

        out = browser.post("/sso/logout", params={"return_to": "/"})
        assert browser.get("/sso/me").status_code == 401
        ended = httpx.get(out.json()["end_session_url"])
        assert ended.status_code == 302, ended.text
        assert ended.headers["location"] == f"{gateway_url}/"


def test_the_mocks_faults_are_refused_and_a_rotated_key_is_accepted(
    gateway_url: str, mocks_server: ServerThread
) -> None:
    citizen = next(a for a in _accounts(mocks_server.url) if a["kind"] == "citizen")
    admin = f"{mocks_server.url}/sso/__admin"
    with httpx.Client(base_url=gateway_url) as browser:
        for switch in ("expired_tokens", "wrong_issuer", "bad_signature"):
            httpx.post(f"{admin}/switches", json={switch: True}).raise_for_status()
            refused = _sign_in(browser, citizen["id"])
            assert refused.status_code == 400, (switch, refused.text)
            assert browser.get("/sso/me").status_code == 401
            httpx.post(f"{admin}/switches", json={switch: False}).raise_for_status()

        assert _sign_in(browser, citizen["id"]).status_code == 302
        httpx.post(f"{admin}/rotate-keys").raise_for_status()
        assert _sign_in(browser, citizen["id"]).status_code == 302
        assert browser.get("/sso/me").status_code == 200


def test_a_replayed_callback_is_refused(gateway_url: str, mocks_server: ServerThread) -> None:
    citizen = next(a for a in _accounts(mocks_server.url) if a["kind"] == "citizen")
    with httpx.Client(base_url=gateway_url) as browser:
        started = browser.get("/sso/login", params={"login_hint": citizen["id"]})
        captured = browser.cookies[PENDING_COOKIE]
        callback = httpx.get(started.headers["location"]).headers["location"]
        assert browser.get(callback).status_code == 302
        browser.cookies.clear()

        browser.cookies.set(PENDING_COOKIE, captured, path="/sso")
        replayed = browser.get(callback)

        assert replayed.status_code == 400, replayed.text
        assert "replayed" in replayed.json()["detail"]
        assert browser.get("/sso/me").status_code == 401
