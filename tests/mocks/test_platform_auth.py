"""Platform-style authentication: OAuth2 client credentials, bearer calls, 401 with a challenge."""

from __future__ import annotations

import httpx

from tests.mocks.samples import CLIENT, UNIT, FakeClock

GRANT = {"grant_type": "client_credentials"}


async def token_of(http: httpx.AsyncClient) -> str:
    response = await http.post("/token", data=GRANT, auth=CLIENT)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


async def fields(http: httpx.AsyncClient, token: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"}
    return await http.post("/services/LayDanhMucLinhVuc", json={"madonvi": UNIT}, headers=headers)


async def test_client_credentials_by_basic_auth_give_a_bearer_token(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post("/token", data=GRANT, auth=CLIENT)

    assert response.status_code == 200
    token = response.json()
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 300
    assert token["access_token"]
    assert response.headers["cache-control"] == "no-store"


async def test_client_credentials_in_the_form_body_are_accepted_too(
    http: httpx.AsyncClient,
) -> None:
    form = {**GRANT, "client_id": CLIENT[0], "client_secret": CLIENT[1]}

    response = await http.post("/token", data=form)

    assert response.status_code == 200
    assert response.json()["access_token"]


async def test_a_wrong_secret_is_invalid_client(http: httpx.AsyncClient) -> None:
    response = await http.post("/token", data=GRANT, auth=("lienthong", "wrong"))

    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert response.headers["www-authenticate"].startswith("Basic")


async def test_another_grant_type_is_unsupported(http: httpx.AsyncClient) -> None:
    response = await http.post("/token", data={"grant_type": "password"}, auth=CLIENT)

    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


async def test_a_bearer_call_with_a_fresh_token_is_answered(http: httpx.AsyncClient) -> None:
    response = await fields(http, await token_of(http))

    assert response.status_code == 200
    assert response.json()["error_code"] == 0


async def test_a_call_without_a_token_answers_401_with_a_bearer_challenge(
    http: httpx.AsyncClient,
) -> None:
    response = await http.post("/services/LayDanhMucLinhVuc", json={"madonvi": UNIT})

    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_an_expired_token_answers_401_invalid_token(
    http: httpx.AsyncClient, clock: FakeClock
) -> None:
    token = await token_of(http)
    clock.advance(299)
    assert (await fields(http, token)).status_code == 200

    clock.advance(1)
    response = await fields(http, token)

    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert response.json()["error"] == "invalid_token"


async def test_admin_revokes_every_token(http: httpx.AsyncClient) -> None:
    token = await token_of(http)

    revoked = (await http.post("/__admin/revoke-tokens")).json()

    assert revoked == {"revoked": 1}
    response = await fields(http, token)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


async def test_an_unknown_service_path_answers_404_naming_the_service(
    http: httpx.AsyncClient,
) -> None:
    headers = {"Authorization": f"Bearer {await token_of(http)}"}

    response = await http.post("/services/LayDanhMucXyz", json={"madonvi": UNIT}, headers=headers)

    assert response.status_code == 404
    assert response.json()["error_code"] == "01"
    assert "LayDanhMucXyz" in response.json()["message"]


async def test_platform_bodies_are_checked_against_the_same_schemas(
    http: httpx.AsyncClient,
) -> None:
    headers = {"Authorization": f"Bearer {await token_of(http)}"}

    response = await http.post("/services/TraCuuHoSo", json={"madonvi": UNIT}, headers=headers)

    assert response.json() == {"error_code": "01", "message": "MaHoSo: is required", "result": []}
