"""Fixtures for the adapters' tests: the mocks in process, a fake sleep for retries, and for the
portal adapter's tests a fake network (respx)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

from adapters.national_portal import HttpNationalPortal, PortalConfig
from mocks import create_mocks_app

PORTAL_URL = "http://portal.test/national-portal"


@pytest.fixture
def sleeps() -> list[float]:
    """The waits tenacity asked for, in order; nothing really sleeps."""
    return []


@pytest.fixture
def mock_transport() -> httpx.ASGITransport:
    """``lienthong mocks`` in process: the adapters' tests reach each mock through it."""
    return httpx.ASGITransport(app=create_mocks_app())


@pytest.fixture
def portal() -> Iterator[respx.MockRouter]:
    """The portal's network, faked: tests add routes relative to the portal's base URL."""
    with respx.mock(base_url=PORTAL_URL, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def make_adapter(sleeps: list[float]) -> AsyncIterator[Callable[..., HttpNationalPortal]]:
    """Build adapters with a test configuration (overridable) and the fake sleep; closed after.

    ``transport`` and ``guard`` go to the adapter, every other keyword to ``PortalConfig``.
    """
    built: list[HttpNationalPortal] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(**overrides: Any) -> HttpNationalPortal:
        settings: dict[str, Any] = {
            "url": PORTAL_URL,
            "unit_code": "000.00.00.H56",
            "username": "lienthong",
            "password": "secret",
            "client_id": "lienthong",
            "client_secret": "secret",
            "retries": 3,
            "retry_initial_wait": 0.5,
            "retry_max_wait": 10.0,
        }
        settings.update(overrides)
        transport = settings.pop("transport", None)
        guard = settings.pop("guard", None)
        adapter = HttpNationalPortal(
            PortalConfig(**settings), transport=transport, guard=guard, sleep=fake_sleep
        )
        built.append(adapter)
        return adapter

    yield build
    for adapter in built:
        await adapter.aclose()
