"""National sign-on through the gateway's routes, with the national SSO adapter reaching a
stand-in OpenID Connect provider in process (``tests.oidc_stand_in``), so each rule can be broken
on purpose and seen as the browser sees it: a redirect and a session, a 400 naming the rule, a
403 page for a level of assurance too low, a 502 naming the provider when it is down.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from adapters.national_sso import OidcNationalSso, SsoConfig
from gateway.api import sso as sso_api
from gateway.sso import PENDING_COOKIE, SESSION_COOKIE, AssertionSigner, build_sso
from tests.oidc_stand_in import ISSUER, StandInProvider

GATEWAY = "http://127.0.0.1:8600"
PORTAL = "https://dichvucong.lamdong.test/sso/landing"


@pytest.fixture
def provider() -> StandInProvider:
    return StandInProvider()


@pytest.fixture(scope="module")
def key_pem() -> bytes:
    """The gateway's signing key, one for the module: making a key pair is slow."""
    return RSAKey.generate_key(2048, private=True).as_pem(private=True)


@pytest.fixture
def sso_config(request: pytest.FixtureRequest) -> dict[str, Any]:
    """Fields of the adapter's config over the test defaults (indirect parametrization)."""
    return dict(getattr(request, "param", {}))


@pytest.fixture
async def browser(
    key_pem: bytes, provider: StandInProvider, sso_config: dict[str, Any]
) -> AsyncIterator[httpx.AsyncClient]:
    """A browser on the gateway's sign-on routes, whose adapter reaches the stand-in."""
    config = SsoConfig(
        url=ISSUER,
        client_id="lienthong",
        client_secret="lienthong-dev",
        redirect_url=f"{GATEWAY}/sso/callback",
        **sso_config,
    )
    adapter = OidcNationalSso(config, transport=provider.transport())
    sso = build_sso(
        adapter,
        session_secret="test-session-secret-of-enough-length",
        session_seconds=3600,
        portal_urls=PORTAL,
        secure_cookies=False,
    )
    sso.signer = AssertionSigner(key_pem, issuer=GATEWAY)
    app = FastAPI()
    app.include_router(sso_api.router)
    app.include_router(sso_api.well_known)
    app.state.gateway = SimpleNamespace(sso=sso)
    async with (
        adapter,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=GATEWAY) as client,
    ):
        yield client


def _b64(value: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


async def sign_in(
    browser: httpx.AsyncClient, provider: StandInProvider, return_to: str = "/"
) -> httpx.Response:
    """Login, the provider's redirect back, and the callback; the callback's response."""
    started = await browser.get(
        "/sso/login", params={"return_to": return_to, "login_hint": "acc-0001"}
    )
    assert started.status_code == 302, started.text
    return await browser.get(str(await provider.authorize(started.headers["location"])))


async def test_signs_a_citizen_in_and_names_them(
    browser: httpx.AsyncClient, provider: StandInProvider
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
    browser: httpx.AsyncClient, provider: StandInProvider
) -> None:
    started = await browser.get("/sso/login", params={"login_hint": "acc-0001"})
    authorized = await provider.authorize(started.headers["location"])
    forged = authorized.copy_set_param("state", "forged")

    refused = await browser.get(str(forged))

    assert refused.status_code == 400
    assert "state" in refused.json()["detail"]
    assert (await browser.get("/sso/me")).status_code == 401


async def test_refuses_a_replayed_callback(
    browser: httpx.AsyncClient, provider: StandInProvider
) -> None:
    started = await browser.get("/sso/login", params={"login_hint": "acc-0001"})
    captured = browser.cookies[PENDING_COOKIE]
    callback = str(await provider.authorize(started.headers["location"]))
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
    browser: httpx.AsyncClient, provider: StandInProvider, fault: dict[str, Any], said: str
) -> None:
    for name, value in fault.items():
        setattr(provider, name, value)

    refused = await sign_in(browser, provider)

    assert refused.status_code == 400
    assert said in refused.json()["detail"]
    assert (await browser.get("/sso/me")).status_code == 401


async def test_reads_the_jwks_again_when_the_provider_rotates_its_key(
    browser: httpx.AsyncClient, provider: StandInProvider
) -> None:
    assert (await sign_in(browser, provider)).status_code == 302
    provider.key = RSAKey.generate_key(2048, parameters={"kid": "k2"})
    provider.kid = "k2"

    assert (await sign_in(browser, provider)).status_code == 302
    assert provider.jwks_reads == 2


async def test_a_tampered_session_cookie_is_not_signed_in(
    browser: httpx.AsyncClient, provider: StandInProvider
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
    browser: httpx.AsyncClient, provider: StandInProvider
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
    browser: httpx.AsyncClient, provider: StandInProvider
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
    browser: httpx.AsyncClient, provider: StandInProvider
) -> None:
    assert (await browser.get("/sso/handoff", params={"to": PORTAL})).status_code == 401
    await sign_in(browser, provider)
    refused = await browser.get("/sso/handoff", params={"to": "https://evil.test/"})
    assert refused.status_code == 400


async def test_passes_the_callbacks_iss_and_refuses_another_issuers(
    browser: httpx.AsyncClient, provider: StandInProvider
) -> None:
    provider.iss_supported = provider.send_iss = True
    assert (await sign_in(browser, provider)).status_code == 302

    provider.iss = "https://attacker.example/sso"
    refused = await sign_in(browser, provider)

    assert refused.status_code == 400
    assert refused.json()["detail"].startswith("sign-in refused: ")
    assert "RFC 9207" in refused.json()["detail"]


@pytest.mark.parametrize("sso_config", [{"acr_values": "LoA3", "min_acr": "LoA3"}], indirect=True)
async def test_a_level_of_assurance_below_the_minimum_gets_a_page_naming_both(
    browser: httpx.AsyncClient, provider: StandInProvider
) -> None:
    provider.id_token_claims = {"acr": "LoA2"}

    refused = await sign_in(browser, provider)

    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("text/html")
    page = refused.text
    assert page.index("Mức độ xác thực chưa đủ") < page.index("Level of assurance too low")
    assert "mức <strong>LoA3</strong>" in page and "mức <strong>LoA2</strong>" in page
    assert "level <strong>LoA3</strong>" in page and "only <strong>LoA2</strong>" in page
    assert (await browser.get("/sso/me")).status_code == 401


@pytest.mark.parametrize("sso_config", [{"retries": 1}], indirect=True)
async def test_a_provider_that_is_down_is_a_502_naming_it(
    browser: httpx.AsyncClient, provider: StandInProvider
) -> None:
    provider.down = True

    failed = await browser.get("/sso/login")

    assert failed.status_code == 502
    assert "national SSO provider" in failed.json()["detail"]
    assert "national_sso: discovery: HTTP 503" in failed.json()["detail"]
