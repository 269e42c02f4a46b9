"""Fixtures for the inter-connected services adapter: the mock in process, a fake sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from adapters.linked_services import HttpLinkedServices, LinkedServicesConfig
from mocks.linked_services import create_app

MOCK_URL = "http://linked.test/linked-services"

MakeLinked = Callable[..., HttpLinkedServices]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def mock_app(clock: Clock) -> Starlette:
    return create_app(seed=5, clock=clock, today=date(2026, 12, 7))


@pytest.fixture
async def admin(mock_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=mock_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://linked.test") as client:
        yield client


def config(**overrides: Any) -> LinkedServicesConfig:
    values: dict[str, Any] = {
        "url": MOCK_URL,
        "username": "lienthong",
        "password": "lienthong-dev",
        "retries": 2,
        "retry_initial_wait": 0.0,
        "retry_max_wait": 0.0,
        **overrides,
    }
    return LinkedServicesConfig(**values)


@pytest.fixture
async def make_linked(mock_app: Starlette) -> AsyncIterator[MakeLinked]:
    """Adapters towards the mock in process (its path under a mount), closed after the test."""
    built: list[HttpLinkedServices] = []
    mounted = Starlette()
    mounted.mount("/linked-services", mock_app)

    async def no_sleep(seconds: float) -> None:
        return None

    def build(**overrides: Any) -> HttpLinkedServices:
        adapter = HttpLinkedServices(
            config(**overrides), transport=httpx.ASGITransport(app=mounted), sleep=no_sleep
        )
        built.append(adapter)
        return adapter

    yield build
    for adapter in built:
        await adapter.aclose()
