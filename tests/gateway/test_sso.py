"""National sign-on through the gateway, against an OpenID Connect provider in process.

The provider here is a small, scriptable stand-in that signs its own ID tokens, so each check of
the ID token (nonce, audience, expiry, algorithm, key id) can be broken on purpose.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from gateway.app import create_app
from gateway.settings import Settings
from gateway.sso import PENDING_COOKIE, SESSION_COOKIE
from tests.gateway.fakes import FakeAxis, FakePortal

ISSUER = "http://127.0.0.1:8700/sso"
GATEWAY = "http://127.0.0.1:8600"
PORTAL = "https://dichvucong.lamdong.test/sso/landing"
CITIZEN = {
    "sub": "acc-0001",
    "TechID": "acc-0001",
    "LoaiTaiKhoan": "1",
    "SoDinhDanh": "068090000123",
    "HoVaTen": "Nguyễn Thị Lan",
    "NgayThangNamSinh": "19900215",
    "GioiTinh": "2",
    "acr": "LoA2",
}
PROVIDER_KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})


@dataclass
class Provider:
    """What the stand-in provider does wrong on purpose, and what it was asked."""

    key: RSAKey = field(default_factory=lambda: PROVIDER_KEY)
    nonce: str | None = None
    audience: str | None = None
    expires_in: int = 300
    alg: str = "RS256"
    kid: str | None = None
    authorize_params: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    jwks_reads: int = 0

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": CITIZEN["sub"],
            "aud": self.audience or "lienthong",
            "iat": now,
            "exp": now + self.expires_in,
            "nonce": self.nonce or nonce,
            "acr": "LoA2",
        }
        if self.alg == "none":
            header = _b64({"alg": "none", "typ": "JWT"})
            return f"{header}.{_b64(claims)}."
        return jwt.encode(
            {"alg": "RS256", "kid": self.kid or "k1"}, claims, self.key, algorithms=["RS256"]
        )

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/sso/.well-known/openid-configuration")
        async def discovery() -> dict[str, Any]:
            return {
                "issuer": ISSUER,
                "authorization_endpoint": f"{ISSUER}/oauth2/authorize",
                "token_endpoint": f"{ISSUER}/oauth2/token",
                "userinfo_endpoint": f"{ISSUER}/oauth2/userinfo",
                "jwks_uri": f"{ISSUER}/jwks",
                "end_session_endpoint": f"{ISSUER}/oauth2/logout",
                "id_token_signing_alg_values_supported": ["RS256"],
            }

        @app.get("/sso/jwks")
        async def jwks() -> dict[str, Any]:
            self.jwks_reads += 1
            return KeySet([self.key]).as_dict(private=False)

        @app.get("/sso/oauth2/authorize")
        async def authorize(request: Request) -> RedirectResponse:
            params = dict(request.query_params)
            self.authorize_params = params
            code = secrets.token_urlsafe(16)
            self.codes[code] = params
            target = httpx.URL(params["redirect_uri"]).copy_merge_params(
                {"code": code, "state": params["state"]}
            )
            return RedirectResponse(str(target), status_code=302)

        @app.post("/sso/oauth2/token")
        async def token(request: Request) -> JSONResponse:
            form = dict(parse_qsl((await request.body()).decode()))
            code, code_verifier = form["code"], form["code_verifier"]
            assert form["grant_type"] == "authorization_code"
            asked = self.codes.pop(code, None)
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest())
                .rstrip(b"=")
                .decode()
            )
            if asked is None or asked["code_challenge"] != challenge:
                return JSONResponse({"error": "invalid_grant"}, 400)
            return JSONResponse(
                {
                    "access_token": "at-" + code,
                    "token_type": "Bearer",
                    "expires_in": 300,
                    "id_token": self.id_token(asked["nonce"]),
                }
            )

        @app.get("/sso/oauth2/userinfo")
        async def userinfo(request: Request) -> dict[str, Any]:
            assert request.headers["authorization"].startswith("Bearer at-")
            return CITIZEN

        return app


def _b64(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.fixture
def provider() -> Provider:
    return Provider()


@pytest.fixture(scope="module")
def keys_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One development key for the module: making a key pair is slow."""
    return tmp_path_factory.mktemp("keys")


@pytest.fixture
async def browser(
    tmp_path: Path, keys_dir: Path, provider: Provider
) -> AsyncIterator[httpx.AsyncClient]:
    """A browser on the gateway, whose SSO client reaches the stand-in provider in process."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/gateway.db",
        worker_enabled=False,
        document_poller_enabled=False,
        keys_dir=keys_dir,
        sqlite_synchronous="NORMAL",
        sso_issuer=ISSUER,
        sso_redirect_url=f"{GATEWAY}/sso/callback",
        sso_portal_urls=PORTAL,
    )
    app = create_app(
        settings,
        portal=FakePortal(),
        axis=FakeAxis(),
        sso_transport=httpx.ASGITransport(app=provider.app()),
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=GATEWAY) as client,
    ):
        yield client


async def sign_in(
    browser: httpx.AsyncClient, provider: Provider, return_to: str = "/"
) -> httpx.Response:
    """Login, the provider's redirect back, and the callback; the callback's response."""
    started = await browser.get(
        "/sso/login", params={"return_to": return_to, "login_hint": "acc-0001"}
    )
    assert started.status_code == 302, started.text
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=provider.app())) as upstream:
        authorized = await upstream.get(started.headers["location"])
    assert authorized.status_code == 302
    return await browser.get(authorized.headers["location"])


async def test_signs_a_citizen_in_and_names_them(
    browser: httpx.AsyncClient, provider: Provider
) -> None:
    back = await sign_in(browser, provider, return_to="/v1/status?x=1")

    assert back.status_code == 302, back.text
    assert back.headers["location"] == "/v1/status?x=1"
    cookie = back.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    asked = provider.authorize_params
    assert asked["code_challenge_method"] == "S256"
    assert asked["acr_values"] == "LoA1"
    assert asked["login_hint"] == "acc-0001"
    assert asked["nonce"] and asked["state"] and asked["scope"] == "openid"
    me = await browser.get("/sso/me")
    assert me.status_code == 200
    assert me.json() == {
        "account_id": "acc-0001",
        "kind": "citizen",
        "personal_id": "068090000123",
        "enterprise_code": None,
        "name": "Nguyễn Thị Lan",
        "date_of_birth": "1990-02-15",
        "assurance": "LoA2",
    }


async def test_refuses_a_callback_whose_state_is_not_the_logins(
    browser: httpx.AsyncClient, provider: Provider
) -> None:
    started = await browser.get("/sso/login", params={"login_hint": "acc-0001"})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=provider.app())) as upstream:
        authorized = await upstream.get(started.headers["location"])
    forged = httpx.URL(authorized.headers["location"]).copy_set_param("state", "forged")

    refused = await browser.get(str(forged))

    assert refused.status_code == 400
    assert "state" in refused.json()["detail"]
    assert (await browser.get("/sso/me")).status_code == 401


async def test_refuses_a_replayed_callback(browser: httpx.AsyncClient, provider: Provider) -> None:
    started = await browser.get("/sso/login", params={"login_hint": "acc-0001"})
    captured = browser.cookies[PENDING_COOKIE]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=provider.app())) as upstream:
        authorized = await upstream.get(started.headers["location"])
    callback = authorized.headers["location"]
    assert (await browser.get(callback)).status_code == 302
    browser.cookies.delete(SESSION_COOKIE)

    browser.cookies.set(PENDING_COOKIE, captured, path="/sso")
    replayed = await browser.get(callback)

    assert replayed.status_code == 400
    assert "replayed" in replayed.json()["detail"]
    assert (await browser.get("/sso/me")).status_code == 401


async def test_refuses_a_callback_without_a_login_in_this_browser(
    browser: httpx.AsyncClient,
) -> None:
    refused = await browser.get("/sso/callback", params={"code": "c", "state": "s"})
    assert refused.status_code == 400


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        ({"nonce": "replayed"}, "nonce"),
        ({"audience": "another-client"}, "aud"),
        ({"expires_in": -3600}, "expired"),
        ({"alg": "none"}, "only RS256"),
        ({"kid": "unknown"}, "lacks"),
    ],
)
async def test_refuses_a_bad_id_token(
    browser: httpx.AsyncClient, provider: Provider, fault: dict[str, Any], said: str
) -> None:
    for name, value in fault.items():
        setattr(provider, name, value)

    refused = await sign_in(browser, provider)

    assert refused.status_code == 400
    assert said in refused.json()["detail"]
    assert (await browser.get("/sso/me")).status_code == 401


async def test_reads_the_jwks_again_when_the_provider_rotates_its_key(
    browser: httpx.AsyncClient, provider: Provider
) -> None:
    assert (await sign_in(browser, provider)).status_code == 302
    provider.key = RSAKey.generate_key(2048, parameters={"kid": "k2"})
    provider.kid = "k2"

    assert (await sign_in(browser, provider)).status_code == 302
    assert provider.jwks_reads == 2


async def test_a_tampered_session_cookie_is_not_signed_in(
    browser: httpx.AsyncClient, provider: Provider
) -> None:
    await sign_in(browser, provider)
    value = browser.cookies[SESSION_COOKIE]
    header, payload, signature = value.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["identity"]["name"] = "Kẻ Giả Mạo"
    browser.cookies.set(SESSION_COOKIE, f"{header}.{_b64(claims)}.{signature}")

    assert (await browser.get("/sso/me")).status_code == 401
    browser.cookies.set(SESSION_COOKIE, "not-a-token")
    assert (await browser.get("/sso/me")).status_code == 401


async def test_not_signed_in_is_401(browser: httpx.AsyncClient) -> None:
    assert (await browser.get("/sso/me")).status_code == 401


@pytest.mark.parametrize(
    "return_to",
    [
        "https://evil.test/",
        "//evil.test/x",
        "/\\evil.test",
        "http:/evil.test",
        "evil",
        "/\t/evil.test",
    ],
)
async def test_refuses_to_return_anywhere_but_the_gateway(
    browser: httpx.AsyncClient, return_to: str
) -> None:
    refused = await browser.get("/sso/login", params={"return_to": return_to})
    assert refused.status_code == 400
    assert "location" not in refused.headers


async def test_logout_ends_the_session_and_names_the_providers_end_session(
    browser: httpx.AsyncClient, provider: Provider
) -> None:
    await sign_in(browser, provider)

    out = await browser.post("/sso/logout", params={"return_to": "/"})

    assert out.status_code == 200
    assert out.json()["end_session_url"].startswith(f"{ISSUER}/oauth2/logout?")
    assert "post_logout_redirect_uri" in out.json()["end_session_url"]
    hint = httpx.URL(out.json()["end_session_url"]).params["id_token_hint"]
    assert jwt.decode(hint, provider.key).claims["sub"] == "acc-0001"
    assert (await browser.get("/sso/me")).status_code == 401


async def test_hands_off_to_the_portal_with_an_assertion_the_jwks_verifies(
    browser: httpx.AsyncClient, provider: Provider
) -> None:
    await sign_in(browser, provider)

    handed = await browser.get("/sso/handoff", params={"to": PORTAL})

    assert handed.status_code == 302
    location = httpx.URL(handed.headers["location"])
    assert str(location.copy_remove_param("assertion")) == PORTAL
    keys = KeySet.import_key_set((await browser.get("/.well-known/jwks.json")).json())
    token = jwt.decode(location.params["assertion"], keys, algorithms=["RS256"])
    assert token.header["kid"] == keys.keys[0].kid
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": GATEWAY}, aud={"essential": True, "value": PORTAL}
    ).validate(token.claims)
    assert token.claims["exp"] - token.claims["iat"] == 120
    assert token.claims["identity"]["personal_id"] == "068090000123"


async def test_hands_off_only_to_configured_portals_and_only_when_signed_in(
    browser: httpx.AsyncClient, provider: Provider
) -> None:
    assert (await browser.get("/sso/handoff", params={"to": PORTAL})).status_code == 401
    await sign_in(browser, provider)
    refused = await browser.get("/sso/handoff", params={"to": "https://evil.test/"})
    assert refused.status_code == 400
