"""API authentication: tokens at /oauth/token, and what a route makes of them."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import httpx
import pytest
import respx
from fastapi import FastAPI
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from gateway.app import create_app
from gateway.auth import ApiClient, ExternalIssuer, InvalidToken, TokenIssuer, secret_digest
from gateway.bootstrap import InsecureDefaults
from gateway.settings import DEFAULT_TOKEN_SECRET, Settings
from tests.gateway.fakes import FakeAxis, FakePortal

FORM = {"grant_type": "client_credentials"}
DEMO = ("demo", "demo-secret")


@pytest.fixture
async def anonymous(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test")


async def test_the_demo_client_gets_a_token_that_opens_a_route(
    anonymous: httpx.AsyncClient,
) -> None:
    reply = await anonymous.post("/oauth/token", data=FORM, auth=DEMO)
    assert reply.status_code == 200
    body = reply.json()
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 900)
    claims = jwt.decode(body["access_token"], OctKey.import_key(DEFAULT_TOKEN_SECRET)).claims
    assert {"iss", "aud", "sub", "scope", "exp", "iat", "jti"} <= set(claims)
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert (await anonymous.get("/v1/status", headers=headers)).status_code == 200


async def test_credentials_in_the_form_work_too(anonymous: httpx.AsyncClient) -> None:
    form = {**FORM, "client_id": "demo", "client_secret": "demo-secret"}
    assert (await anonymous.post("/oauth/token", data=form)).status_code == 200


async def test_a_wrong_secret_is_401_invalid_client(anonymous: httpx.AsyncClient) -> None:
    reply = await anonymous.post("/oauth/token", data=FORM, auth=("demo", "nope"))
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"


async def test_a_token_carries_only_the_scopes_asked(anonymous: httpx.AsyncClient) -> None:
    reply = await anonymous.post("/oauth/token", data={**FORM, "scope": "ops:read"}, auth=DEMO)
    headers = {"Authorization": f"Bearer {reply.json()['access_token']}"}
    assert (await anonymous.get("/v1/status", headers=headers)).status_code == 200
    refused = await anonymous.get("/v1/dossiers/X", headers=headers)
    assert refused.status_code == 403
    assert "dossiers:read" in refused.json()["detail"]


async def test_no_token_is_401_with_a_bearer_challenge(anonymous: httpx.AsyncClient) -> None:
    reply = await anonymous.get("/v1/status")
    assert reply.status_code == 401
    assert reply.headers["www-authenticate"] == "Bearer"


def _refused(reply: httpx.Response) -> None:
    assert reply.status_code == 401
    assert 'error="invalid_token"' in reply.headers["www-authenticate"]


async def test_an_expired_token_is_401(anonymous: httpx.AsyncClient) -> None:
    issuer = TokenIssuer(
        DEFAULT_TOKEN_SECRET,
        issuer="lienthong",
        audience="lienthong-api",
        lifetime=900,
        clock=lambda: time.time() - 3600,
    )
    token = issuer.issue("demo", ["ops:read"])
    _refused(await anonymous.get("/v1/status", headers={"Authorization": f"Bearer {token}"}))


async def test_a_forged_signature_is_401(anonymous: httpx.AsyncClient) -> None:
    forger = TokenIssuer("x" * 40, issuer="lienthong", audience="lienthong-api", lifetime=900)
    token = forger.issue("demo", ["ops:read"])
    _refused(await anonymous.get("/v1/status", headers={"Authorization": f"Bearer {token}"}))


async def test_alg_none_is_401(anonymous: httpx.AsyncClient) -> None:
    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {"iss": "lienthong", "aud": "lienthong-api", "sub": "demo", "scope": "ops:read"}
    token = f"{part({'alg': 'none'})}.{part({**claims, 'exp': now + 60})}."
    _refused(await anonymous.get("/v1/status", headers={"Authorization": f"Bearer {token}"}))


async def test_past_its_rate_a_client_gets_429_with_retry_after(
    settings: Settings, tmp_path: Path
) -> None:
    settings.api_clients = {
        "slow": ApiClient(secret_sha256=secret_digest("s"), scopes=["ops:read"], per_minute=2)
    }
    app = create_app(
        settings, adapters={"national_portal": FakePortal(), "document_axis": FakeAxis()}
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as c,
    ):
        token = (await c.post("/oauth/token", data=FORM, auth=("slow", "s"))).json()
        c.headers["Authorization"] = f"Bearer {token['access_token']}"
        codes = [(await c.get("/v1/status")).status_code for _ in range(3)]
        assert codes == [200, 200, 429]
        assert int((await c.get("/v1/status")).headers["retry-after"]) >= 1


async def test_wrong_secrets_for_a_client_are_slowed_down(anonymous: httpx.AsyncClient) -> None:
    codes = [
        (await anonymous.post("/oauth/token", data=FORM, auth=("demo", "guess"))).status_code
        for _ in range(11)
    ]
    assert codes == [401] * 10 + [429]
    right = await anonymous.post("/oauth/token", data=FORM, auth=("demo", "demo-secret"))
    assert right.status_code == 429
    assert int(right.headers["retry-after"]) >= 1
    other = await anonymous.post("/oauth/token", data=FORM, auth=("someone", "guess"))
    assert other.status_code == 401


async def test_right_secrets_are_never_slowed_down(anonymous: httpx.AsyncClient) -> None:
    for _ in range(100):
        reply = await anonymous.post("/oauth/token", data=FORM, auth=("demo", "demo-secret"))
        assert reply.status_code == 200


def test_production_refuses_default_secrets(settings: Settings) -> None:
    settings.mode = settings.mode.production
    with pytest.raises(InsecureDefaults, match="LIENTHONG_TOKEN_SECRET"):
        create_app(
            settings, adapters={"national_portal": FakePortal(), "document_axis": FakeAxis()}
        )


@respx.mock
async def test_provider_tokens_are_checked_against_its_jwks_and_rotation() -> None:
    old, new = RSAKey.generate_key(2048, parameters={"kid": "old"}), None
    new = RSAKey.generate_key(2048, parameters={"kid": "new"})
    route = respx.get("https://idp.example/jwks")
    route.return_value = httpx.Response(200, json={"keys": [old.as_dict(private=False)]})
    async with httpx.AsyncClient() as http:
        external = ExternalIssuer(
            "https://idp.example", "https://idp.example/jwks", audience="lienthong-api", http=http
        )
        claims = {"iss": "https://idp.example", "aud": "lienthong-api", "sub": "one-stop"}
        claims |= {"exp": int(time.time()) + 60, "scope": "dossiers:read"}
        token = jwt.encode({"alg": "RS256", "kid": "old"}, claims, old)
        assert (await external.verify(token)).scopes == {"dossiers:read"}
        route.return_value = httpx.Response(200, json={"keys": [new.as_dict(private=False)]})
        rotated = jwt.encode({"alg": "RS256", "kid": "new"}, claims, new)
        assert (await external.verify(rotated)).subject == "one-stop"
        with pytest.raises(InvalidToken):
            await external.verify(jwt.encode({"alg": "RS256", "kid": "new"}, claims, old))
        hs = jwt.encode({"alg": "HS256"}, claims, OctKey.import_key("k" * 40))
        with pytest.raises(InvalidToken, match="algorithm"):
            await external.verify(hs)
