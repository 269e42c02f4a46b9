"""The SSO mock's expiry switch: every access token and pending code expires at once."""

from __future__ import annotations

import httpx

from mocks.national_sso import seeded_accounts
from tests.mocks.national_sso.conftest import authorize, exchange, new_login, tokens_for

CITIZEN = next(a for a in seeded_accounts() if a.claims["LoaiTaiKhoan"] == 1)


async def test_expire_makes_userinfo_refuse_the_tokens_handed_out(http: httpx.AsyncClient) -> None:
    _, tokens = await tokens_for(http, CITIZEN.id)
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert (await http.get("/sso/oauth2/userinfo", headers=bearer)).status_code == 200

    expired = await http.post("/sso/__admin/expire")
    refused = await http.get("/sso/oauth2/userinfo", headers=bearer)

    assert expired.json() == {"expired": {"tokens": 1, "codes": 0}}
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_token"


async def test_expire_makes_a_pending_code_unredeemable(http: httpx.AsyncClient) -> None:
    login = new_login()
    code = await authorize(http, login, CITIZEN.id)

    expired = await http.post("/sso/__admin/expire")
    refused = await exchange(http, login, code)

    assert expired.json() == {"expired": {"tokens": 0, "codes": 1}}
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
