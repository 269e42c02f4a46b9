"""Fixtures for the SSO mock's tests: the provider mounted under /sso, as the mocks app has it."""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from mocks.national_sso import create_app

BASE = "http://127.0.0.1:8700"
ISSUER = f"{BASE}/sso"
REDIRECT_URI = "http://127.0.0.1:8000/sso/callback"
CLIENT = ("lienthong", "lienthong-dev")


@dataclass
class Login:
    """One authorization request's secrets, as a relying party keeps them."""

    state: str
    nonce: str
    verifier: str

    @property
    def challenge(self) -> str:
        digest = hashlib.sha256(self.verifier.encode()).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def params(self, **overrides: str) -> dict[str, str]:
        params = {
            "response_type": "code",
            "client_id": CLIENT[0],
            "redirect_uri": REDIRECT_URI,
            "scope": "openid",
            "state": self.state,
            "nonce": self.nonce,
            "code_challenge": self.challenge,
            "code_challenge_method": "S256",
            "acr_values": "LoA1",
        }
        params.update(overrides)
        return params


def new_login() -> Login:
    return Login(secrets.token_urlsafe(8), secrets.token_urlsafe(8), secrets.token_urlsafe(48))


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


@pytest.fixture(scope="session")
def sso_app() -> Starlette:
    return Starlette(routes=[Mount("/sso", app=create_app())])


@pytest.fixture
async def http(sso_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=sso_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        await client.post("/sso/__admin/reset")
        yield client


async def authorize(http: httpx.AsyncClient, login: Login, account: str, **overrides: str) -> str:
    """The code the provider redirects back with, after a scripted login as ``account``."""
    response = await http.get(
        "/sso/oauth2/authorize", params=login.params(login_hint=account, **overrides)
    )
    assert response.status_code == 302, response.text
    query = query_of(response.headers["Location"])
    assert query["state"] == login.state
    return query["code"]


async def exchange(
    http: httpx.AsyncClient, login: Login, code: str, **overrides: str
) -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": login.verifier,
    }
    data.update(overrides)
    return await http.post("/sso/oauth2/token", data=data, auth=CLIENT)


async def tokens_for(http: httpx.AsyncClient, account: str) -> tuple[Login, dict[str, Any]]:
    login = new_login()
    response = await exchange(http, login, await authorize(http, login, account))
    assert response.status_code == 200, response.text
    return login, response.json()
