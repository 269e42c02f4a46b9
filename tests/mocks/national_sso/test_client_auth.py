"""The token endpoint reads client credentials as RFC 6749 §2.3.1 has them, and the authorization
response names its issuer (RFC 9207)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from urllib.parse import quote_plus

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from mocks.national_sso import DEFAULT_CLIENT, SsoClient, create_app, seeded_accounts
from tests.mocks.national_sso.conftest import (
    BASE,
    ISSUER,
    REDIRECT_URI,
    Login,
    new_login,
    query_of,
)

SECRET = "a+b%2Fc/d e"
"""A secret that only survives form-encoding: ``+``, ``%2F`` and a space read differently raw."""
CLIENT = SsoClient("tricky", SECRET, redirect_uris=(REDIRECT_URI,))
CITIZEN = next(a for a in seeded_accounts() if a.claims["LoaiTaiKhoan"] == 1)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    app = Starlette(routes=[Mount("/sso", app=create_app(clients=(DEFAULT_CLIENT, CLIENT)))])
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
        yield client


async def _code(http: httpx.AsyncClient, login: Login) -> str:
    response = await http.get(
        "/sso/oauth2/authorize",
        params=login.params(client_id=CLIENT.client_id, login_hint=CITIZEN.id),
    )
    assert response.status_code == 302, response.text
    return query_of(response.headers["Location"])["code"]


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def _grant(login: Login, code: str) -> dict[str, str]:
    return {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": login.verifier,
    }


async def test_basic_credentials_are_form_decoded(http: httpx.AsyncClient) -> None:
    login = new_login()
    encoded = _basic(quote_plus(CLIENT.client_id), quote_plus(SECRET))

    response = await http.post(
        "/sso/oauth2/token",
        data=_grant(login, await _code(http, login)),
        headers={"Authorization": encoded},
    )

    assert response.status_code == 200, response.text
    assert response.json()["id_token"]


async def test_basic_credentials_sent_without_form_encoding_are_refused(
    http: httpx.AsyncClient,
) -> None:
    login = new_login()

    response = await http.post(
        "/sso/oauth2/token",
        data=_grant(login, await _code(http, login)),
        headers={"Authorization": _basic(CLIENT.client_id, SECRET)},
    )

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


async def test_post_credentials_with_the_same_secret_are_accepted(
    http: httpx.AsyncClient,
) -> None:
    login = new_login()
    form = {
        **_grant(login, await _code(http, login)),
        "client_id": CLIENT.client_id,
        "client_secret": SECRET,
    }

    response = await http.post("/sso/oauth2/token", data=form)

    assert response.status_code == 200, response.text


async def test_the_authorization_response_names_the_issuer(http: httpx.AsyncClient) -> None:
    discovery = (await http.get("/sso/.well-known/openid-configuration")).json()
    assert discovery["authorization_response_iss_parameter_supported"] is True

    login = new_login()
    response = await http.get("/sso/oauth2/authorize", params=login.params(login_hint=CITIZEN.id))

    assert query_of(response.headers["Location"])["iss"] == ISSUER
    refused = await http.get(
        "/sso/oauth2/authorize", params={**login.params(), "code_challenge_method": "plain"}
    )
    assert query_of(refused.headers["Location"])["iss"] == ISSUER
