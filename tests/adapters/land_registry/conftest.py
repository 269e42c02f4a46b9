"""Fixtures for the land registry adapter's tests: the mock in process, a fake sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from adapters.land_registry import HttpLandRegistry, LandRegistryConfig

MOCK_URL = "http://mocks.test/land-registry"

MakeLand = Callable[..., HttpLandRegistry]


@pytest.fixture
async def admin(mock_transport: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    """The mock's admin API (faults, journal, stories, sample parcels)."""
    async with httpx.AsyncClient(transport=mock_transport, base_url=MOCK_URL) as client:
        yield client


@pytest.fixture
async def make_land(
    sleeps: list[float], mock_transport: httpx.ASGITransport
) -> AsyncIterator[MakeLand]:
    """Build adapters on the mock (or on ``transport``), with the fake sleep; closed after.
    ``transport`` goes to the adapter, every other keyword to the config."""
    built: list[HttpLandRegistry] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(**overrides: Any) -> HttpLandRegistry:
        settings: dict[str, Any] = {
            "url": MOCK_URL,
            "client_id": "lienthong",
            "client_secret": "lienthong-dev",
            "username": "lienthong",
            "password": "lienthong-dev",
        }
        settings.update(overrides)
        transport = settings.pop("transport", mock_transport)
        adapter = HttpLandRegistry(
            LandRegistryConfig(**settings), transport=transport, sleep=fake_sleep
        )
        built.append(adapter)
        return adapter

    yield build
    for adapter in built:
        await adapter.aclose()
