"""A gateway with its console, in process, and browsers (httpx clients) signed in to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from gateway.app import create_app
from gateway.bootstrap import Gateway
from gateway.console import invitations
from gateway.settings import ConsoleRole, Settings
from tests.gateway.fakes import FakeAxis, FakePortal

SignIn = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path}/gateway.db",
        worker_enabled=False,
        document_poller_enabled=False,
        sqlite_synchronous="NORMAL",
        keys_dir=tmp_path / "keys",
        console_roles={"sso-operator": ConsoleRole.operator},
    )


@pytest.fixture
def portal() -> FakePortal:
    return FakePortal()


@pytest.fixture
async def app(settings: Settings, portal: FakePortal) -> AsyncIterator[FastAPI]:
    application = create_app(
        settings, adapters={"national_portal": portal, "document_axis": FakeAxis()}
    )
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def gateway(app: FastAPI) -> Gateway:
    built: Gateway = app.state.gateway
    return built


@pytest.fixture
async def browser(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A browser with no session yet."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        yield client


async def invite(gateway: Gateway, name: str, role: ConsoleRole) -> str:
    """The path of a fresh one-time sign-in link."""
    token = await gateway.store.write(lambda connection: invitations.invite(connection, name, role))
    return f"/console/invitation/{token}"


@pytest.fixture
def sign_in(gateway: Gateway, browser: httpx.AsyncClient) -> SignIn:
    """Signs the browser in with an invitation as ``name`` with ``role``."""

    async def signed_in(
        role: ConsoleRole = ConsoleRole.operator, name: str = "Trần Thị Bình"
    ) -> httpx.AsyncClient:
        reply = await browser.get(await invite(gateway, name, role))
        assert reply.status_code == 303, reply.text
        return browser

    return signed_in


def csrf_of(page: str) -> str:
    """The CSRF token a console page put in its forms."""
    marker = 'name="csrf" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]
