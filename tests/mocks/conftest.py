"""Fixtures for the mocks' tests: a portal mock in process, on a clock the test moves."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.types import ASGIApp

from mocks.national_portal import create_app
from tests.mocks.samples import FakeClock, Portal, client_of


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(clock: FakeClock) -> ASGIApp:
    return create_app(clock=clock, session_idle_seconds=600, token_lifetime_seconds=300)


@pytest.fixture
async def http(app: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app) as client:
        yield client


@pytest.fixture
async def portal(http: httpx.AsyncClient) -> Portal:
    client = Portal(http)
    await client.login()
    return client
