"""OAuth2 through the integration platform (style 2): token cached, replaced, re-fetched once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator

import httpx
import pytest
import respx

from adapters import AuthError, HttpNationalPortal, TransientError

PROCEDURES = {
    "error_code": "00",
    "message": "Lấy dữ liệu thành công",
    "result": [{"MaTTHC": "1.001193", "TenTTHC": "Đăng ký khai sinh"}],
}


def _tokens(portal: respx.MockRouter, lifetimes: Iterator[int] | None = None) -> respx.Route:
    numbers = iter(range(1, 100))

    def issue(request: httpx.Request) -> httpx.Response:
        lifetime = next(lifetimes) if lifetimes is not None else 3600
        token = {"access_token": f"t{next(numbers)}", "token_type": "Bearer"}
        return httpx.Response(200, json={**token, "expires_in": lifetime})

    return portal.post("/token").mock(side_effect=issue)


def _bearers(route: respx.Route) -> list[str]:
    return [call.request.headers["Authorization"] for call in route.calls]


async def test_fetches_one_token_and_uses_it_for_every_call(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    tokens = _tokens(portal)
    service = portal.post("/services/LayDanhSachTTHC").mock(
        return_value=httpx.Response(200, json=PROCEDURES)
    )
    adapter = make_adapter(auth="oauth2")

    for _ in range(3):
        assert [p.MaTTHC for p in await adapter.list_procedures()] == ["1.001193"]

    assert tokens.call_count == 1
    grant = tokens.calls[0].request
    assert grant.content == b"grant_type=client_credentials"
    assert grant.headers["Authorization"].startswith("Basic ")
    assert _bearers(service) == ["Bearer t1"] * 3
    assert json.loads(service.calls[0].request.content) == {"madonvi": "000.00.00.H56"}


async def test_replaces_a_token_that_expires_within_the_leeway_before_using_it(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    tokens = _tokens(portal, lifetimes=iter([30, 3600, 3600]))
    service = portal.post("/services/LayDanhSachTTHC").mock(
        return_value=httpx.Response(200, json=PROCEDURES)
    )
    adapter = make_adapter(auth="oauth2", token_leeway=60)

    await adapter.list_procedures()
    await adapter.list_procedures()

    assert tokens.call_count == 2
    assert _bearers(service) == ["Bearer t2", "Bearer t2"]


async def test_fetches_a_new_token_once_when_the_platform_answers_401(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    tokens = _tokens(portal)
    revoked = {"Bearer t1"}

    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers["Authorization"] in revoked:
            return httpx.Response(401, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return httpx.Response(200, json=PROCEDURES)

    service = portal.post("/services/LayDanhSachTTHC").mock(side_effect=answer)
    adapter = make_adapter(auth="oauth2")

    assert [p.MaTTHC for p in await adapter.list_procedures()] == ["1.001193"]
    assert tokens.call_count == 2
    assert _bearers(service) == ["Bearer t1", "Bearer t2"]


async def test_a_second_401_after_a_new_token_is_an_auth_error(
    portal: respx.MockRouter,
    make_adapter: Callable[..., HttpNationalPortal],
    sleeps: list[float],
) -> None:
    tokens = _tokens(portal)
    service = portal.post("/services/LayDanhSachTTHC").mock(return_value=httpx.Response(401))
    adapter = make_adapter(auth="oauth2")

    with pytest.raises(AuthError, match="HTTP 401"):
        await adapter.list_procedures()
    assert tokens.call_count == 2
    assert service.call_count == 2
    assert sleeps == []


async def test_refused_client_credentials_are_an_auth_error(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    portal.post("/token").mock(return_value=httpx.Response(401, json={"error": "invalid_client"}))
    service = portal.post("/services/LayDanhSachTTHC")
    adapter = make_adapter(auth="oauth2")

    with pytest.raises(AuthError, match="invalid_client"):
        await adapter.list_procedures()
    assert service.call_count == 0


async def test_token_endpoint_overloaded_is_transient_and_retried(
    portal: respx.MockRouter,
    make_adapter: Callable[..., HttpNationalPortal],
    sleeps: list[float],
) -> None:
    tokens = portal.post("/token").mock(
        return_value=httpx.Response(503, headers={"Retry-After": "2"})
    )
    adapter = make_adapter(auth="oauth2")

    with pytest.raises(TransientError) as raised:
        await adapter.list_procedures()
    assert not isinstance(raised.value, AuthError)
    assert raised.value.retry_after == 2.0
    assert tokens.call_count == 3
    assert sleeps == [2.0, 2.0]


async def test_concurrent_calls_share_one_token(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    tokens = _tokens(portal)
    portal.post("/services/LayDanhSachTTHC").mock(return_value=httpx.Response(200, json=PROCEDURES))
    adapter = make_adapter(auth="oauth2")

    await asyncio.gather(*(adapter.list_procedures() for _ in range(5)))

    assert tokens.call_count == 1
