"""Fixtures for the axis mock's tests: the mock in process, callers of several organisations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import httpx
import pytest
from starlette.applications import Starlette

from mocks.document_axis import create_app
from mocks.document_axis.axis import VIETNAM
from tests.mocks.document_axis.samples import (
    GOVERNMENT_OFFICE,
    NGHE_AN,
    THANH_HOA,
    THANH_HOA_JUSTICE,
    Caller,
)
from tests.mocks.samples import client_of

NOW = datetime(2025, 3, 1, 9, 30, 0, tzinfo=VIETNAM)


@pytest.fixture
def app() -> Starlette:
    return create_app(clock=lambda: NOW)


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app, "http://axis.test") as client:
        yield client


@pytest.fixture
def thanh_hoa(http: httpx.AsyncClient) -> Caller:
    return Caller(http, THANH_HOA)


@pytest.fixture
def nghe_an(http: httpx.AsyncClient) -> Caller:
    return Caller(http, NGHE_AN)


@pytest.fixture
def justice(http: httpx.AsyncClient) -> Caller:
    return Caller(http, THANH_HOA_JUSTICE)


@pytest.fixture
def government_office(http: httpx.AsyncClient) -> Caller:
    return Caller(http, GOVERNMENT_OFFICE)
