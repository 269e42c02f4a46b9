"""Fixtures for the document axis adapter's tests: adapters with a fake sleep, closed after."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from adapters.document_axis import AxisConfig, SoapDocumentAxis
from tests.adapters.document_axis.samples import AXIS_URL, PASSWORD, THANH_HOA, MakeAxis


@pytest.fixture
async def make_axis(sleeps: list[float]) -> AsyncIterator[MakeAxis]:
    """Build adapters with a test configuration (overridable) and the fake sleep.

    ``transport`` and ``guard`` are passed to the adapter, every other keyword to ``AxisConfig``.
    """
    built: list[SoapDocumentAxis] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    def build(**overrides: Any) -> SoapDocumentAxis:
        settings: dict[str, Any] = {
            "url": AXIS_URL,
            "username": THANH_HOA,
            "password": PASSWORD,
            "retries": 3,
            "retry_initial_wait": 0.5,
            "retry_max_wait": 10.0,
        }
        settings.update(overrides)
        transport = settings.pop("transport", None)
        guard = settings.pop("guard", None)
        adapter = SoapDocumentAxis(
            AxisConfig(**settings), transport=transport, guard=guard, sleep=fake_sleep
        )
        built.append(adapter)
        return adapter

    yield build
    for adapter in built:
        await adapter.aclose()
