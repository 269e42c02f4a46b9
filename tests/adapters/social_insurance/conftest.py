"""Fixtures for the insurance database adapter's tests: the mock in process, a fake sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from adapters.social_insurance import HttpSocialInsurance, SocialInsuranceConfig

MOCK_URL = "http://mocks.test/social-insurance"

MakeDatabase = Callable[..., HttpSocialInsurance]


@pytest.fixture
async def admin(mock_transport: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    """The mock's admin API (faults, journal, samples)."""
    async with httpx.AsyncClient(transport=mock_transport, base_url=MOCK_URL) as client:
        yield client


@pytest.fixture
async def make_database(
    sleeps: list[float], mock_transport: httpx.ASGITransport
) -> AsyncIterator[MakeDatabase]:
    """Build adapters on the mock (or on ``transport``), with the fake sleep; closed after.
    ``transport`` and ``clock`` go to the adapter, every other keyword to the config."""
    built: list[HttpSocialInsurance] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(**overrides: Any) -> HttpSocialInsurance:
        settings: dict[str, Any] = {
            "url": MOCK_URL,
            "user": "lienthong",
            "secret": "lienthong-dev",
            "api_key": "lienthong-dev-key",
            "x_road_client": "VN/GOV/000.00.00.H56/LIENTHONG",
        }
        settings.update(overrides)
        transport = settings.pop("transport", mock_transport)
        options = {"clock": settings.pop("clock")} if "clock" in settings else {}
        adapter = HttpSocialInsurance(
            SocialInsuranceConfig(**settings), transport=transport, sleep=fake_sleep, **options
        )
        built.append(adapter)
        return adapter

    yield build
    for adapter in built:
        await adapter.aclose()
