"""Fixtures: the population registry mock in process, on a clock the test sets."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.applications import Starlette

from mocks.population import Person, population
from mocks.population_registry import create_app
from tests.mocks.population_registry.samples import BASE, Clock, Registry
from tests.mocks.samples import client_of


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(clock: Clock) -> Starlette:
    return create_app(clock=clock)


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app, BASE) as client:
        yield client


@pytest.fixture
def registry(http: httpx.AsyncClient, clock: Clock) -> Registry:
    return Registry(http, clock)


@pytest.fixture
def adult() -> Person:
    return next(p for p in population().adults() if p.old_id is None)


@pytest.fixture
def with_old_id() -> Person:
    return next(p for p in population().adults() if p.old_id is not None)
