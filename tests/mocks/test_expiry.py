"""Expire every session and token of a mock at once: the client must notice and sign in again."""

from __future__ import annotations

import httpx

from mocks import business_registry, document_axis
from tests.mocks.samples import CLIENT, FakeClock, Portal, client_of
from tests.mocks.test_platform_auth import fields, token_of

GRANT = {"grant_type": "client_credentials"}


async def test_the_portal_expires_its_sessions_and_tokens(portal: Portal) -> None:
    token = await token_of(portal.http)

    expired = await portal.http.post("/__admin/expire")

    assert expired.json() == {"expired": {"sessions": 1, "tokens": 1}}
    assert (await portal.call("LayDanhMucLinhVuc"))["error_code"] == "401"
    refused = await fields(portal.http, token)
    assert refused.status_code == 401
    assert "the access token expired" in refused.headers["www-authenticate"]
    await portal.login()
    assert (await portal.call("LayDanhMucLinhVuc"))["error_code"] == 0
    assert (await fields(portal.http, await token_of(portal.http))).status_code == 200


async def test_expiring_counts_only_live_credentials(portal: Portal, clock: FakeClock) -> None:
    await token_of(portal.http)
    clock.advance(301)

    expired = await portal.http.post("/__admin/expire")

    assert expired.json() == {"expired": {"sessions": 1, "tokens": 0}}


async def test_the_business_registry_expires_its_tokens() -> None:
    async with client_of(business_registry.create_app()) as http:
        token = (await http.post("/token", data=GRANT, auth=CLIENT)).json()["access_token"]
        sample = (await http.get("/__admin/sample", params={"n": 1})).json()["enterprises"][0]
        lookup = {"MaSoDoanhNghiep": sample["MaSoDoanhNghiep"]}
        bearer = {"Authorization": f"Bearer {token}"}
        served = await http.get("/TraCuuThongTinDoanhNghiep", params=lookup, headers=bearer)

        expired = await http.post("/__admin/expire")
        refused = await http.get("/TraCuuThongTinDoanhNghiep", params=lookup, headers=bearer)

    assert served.status_code == 200
    assert expired.json() == {"expired": {"tokens": 1}}
    assert refused.status_code == 401
    assert refused.json()["error_description"] == "the access token expired"


async def test_a_mock_without_sessions_or_tokens_says_so() -> None:
    async with client_of(document_axis.create_app(), "http://axis.test") as http:
        response = await http.post("/__admin/expire")

    assert response.status_code == 404
    assert response.json()["error"].startswith("expire:")


async def test_expiring_with_nothing_handed_out_counts_nothing(http: httpx.AsyncClient) -> None:
    response = await http.post("/__admin/expire")

    assert response.json() == {"expired": {"sessions": 0, "tokens": 0}}
