"""Fixtures for the national reporting adapter's tests: the mock in process, a fake sleep."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from adapters.national_reporting import HttpNationalReporting, NationalReportingConfig

MOCK_URL = "http://mocks.test/national-reporting"

MakeReporting = Callable[..., HttpNationalReporting]


@pytest.fixture
async def admin(mock_transport: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    """The mock's admin API (faults, journal, scenario)."""
    async with httpx.AsyncClient(transport=mock_transport, base_url=MOCK_URL) as client:
        yield client


@pytest.fixture
async def make_reporting(
    sleeps: list[float], mock_transport: httpx.ASGITransport
) -> AsyncIterator[MakeReporting]:
    """Build adapters on the mock with the fake sleep; keywords go to the config."""
    built: list[HttpNationalReporting] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(**overrides: Any) -> HttpNationalReporting:
        settings: dict[str, Any] = {
            "url": MOCK_URL,
            "client_id": "lienthong",
            "client_secret": "lienthong-dev",
            **overrides,
        }
        adapter = HttpNationalReporting(
            NationalReportingConfig(**settings), transport=mock_transport, sleep=fake_sleep
        )
        built.append(adapter)
        return adapter

    yield build
    for adapter in built:
        await adapter.aclose()
