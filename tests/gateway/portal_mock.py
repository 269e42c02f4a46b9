"""A gateway whose portal adapter reaches the real portal mock in process, and helpers to drive
its worker and read what the mock holds (for the questions, catalogue and reconciliation
tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from starlette.types import ASGIApp

from gateway.app import create_app
from gateway.bootstrap import Gateway
from gateway.outbox import State
from gateway.settings import Settings
from gateway.store.schema import outbox
from mocks import create_mocks_app
from tests.gateway.conftest import demo_token
from tests.gateway.fakes import FakeAxis

MOCK = "http://mocks.test/national-portal"
"""The portal mock's base, as the national mocks serve it together (the adapter's default
address is the portal's path under ``LIENTHONG_MOCKS_URL``)."""


@asynccontextmanager
async def gateway_with_portal(
    settings: Settings, mock: ASGIApp, **systems: dict[str, object]
) -> AsyncIterator[FastAPI]:
    application = create_app(
        settings,
        systems=systems or None,
        adapters={"document_axis": FakeAxis()},
        transports={"national_portal": httpx.ASGITransport(app=mock)},
    )
    async with application.router.lifespan_context(application):
        yield application


def portal_mock() -> ASGIApp:
    """Every national mock, as ``lienthong mocks`` serves them; the gateway reaches the
    portal's."""
    return create_mocks_app()


@asynccontextmanager
async def api_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        client.headers["Authorization"] = f"Bearer {await demo_token(client)}"
        yield client


@asynccontextmanager
async def admin_of(mock: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=mock)
    async with httpx.AsyncClient(transport=transport, base_url=MOCK) as client:
        yield client


async def deliver_all(gateway: Gateway, *, rounds: int = 50) -> None:
    """Run the worker until nothing is pending (retries are due at once in these tests)."""
    for _ in range(rounds):
        await gateway.worker.run_once()
        pending = await gateway.store.read(
            lambda c: c.execute(outbox.select().where(outbox.c.state == State.pending.value)).all()
        )
        if not pending:
            return
    raise AssertionError(f"{len(pending)} events still pending after {rounds} rounds")


async def states(gateway: Gateway) -> dict[str, int]:
    rows = await gateway.store.read(lambda c: c.execute(outbox.select()).all())
    found: dict[str, int] = {}
    for row in rows:
        found[row.state] = found.get(row.state, 0) + 1
    return found


def held(reply: httpx.Response) -> Any:
    assert reply.status_code == 200, reply.text
    return reply.json()
