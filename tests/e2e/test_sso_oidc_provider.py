"""National sign-on against a real third-party OpenID provider: panva's ``oidc-provider`` (npm),
run as a process on loopback, its login and consent pages submitted as a person would.

It holds the relying party to what a certified provider does: the client secret (with ``+``,
``%`` and ``/``) by ``client_secret_basic`` and ``client_secret_post``, ``private_key_jwt``, the
RFC 9207 ``iss`` it always sends, its scope-released national claims from userinfo, its discovery
document and claims against the contract (``openapi/national/national_sso``), and its
end-session endpoint; first the adapter alone, then a whole gateway on loopback configured for
the provider, which a browser signs in through.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc.jwk import RSAKey
from jsonschema import Draft202012Validator

from adapters.national_sso import OidcNationalSso, SignInRefused, SsoConfig
from gateway.app import create_app
from gateway.settings import Settings
from tests.e2e.oidc_provider_process import SECRET, OidcProviderProcess, through_provider
from tests.e2e.servers import ServerThread, free_port

pytestmark = pytest.mark.e2e

CONTRACT = Path(__file__).resolve().parents[2] / "openapi" / "national" / "national_sso"
CITIZEN = "068090000123"
BUSINESS = "0312345678"
CLIENT_KEY = RSAKey.generate_key(2048, private=True)
"""The gateway's key for ``private_key_jwt``; the provider holds its public half."""


@pytest.fixture(scope="module")
def gateway_port() -> int:
    """The port the gateway will listen on, known before the provider registers its callback."""
    return free_port()


@pytest.fixture(scope="module")
def provider(
    gateway_port: int, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OidcProviderProcess]:
    process = OidcProviderProcess(
        redirect_uris=[f"http://127.0.0.1:{gateway_port}/sso/callback"],
        client_jwks={"keys": [CLIENT_KEY.as_dict(private=False)]},
        log=tmp_path_factory.mktemp("oidc-provider") / "provider.log",
    )
    yield process.start()
    process.stop()


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "sso-client.pem"
    path.write_bytes(CLIENT_KEY.as_pem(private=True))
    return path


@pytest.fixture
async def adapters(
    provider: OidcProviderProcess, gateway_port: int
) -> AsyncIterator[list[OidcNationalSso]]:
    built: list[OidcNationalSso] = []
    yield built
    for adapter in built:
        await adapter.aclose()


def _adapter(
    provider: OidcProviderProcess, gateway_port: int, built: list[OidcNationalSso], **fields: Any
) -> OidcNationalSso:
    config = SsoConfig(
        url=provider.issuer,
        redirect_url=f"http://127.0.0.1:{gateway_port}/sso/callback",
        scopes="openid national",
        retries=1,
        **fields,
    )
    adapter = OidcNationalSso(config)
    built.append(adapter)
    return adapter


async def _sign_in(
    sso: OidcNationalSso,
    account: str,
    *,
    keep_iss: bool = True,
    browser: httpx.AsyncClient | None = None,
    pages: list[str] | None = None,
) -> Any:
    url, pending = await sso.start("/", login_hint=account)
    back_to = str(sso.config.redirect_url if isinstance(sso.config, SsoConfig) else "")
    async with httpx.AsyncClient() as fresh:
        callback = await through_provider(
            browser or fresh, url, account=account, back_to=back_to, pages=pages
        )
    assert callback.params["state"] == pending.state
    iss = callback.params.get("iss") if keep_iss else None
    return await sso.finish(callback.params["code"], pending, iss=iss)


@pytest.mark.parametrize(
    ("client", "fields"),
    [
        ("basic", {"client_secret": SECRET}),
        ("post", {"client_secret": SECRET, "client_auth_method": "client_secret_post"}),
        ("jwt", {"client_auth_method": "private_key_jwt"}),
    ],
)
async def test_the_adapter_signs_a_citizen_in_with_each_client_authentication(
    provider: OidcProviderProcess,
    gateway_port: int,
    adapters: list[OidcNationalSso],
    key_file: Path,
    client: str,
    fields: dict[str, Any],
) -> None:
    if client == "jwt":
        fields = {**fields, "private_key": key_file}
    sso = _adapter(provider, gateway_port, adapters, client_id=client, **fields)

    signed = await _sign_in(sso, CITIZEN)

    assert signed.claims["SoDinhDanh"] == CITIZEN
    assert signed.claims["HoVaTen"] == "Nguyễn Thị Lan"
    assert signed.claims["iss"] == provider.issuer
    assert signed.claims["aud"] == client


async def test_the_adapter_refuses_a_callback_without_the_iss_the_provider_advertises(
    provider: OidcProviderProcess, gateway_port: int, adapters: list[OidcNationalSso]
) -> None:
    sso = _adapter(provider, gateway_port, adapters, client_id="basic", client_secret=SECRET)

    with pytest.raises(SignInRefused, match="RFC 9207"):
        await _sign_in(sso, CITIZEN, keep_iss=False)


async def test_the_providers_discovery_and_claims_fit_the_contract(
    provider: OidcProviderProcess, gateway_port: int, adapters: list[OidcNationalSso]
) -> None:
    sso = _adapter(provider, gateway_port, adapters, client_id="basic", client_secret=SECRET)
    discovery = json.loads((CONTRACT / "discovery.json").read_text())
    claims = json.loads((CONTRACT / "claims.json").read_text())

    assert list(Draft202012Validator(discovery).iter_errors(dict(await sso.metadata()))) == []
    for account in (CITIZEN, BUSINESS):
        signed = await _sign_in(sso, account)
        assert list(Draft202012Validator(claims).iter_errors(dict(signed.claims))) == []


async def test_the_providers_end_session_ends_its_session_and_comes_back(
    provider: OidcProviderProcess, gateway_port: int, adapters: list[OidcNationalSso]
) -> None:
    sso = _adapter(provider, gateway_port, adapters, client_id="basic", client_secret=SECRET)
    back = f"http://127.0.0.1:{gateway_port}/"
    async with httpx.AsyncClient() as browser:
        first: list[str] = []
        signed = await _sign_in(sso, CITIZEN, browser=browser, pages=first)
        again: list[str] = []
        await _sign_in(sso, CITIZEN, browser=browser, pages=again)

        url = await sso.end_session_url(id_token=signed.id_token, post_logout=back)
        assert url is not None
        ended = await through_provider(browser, url, account=CITIZEN, back_to=back)
        after: list[str] = []
        await _sign_in(sso, CITIZEN, browser=browser, pages=after)

    assert first == ["login", "consent"]
    assert again == []
    assert str(ended).startswith(back)
    assert after[0] == "login"


@pytest.mark.parametrize(
    ("client", "method"), [("basic", "client_secret_basic"), ("post", "client_secret_post")]
)
async def test_a_person_signs_in_through_the_gateway(
    provider: OidcProviderProcess, gateway_port: int, tmp_path: Path, client: str, method: str
) -> None:
    gateway = f"http://127.0.0.1:{gateway_port}"
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/gateway.db",
        port=gateway_port,
        keys_dir=tmp_path / "keys",
        worker_enabled=False,
        document_poller_enabled=False,
    )
    sso = {
        "url": provider.issuer,
        "client_id": client,
        "client_secret": SECRET,
        "client_auth_method": method,
        "redirect_url": f"{gateway}/sso/callback",
        "scopes": "openid national",
    }
    app = create_app(settings, systems={"national_sso": sso})
    with ServerThread(app, port=gateway_port):
        async with httpx.AsyncClient() as browser:
            started = await browser.get(
                f"{gateway}/sso/login", params={"return_to": "/healthz", "login_hint": BUSINESS}
            )
            assert started.status_code == 302, started.text
            assert started.headers["location"].startswith(f"{provider.issuer}/auth?")
            callback = await through_provider(
                browser,
                started.headers["location"],
                account=BUSINESS,
                back_to=f"{gateway}/sso/callback",
            )
            assert callback.params["iss"] == provider.issuer
            back = await browser.get(str(callback))
            assert back.status_code == 302, back.text
            assert back.headers["location"] == "/healthz"

            me = await browser.get(f"{gateway}/sso/me")

            assert me.status_code == 200, me.text
            assert me.json() == {
                "account_id": "c9a3e1b2-0000-4000-8000-000312345678",
                "kind": "business",
                "personal_id": "068090000456",
                "enterprise_code": BUSINESS,
                "name": "Công ty TNHH Đà Lạt Xanh",
                "date_of_birth": "1980-01-01",
                "assurance": "LoA1",
            }
            out = await browser.post(f"{gateway}/sso/logout", params={"return_to": "/"})
            assert out.json()["end_session_url"].startswith(f"{provider.issuer}/session/end?")
            assert (await browser.get(f"{gateway}/sso/me")).status_code == 401
