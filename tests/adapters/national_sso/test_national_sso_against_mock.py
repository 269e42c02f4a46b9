"""The national SSO adapter against the SSO mock in process (``httpx.ASGITransport``): sign-ins
of citizens and businesses, client authentication with a secret that needs form-encoding, RFC
9207, the minimum level of assurance, the mock's broken tokens, and the provider down."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

from adapters.errors import AuthError, TransientError
from adapters.national_sso import AssuranceTooLow, SignInRefused
from mocks.national_sso import DEFAULT_CLIENT, SsoClient, create_app, seeded_accounts
from tests.adapters.national_sso.conftest import REDIRECT_URL, MakeSso, sign_in

MOCK = "http://127.0.0.1:8700"
ISSUER = f"{MOCK}/sso"
SECRET = "a+b%2Fc/d e"
"""A secret that only survives form-encoding: ``+``, ``%2F`` and a space read differently raw."""
TRICKY = SsoClient("tricky", SECRET, redirect_uris=(REDIRECT_URL,))
ACCOUNTS = seeded_accounts()
CITIZEN = next(a for a in ACCOUNTS if a.claims["LoaiTaiKhoan"] == 1)
BUSINESS = next(a for a in ACCOUNTS if a.claims["LoaiTaiKhoan"] == 2)


@pytest.fixture
def transport() -> httpx.ASGITransport:
    app = Starlette(routes=[Mount("/sso", app=create_app(clients=(DEFAULT_CLIENT, TRICKY)))])
    return httpx.ASGITransport(app=app)


@pytest.fixture
async def browser(transport: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=transport, base_url=MOCK) as client:
        yield client


@pytest.fixture
def on_mock(make_sso: MakeSso, transport: httpx.ASGITransport) -> MakeSso:
    def build(**overrides: Any) -> Any:
        return make_sso(url=ISSUER, transport=transport, **overrides)

    return build


async def test_a_citizen_signs_in_with_the_national_claims(
    on_mock: MakeSso, browser: httpx.AsyncClient
) -> None:
    signed = await sign_in(on_mock(), browser, login_hint=CITIZEN.id)

    assert signed.claims["sub"] == signed.claims["TechID"] == CITIZEN.tech_id
    assert signed.claims["SoDinhDanh"] == CITIZEN.id
    assert signed.claims["HoVaTen"] == CITIZEN.display_name
    assert signed.claims["LoaiTaiKhoan"] == 1
    assert signed.claims["acr"] == "LoA1"
    assert signed.claims["iss"] == ISSUER


async def test_a_business_signs_in(on_mock: MakeSso, browser: httpx.AsyncClient) -> None:
    signed = await sign_in(on_mock(), browser, login_hint=BUSINESS.id)

    assert signed.claims["MaSoDoanhNghiep"] == BUSINESS.id
    assert signed.claims["LoaiTaiKhoan"] == 2


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
async def test_a_secret_with_plus_percent_and_slash_authenticates(
    on_mock: MakeSso, browser: httpx.AsyncClient, method: str
) -> None:
    sso = on_mock(client_id=TRICKY.client_id, client_secret=SECRET, client_auth_method=method)

    signed = await sign_in(sso, browser, login_hint=CITIZEN.id)

    assert signed.claims["SoDinhDanh"] == CITIZEN.id


async def test_a_wrong_secret_is_an_auth_error_naming_the_client(
    on_mock: MakeSso, browser: httpx.AsyncClient, sleeps: list[float]
) -> None:
    sso = on_mock(client_secret="wrong")

    with pytest.raises(AuthError, match=r"refused the gateway's client.*invalid_client"):
        await sign_in(sso, browser, login_hint=CITIZEN.id)
    assert sleeps == []


async def test_the_mocks_iss_is_required_once_advertised(
    on_mock: MakeSso, browser: httpx.AsyncClient
) -> None:
    with pytest.raises(SignInRefused, match="RFC 9207"):
        await sign_in(on_mock(), browser, login_hint=CITIZEN.id, drop_iss=True)


async def test_a_level_below_the_minimum_is_refused(
    on_mock: MakeSso, browser: httpx.AsyncClient
) -> None:
    sso = on_mock(acr_values="LoA3 LoA1", min_acr="LoA3")

    with pytest.raises(AssuranceTooLow) as refused:
        await sign_in(sso, browser, login_hint=CITIZEN.id)

    assert (refused.value.asked, refused.value.given) == ("LoA3", "LoA1")


async def test_a_level_the_provider_grants_signs_in(
    on_mock: MakeSso, browser: httpx.AsyncClient
) -> None:
    signed = await sign_in(
        on_mock(acr_values="LoA2", min_acr="LoA2"), browser, login_hint=CITIZEN.id
    )

    assert signed.claims["acr"] == "LoA2"


@pytest.mark.parametrize(
    ("switch", "said"),
    [("expired_tokens", "expired"), ("wrong_issuer", "iss"), ("bad_signature", "signature")],
)
async def test_the_mocks_broken_id_tokens_are_refused(
    on_mock: MakeSso, browser: httpx.AsyncClient, switch: str, said: str
) -> None:
    await browser.post("/sso/__admin/switches", json={switch: True})

    with pytest.raises(SignInRefused, match=said):
        await sign_in(on_mock(), browser, login_hint=CITIZEN.id)


async def test_a_rotated_key_is_accepted(on_mock: MakeSso, browser: httpx.AsyncClient) -> None:
    sso = on_mock()
    await sign_in(sso, browser, login_hint=CITIZEN.id)
    await browser.post("/sso/__admin/rotate-keys")

    signed = await sign_in(sso, browser, login_hint=CITIZEN.id)

    assert signed.claims["SoDinhDanh"] == CITIZEN.id


async def test_a_code_redeemed_twice_is_refused(
    on_mock: MakeSso, browser: httpx.AsyncClient
) -> None:
    sso = on_mock()
    url, pending = await sso.start("/", login_hint=CITIZEN.id)
    callback = httpx.URL((await browser.get(url)).headers["location"])
    code, iss = callback.params["code"], callback.params["iss"]
    await sso.finish(code, pending, iss=iss)

    with pytest.raises(SignInRefused, match="invalid_grant"):
        await sso.finish(code, pending, iss=iss)


async def test_a_provider_down_is_transient_after_the_configured_attempts(
    on_mock: MakeSso, browser: httpx.AsyncClient, sleeps: list[float]
) -> None:
    fault = {"service": "discovery", "status": 503}
    assert (await browser.post("/sso/__admin/faults", json=fault)).status_code == 201

    with pytest.raises(TransientError, match="national_sso: discovery: HTTP 503"):
        await on_mock(retries=3).start("/")

    assert len(sleeps) == 2


async def test_a_token_endpoint_that_hangs_is_transient(
    on_mock: MakeSso, browser: httpx.AsyncClient
) -> None:
    sso = on_mock(retries=1, timeout=0.2, deadline=0.2)
    url, pending = await sso.start("/", login_hint=CITIZEN.id)
    callback = httpx.URL((await browser.get(url)).headers["location"])
    fault = {"service": "token", "hang": {"max_s": 5}}
    assert (await browser.post("/sso/__admin/faults", json=fault)).status_code == 201

    with pytest.raises(TransientError, match="token: no answer in time"):
        await sso.finish(callback.params["code"], pending, iss=callback.params["iss"])


async def test_end_session_url_reaches_the_mocks_logout(
    on_mock: MakeSso, browser: httpx.AsyncClient
) -> None:
    sso = on_mock()
    signed = await sign_in(sso, browser, login_hint=CITIZEN.id)

    url = await sso.end_session_url(id_token=signed.id_token, post_logout="http://127.0.0.1:8600/")

    assert url is not None
    ended = await browser.get(url)
    assert ended.status_code == 302
    assert ended.headers["location"] == "http://127.0.0.1:8600/"
