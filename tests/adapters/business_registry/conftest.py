"""Fixtures for the business registry adapter's tests: the mock in process, a fake sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from adapters.breaker import CircuitBreaker
from adapters.business_registry import BusinessRegistryConfig, HttpBusinessRegistry
from adapters.business_registry.port import SYSTEM
from adapters.guard import SystemGuard
from adapters.rate_limit import RateLimit
from adapters.retry_budget import RetryBudget

MOCK_URL = "http://mocks.test/business-registry"

MakeRegistry = Callable[..., HttpBusinessRegistry]


@pytest.fixture
async def admin(mock_transport: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    """The mock's admin API (faults, journal, sample records)."""
    async with httpx.AsyncClient(transport=mock_transport, base_url=MOCK_URL) as client:
        yield client


@pytest.fixture
async def make_registry(
    sleeps: list[float], mock_transport: httpx.ASGITransport
) -> AsyncIterator[MakeRegistry]:
    """Build adapters on the mock (or on ``transport``), with the fake sleep; closed after.

    ``transport`` and ``guard`` go to the adapter, ``breaker`` into a guard of its own, every
    other keyword to the config.
    """
    built: list[HttpBusinessRegistry] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(**overrides: Any) -> HttpBusinessRegistry:
        settings: dict[str, Any] = {
            "url": MOCK_URL,
            "client_id": "lienthong",
            "client_secret": "lienthong-dev",
        }
        settings.update(overrides)
        transport = settings.pop("transport", mock_transport)
        breaker: CircuitBreaker | None = settings.pop("breaker", None)
        guard: SystemGuard | None = settings.pop("guard", None)
        if breaker is not None:
            guard = SystemGuard(breaker, RateLimit(SYSTEM), RetryBudget(SYSTEM))
        adapter = HttpBusinessRegistry(
            BusinessRegistryConfig(**settings),
            transport=transport,
            guard=guard,
            sleep=fake_sleep,
        )
        built.append(adapter)
        return adapter

    yield build
    for adapter in built:
        await adapter.aclose()
