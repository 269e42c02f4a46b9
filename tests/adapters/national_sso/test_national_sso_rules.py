"""The OpenID Connect rules the national SSO adapter holds, each broken on purpose by a stand-in
provider: ID token checks (Core §3.1.3.7), keys without kid (Core §10.1), userinfo's subject
(Core §5.3.2), the authorization response's issuer (RFC 9207), the minimum level of assurance,
client authentication (RFC 6749 §2.3.1) and the configured scopes."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import unquote_plus

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from adapters.errors import PermanentError
from adapters.national_sso import AssuranceTooLow, OidcNationalSso, SignInRefused
from tests.adapters.national_sso.conftest import MakeSso, sign_in
from tests.oidc_stand_in import CITIZEN, ISSUER, KEY, StandInProvider

OTHER_KEY = RSAKey.generate_key(2048, parameters={"kid": "k2"})


@pytest.fixture
async def browser(stand_in: StandInProvider) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=stand_in.transport()) as client:
        yield client


async def test_signs_a_citizen_in_with_pkce_state_nonce_and_acr_values(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    signed = await sign_in(make_sso(), browser, login_hint="acc-0001")

    assert signed.claims["SoDinhDanh"] == "068090000123"
    assert signed.claims["acr"] == "LoA2"
    assert jwt.decode(signed.id_token, KEY).claims["sub"] == "acc-0001"
    asked = stand_in.authorize_params
    assert asked["code_challenge_method"] == "S256" and len(asked["code_challenge"]) == 43
    assert asked["acr_values"] == "LoA1"
    assert asked["login_hint"] == "acc-0001"
    assert asked["nonce"] and asked["state"] and asked["scope"] == "openid"


async def test_asks_for_the_configured_scopes_and_levels(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    await sign_in(make_sso(scopes="openid profile vneid", acr_values="LoA2 LoA3"), browser)

    assert stand_in.authorize_params["scope"] == "openid profile vneid"
    assert stand_in.authorize_params["acr_values"] == "LoA2 LoA3"


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        ({"nonce": "replayed"}, "nonce"),
        ({"audience": "another-client"}, "aud"),
        ({"expires_in": -3600}, "expired"),
        ({"alg": "none"}, "only RS256"),
        ({"kid": "unknown"}, "lacks"),
        ({"id_token_claims": {"azp": "another-client"}}, "azp"),
        ({"key": OTHER_KEY, "published": [KEY]}, "signature"),
        ({"omit_kid": True, "key": OTHER_KEY, "published": [KEY]}, "signature"),
    ],
)
async def test_refuses_a_bad_id_token(
    make_sso: MakeSso,
    stand_in: StandInProvider,
    browser: httpx.AsyncClient,
    fault: dict[str, Any],
    said: str,
) -> None:
    for name, value in fault.items():
        setattr(stand_in, name, value)

    with pytest.raises(SignInRefused, match=said):
        await sign_in(make_sso(), browser)


async def test_reads_the_jwks_again_when_the_provider_rotates_its_key(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    sso = make_sso()
    await sign_in(sso, browser)
    stand_in.key, stand_in.kid = OTHER_KEY, "k2"

    await sign_in(sso, browser)

    assert stand_in.jwks_reads == 2


async def test_a_token_without_kid_is_verified_with_the_providers_only_key(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    stand_in.omit_kid = True

    signed = await sign_in(make_sso(), browser)

    assert signed.claims["sub"] == "acc-0001"


async def test_a_token_without_kid_is_refused_when_the_provider_has_several_keys(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    stand_in.omit_kid = True
    stand_in.published = [KEY, OTHER_KEY]

    with pytest.raises(SignInRefused, match=r"no key \(kid\).*holds 2 .*§10.1"):
        await sign_in(make_sso(), browser)


async def test_a_token_without_kid_after_the_only_key_changed_reads_the_jwks_again(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    stand_in.omit_kid = True
    sso = make_sso()
    await sign_in(sso, browser)
    stand_in.key = OTHER_KEY

    signed = await sign_in(sso, browser)

    assert signed.claims["sub"] == "acc-0001"
    assert stand_in.jwks_reads == 2


async def test_userinfo_without_a_subject_is_refused(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    del stand_in.userinfo["sub"]

    with pytest.raises(SignInRefused, match=r"names no subject \(sub\)"):
        await sign_in(make_sso(), browser)


async def test_userinfo_of_another_subject_is_refused(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    stand_in.userinfo["sub"] = "acc-0002"

    with pytest.raises(SignInRefused, match="another subject"):
        await sign_in(make_sso(), browser)


async def test_userinfo_completes_the_id_token_but_never_overrides_it(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    stand_in.id_token_claims = {"acr": "LoA2", "HoVaTen": "Nguyễn Thị Lan"}
    stand_in.userinfo = {**CITIZEN, "acr": "LoA4", "HoVaTen": "Kẻ Giả Mạo", "iss": "x"}

    signed = await sign_in(make_sso(), browser)

    assert signed.claims["acr"] == "LoA2"
    assert signed.claims["HoVaTen"] == "Nguyễn Thị Lan"
    assert signed.claims["iss"] == ISSUER
    assert signed.claims["SoDinhDanh"] == "068090000123"


async def test_an_advertised_iss_must_come_back_with_the_authorization_response(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    stand_in.iss_supported = stand_in.send_iss = True
    sso = make_sso()

    assert (await sign_in(sso, browser)).claims["sub"] == "acc-0001"
    with pytest.raises(SignInRefused, match=r"carries no iss.*RFC 9207"):
        await sign_in(sso, browser, drop_iss=True)
    assert len(stand_in.token_requests) == 1


async def test_an_authorization_response_from_another_issuer_is_refused_before_the_exchange(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    stand_in.send_iss = True
    stand_in.iss = "https://attacker.example/sso"

    with pytest.raises(SignInRefused, match=r"attacker\.example.*RFC 9207"):
        await sign_in(make_sso(), browser)
    assert stand_in.token_requests == []


async def test_an_unadvertised_iss_is_not_required(
    make_sso: MakeSso, browser: httpx.AsyncClient
) -> None:
    assert (await sign_in(make_sso(), browser, drop_iss=True)).claims["sub"] == "acc-0001"


async def test_a_level_of_assurance_below_the_minimum_is_refused_naming_both(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    stand_in.id_token_claims = {"acr": "LoA2"}
    stand_in.userinfo = {**CITIZEN, "acr": "LoA4"}

    with pytest.raises(AssuranceTooLow) as refused:
        await sign_in(make_sso(acr_values="LoA3", min_acr="LoA3"), browser)

    assert (refused.value.asked, refused.value.given) == ("LoA3", "LoA2")
    assert isinstance(refused.value, PermanentError)
    assert "LoA2" in str(refused.value) and "LoA3" in str(refused.value)


async def test_an_id_token_naming_no_level_is_refused_when_a_minimum_is_set(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    stand_in.id_token_claims = {}

    with pytest.raises(AssuranceTooLow) as refused:
        await sign_in(make_sso(min_acr="LoA1"), browser)

    assert refused.value.given is None


async def test_a_level_at_or_above_the_minimum_signs_in(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    stand_in.id_token_claims = {"acr": "LoA3"}

    signed = await sign_in(make_sso(acr_values="LoA2", min_acr="LoA2"), browser)

    assert signed.claims["acr"] == "LoA3"


SECRET = "a+b%2Fc/d"


def _basic_credentials(headers: httpx.Headers) -> tuple[str, str]:
    scheme, _, value = headers["authorization"].partition(" ")
    assert scheme == "Basic"
    client_id, _, secret = base64.b64decode(value).decode().partition(":")
    return client_id, secret


async def test_client_secret_basic_form_encodes_id_and_secret(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    stand_in.audience = "lien thong"

    await sign_in(make_sso(client_id="lien thong", client_secret=SECRET), browser)

    client_id, secret = _basic_credentials(stand_in.token_requests[0])
    assert (client_id, secret) == ("lien+thong", "a%2Bb%252Fc%2Fd")
    assert unquote_plus(secret) == SECRET


async def test_client_secret_post_sends_the_secret_in_the_form(
    make_sso: MakeSso, stand_in: StandInProvider, browser: httpx.AsyncClient
) -> None:
    sso = make_sso(client_secret=SECRET, client_auth_method="client_secret_post")

    await sign_in(sso, browser)

    assert "authorization" not in stand_in.token_requests[0]


async def test_end_session_url_carries_the_id_token_as_hint(
    make_sso: MakeSso, browser: httpx.AsyncClient
) -> None:
    sso: OidcNationalSso = make_sso()
    signed = await sign_in(sso, browser)

    url = await sso.end_session_url(id_token=signed.id_token, post_logout="http://gw.test/")

    assert url is not None and url.startswith(f"{ISSUER}/oauth2/logout?")
    params = httpx.URL(url).params
    assert params["id_token_hint"] == signed.id_token
    assert params["post_logout_redirect_uri"] == "http://gw.test/"
    assert params["client_id"] == "lienthong"
