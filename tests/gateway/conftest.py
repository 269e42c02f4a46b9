from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from gateway.app import create_app
from gateway.bootstrap import Gateway
from gateway.settings import Settings
from tests.gateway.fakes import FakeAxis, FakePortal


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A gateway on a fresh SQLite file, its worker driven by the test (``run_once``)."""
    return Settings(
        database_url=f"sqlite:///{tmp_path}/gateway.db",
        worker_enabled=False,
        retry_base_seconds=0.0,
        sqlite_synchronous="NORMAL",
        document_poller_enabled=False,
        keys_dir=tmp_path / "keys",
        document_max_bytes=200_000,
    )


@pytest.fixture
def portal() -> FakePortal:
    return FakePortal()


@pytest.fixture
def axis() -> FakeAxis:
    return FakeAxis()


@pytest.fixture
async def app(settings: Settings, portal: FakePortal, axis: FakeAxis) -> AsyncIterator[FastAPI]:
    application = create_app(settings, adapters={"national_portal": portal, "document_axis": axis})
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def gateway(app: FastAPI) -> Gateway:
    built: Gateway = app.state.gateway
    return built


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as c:
        c.headers["Authorization"] = f"Bearer {await demo_token(c)}"
        yield c


async def demo_token(client: httpx.AsyncClient, scope: str | None = None) -> str:
    """A token for the demo client, fetched the way any API client does."""
    form = {"grant_type": "client_credentials", **({"scope": scope} if scope else {})}
    reply = await client.post("/oauth/token", data=form, auth=("demo", "demo-secret"))
    reply.raise_for_status()
    token: str = reply.json()["access_token"]
    return token
