"""Fixtures for the population registry adapter's tests: the mock in process, fake sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from adapters.guard import SystemGuard
from adapters.population_registry import PopulationRegistryConfig, SoapPopulationRegistry
from adapters.population_registry.port import SYSTEM
from adapters.rate_limit import RateLimit
from adapters.retry_budget import RetryBudget

MOCK_URL = "http://mocks.test/population-registry/"

MakeRegistry = Callable[..., SoapPopulationRegistry]


@pytest.fixture
async def admin(mock_transport: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    """The mock's admin API (faults, journal, sample citizens)."""
    async with httpx.AsyncClient(transport=mock_transport, base_url=MOCK_URL) as client:
        yield client


@pytest.fixture
async def make_registry(
    sleeps: list[float], mock_transport: httpx.ASGITransport
) -> AsyncIterator[MakeRegistry]:
    """Build adapters on the mock (or on ``transport``) with the mock's seeded account.

    ``transport``, ``guard`` and ``clock`` go to the adapter, ``breaker`` into a guard of its
    own, every other keyword to the config.
    """
    built: list[SoapPopulationRegistry] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(**overrides: Any) -> SoapPopulationRegistry:
        settings: dict[str, Any] = {
            "url": MOCK_URL,
            "user": "lienthong",
            "secret": "lienthong-dev",
            "api_key": "lienthong-dev-key",
            "x_road_client": "VN/GOV/000.00.00.H56/LIENTHONG",
        }
        settings.update(overrides)
        extra = {
            name: settings.pop(name) for name in ("transport", "guard", "clock") if name in settings
        }
        extra.setdefault("transport", mock_transport)
        if "breaker" in settings:
            breaker = settings.pop("breaker")
            extra["guard"] = SystemGuard(breaker, RateLimit(SYSTEM), RetryBudget(SYSTEM))
        adapter = SoapPopulationRegistry(
            PopulationRegistryConfig(**settings), sleep=fake_sleep, **extra
        )
        built.append(adapter)
        return adapter

    yield build
    for adapter in built:
        await adapter.aclose()
