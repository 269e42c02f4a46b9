"""Fixtures for the business registry mock's tests: the app in process, on a clock tests move."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.types import ASGIApp

from mocks.business_registry import create_app
from tests.mocks.samples import CLIENT, FakeClock, client_of

GRANT = {"grant_type": "client_credentials"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(clock: FakeClock) -> ASGIApp:
    return create_app(clock=clock, token_lifetime_seconds=300)


@pytest.fixture
async def http(app: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app) as client:
        yield client


@pytest.fixture
async def authed(http: httpx.AsyncClient) -> httpx.AsyncClient:
    """The client with a fresh bearer token in its default headers."""
    response = await http.post("/token", data=GRANT, auth=CLIENT)
    http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"
    return http
