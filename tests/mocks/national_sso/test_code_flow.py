"""The code flow as a relying party sees it, verified with the provider's published keys."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidClaimError
from joserfc.jwk import KeySet

from mocks.national_sso import seeded_accounts
from tests.mocks.national_sso.conftest import (
    CLIENT,
    ISSUER,
    REDIRECT_URI,
    authorize,
    exchange,
    new_login,
    query_of,
    tokens_for,
)

ACCOUNTS = seeded_accounts()
CITIZEN = next(a for a in ACCOUNTS if a.claims["LoaiTaiKhoan"] == 1)
BUSINESS = next(a for a in ACCOUNTS if a.claims["LoaiTaiKhoan"] == 2)


async def key_set(http: httpx.AsyncClient) -> KeySet:
    config = (await http.get("/sso/.well-known/openid-configuration")).json()
    jwks = (await http.get(config["jwks_uri"].removeprefix("http://127.0.0.1:8700"))).json()
    return KeySet.import_key_set(jwks)


async def verified(http: httpx.AsyncClient, id_token: str, nonce: str) -> dict[str, Any]:
    token = jwt.decode(id_token, await key_set(http), algorithms=["RS256"])
    registry = jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": CLIENT[0]},
        nonce={"essential": True, "value": nonce},
        sub={"essential": True},
        exp={"essential": True},
    )
    registry.validate(token.claims)
    return {"header": token.header, **token.claims}


async def test_discovery_names_the_issuer_as_mounted(http: httpx.AsyncClient) -> None:
    config = (await http.get("/sso/.well-known/openid-configuration")).json()
    assert config["issuer"] == ISSUER
    assert config["token_endpoint"] == f"{ISSUER}/oauth2/token"
    assert config["end_session_endpoint"] == f"{ISSUER}/oauth2/logout"
    assert config["code_challenge_methods_supported"] == ["S256"]


async def test_login_page_lists_citizens_and_businesses(http: httpx.AsyncClient) -> None:
    response = await http.get("/sso/oauth2/authorize", params=new_login().params())
    assert response.status_code == 200
    assert response.text.count('name="account"') == len(ACCOUNTS) == 25
    assert CITIZEN.claims["HoVaTen"] in response.text
    assert BUSINESS.claims["TenDoanhNghiep"] in response.text


async def test_login_page_button_redirects_with_code_and_state(http: httpx.AsyncClient) -> None:
    login = new_login()
    response = await http.post(
        "/sso/oauth2/authorize", data={**login.params(), "account": CITIZEN.id}
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(REDIRECT_URI + "?")
    assert query_of(location)["state"] == login.state
    assert (await exchange(http, login, query_of(location)["code"])).status_code == 200


async def test_code_flow_issues_id_token_that_verifies_with_jwks(http: httpx.AsyncClient) -> None:
    login, tokens = await tokens_for(http, CITIZEN.id)
    assert tokens["token_type"].lower() == "bearer"
    assert tokens["expires_in"] > 0
    claims = await verified(http, tokens["id_token"], login.nonce)
    assert claims["header"]["kid"] == "sso-1"
    assert claims["sub"] == CITIZEN.tech_id
    assert claims["acr"] == "LoA1"
    assert claims["iat"] <= claims["exp"]


async def test_client_secret_post_is_accepted(http: httpx.AsyncClient) -> None:
    login = new_login()
    code = await authorize(http, login, CITIZEN.id, acr_values="LoA2")
    response = await http.post(
        "/sso/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": login.verifier,
            "client_id": CLIENT[0],
            "client_secret": CLIENT[1],
        },
    )
    assert response.status_code == 200, response.text
    assert (await verified(http, response.json()["id_token"], login.nonce))["acr"] == "LoA2"


async def test_wrong_client_secret_is_refused(http: httpx.AsyncClient) -> None:
    login = new_login()
    code = await authorize(http, login, CITIZEN.id)
    response = await http.post(
        "/sso/oauth2/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": login.verifier,
        },
        auth=(CLIENT[0], "wrong"),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


async def test_userinfo_of_citizen_has_national_claims(http: httpx.AsyncClient) -> None:
    _, tokens = await tokens_for(http, CITIZEN.id)
    response = await http.get(
        "/sso/oauth2/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert response.status_code == 200
    info = response.json()
    assert info["LoaiTaiKhoan"] == 1
    assert info["SoDinhDanh"] == CITIZEN.id
    assert info["TechID"] == info["sub"] == CITIZEN.tech_id
    assert len(info["NgayThangNamSinh"]) == 8 and info["NgayThangNamSinh"].isdigit()
    assert info["GioiTinh"] in ("1", "2")
    assert info["HoVaTen"] and info["ThuongTru"]
    assert info["acr"] == "LoA1" and info["loAs"] == ["LoA1"]


async def test_userinfo_of_business_has_enterprise_and_representative(
    http: httpx.AsyncClient,
) -> None:
    _, tokens = await tokens_for(http, BUSINESS.id)
    response = await http.get(
        "/sso/oauth2/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    info = response.json()
    assert info["LoaiTaiKhoan"] == 2
    assert info["MaSoDoanhNghiep"] == info["MaSoThue"] == BUSINESS.id
    assert info["TenDoanhNghiep"].startswith("Công ty") or info["TenDoanhNghiep"]
    assert len(info["SoDinhDanh"]) == 12 and info["HoVaTen"]


async def test_userinfo_without_valid_token_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.get("/sso/oauth2/userinfo", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


async def test_unregistered_redirect_uri_is_refused_without_redirect(
    http: httpx.AsyncClient,
) -> None:
    params = new_login().params(redirect_uri="http://evil.example/sso/callback")
    response = await http.get("/sso/oauth2/authorize", params={**params, "login_hint": CITIZEN.id})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert "Location" not in response.headers


async def test_authorization_without_pkce_is_refused(http: httpx.AsyncClient) -> None:
    params = new_login().params()
    del params["code_challenge"], params["code_challenge_method"]
    response = await http.get("/sso/oauth2/authorize", params=params)
    assert response.status_code == 302
    assert query_of(response.headers["Location"])["error"] == "invalid_request"


async def test_wrong_pkce_verifier_is_refused(http: httpx.AsyncClient) -> None:
    login = new_login()
    code = await authorize(http, login, CITIZEN.id)
    response = await exchange(http, login, code, code_verifier=new_login().verifier)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_code_cannot_be_redeemed_twice(http: httpx.AsyncClient) -> None:
    login = new_login()
    code = await authorize(http, login, CITIZEN.id)
    assert (await exchange(http, login, code)).status_code == 200
    again = await exchange(http, login, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


async def test_rotation_signs_with_new_key_and_keeps_old_published(
    http: httpx.AsyncClient,
) -> None:
    login, before = await tokens_for(http, CITIZEN.id)
    rotated = (await http.post("/sso/__admin/rotate-keys")).json()
    assert rotated["kid"] == "sso-2"
    kids = [k["kid"] for k in (await http.get("/sso/jwks")).json()["keys"]]
    assert kids == ["sso-1", "sso-2"]
    assert (await verified(http, before["id_token"], login.nonce))["header"]["kid"] == "sso-1"
    login, after = await tokens_for(http, CITIZEN.id)
    assert (await verified(http, after["id_token"], login.nonce))["header"]["kid"] == "sso-2"


@pytest.mark.parametrize(
    ("switch", "error"),
    [
        ("expired_tokens", ExpiredTokenError),
        ("wrong_issuer", InvalidClaimError),
        ("bad_signature", BadSignatureError),
    ],
)
async def test_switch_makes_id_tokens_fail_verification(
    http: httpx.AsyncClient, switch: str, error: type[Exception]
) -> None:
    response = await http.post("/sso/__admin/switches", json={switch: True})
    assert response.json()[switch] is True
    login, tokens = await tokens_for(http, CITIZEN.id)
    with pytest.raises(error):
        await verified(http, tokens["id_token"], login.nonce)


async def test_unknown_switch_is_refused(http: httpx.AsyncClient) -> None:
    response = await http.post("/sso/__admin/switches", json={"slow": True})
    assert response.status_code == 400
    assert "slow" in response.json()["error"]


async def test_logout_redirects_to_registered_uri_with_state(http: httpx.AsyncClient) -> None:
    _, tokens = await tokens_for(http, CITIZEN.id)
    response = await http.get(
        "/sso/oauth2/logout",
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": "http://127.0.0.1:8000/",
            "state": "s1",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "http://127.0.0.1:8000/?state=s1"
    info = await http.get(
        "/sso/oauth2/userinfo", headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert info.status_code == 401


async def test_logout_refuses_unregistered_redirect(http: httpx.AsyncClient) -> None:
    _, tokens = await tokens_for(http, CITIZEN.id)
    response = await http.get(
        "/sso/oauth2/logout",
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": "http://evil.example/",
        },
    )
    assert response.status_code == 400
    assert "post_logout_redirect_uri" in response.json()["error_description"]


async def test_admin_state_and_journal_see_the_flow(http: httpx.AsyncClient) -> None:
    await tokens_for(http, CITIZEN.id)
    state = (await http.get("/sso/__admin/state")).json()
    assert state["logins"] == 1 and state["kids"] == ["sso-1"]
    journal = (await http.get("/sso/__admin/journal", params={"service": "token"})).json()
    assert journal["entries"][0]["status"] == 200
