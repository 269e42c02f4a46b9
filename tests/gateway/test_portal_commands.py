"""``lienthong catalogue sync|diff|versions`` as an operator runs them, against the portal mock
(reached in process through the composition root)."""

from __future__ import annotations

import asyncio
import functools
import json
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp
from typer.testing import CliRunner

from gateway import bootstrap
from gateway.cli import cli
from gateway.operations import ActionQuery
from gateway.settings import Settings
from tests.gateway.fakes import FakeAxis
from tests.gateway.portal_mock import MOCK, portal_mock

runner = CliRunner()


@pytest.fixture
def mock() -> ASGIApp:
    return portal_mock()


@pytest.fixture
def settings(settings: Settings, mock: ASGIApp, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The commands' settings come from the environment; their portal is the mock in process."""
    monkeypatch.setenv("LIENTHONG_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LIENTHONG_KEYS_DIR", str(settings.keys_dir))
    monkeypatch.setenv("LIENTHONG_RECONCILE_CLOCK_SKEW_SECONDS", "0")
    monkeypatch.setattr(
        bootstrap,
        "build",
        functools.partial(
            bootstrap.build,
            adapters={"document_axis": FakeAxis()},
            transports={"national_portal": httpx.ASGITransport(app=mock)},
        ),
    )
    return Settings()


def _admin(mock: ASGIApp, method: str, path: str, body: Any = None) -> Any:
    async def call() -> Any:
        transport = httpx.ASGITransport(app=mock)
        async with httpx.AsyncClient(transport=transport, base_url=MOCK) as client:
            reply = await client.request(method, f"/__admin/{path}", json=body)
            assert reply.status_code in (200, 201), reply.text
            return reply.json()

    return asyncio.run(call())


def _in_gateway(settings: Settings, work: Any) -> Any:
    async def run() -> Any:
        gateway = bootstrap.build(settings)
        await gateway.store.migrate()
        try:
            return await work(gateway)
        finally:
            await gateway.close()

    return asyncio.run(run())


def test_catalogue_sync_then_diff_show_what_the_portal_changed(
    settings: Settings, mock: ASGIApp
) -> None:
    first = runner.invoke(cli, ["catalogue", "sync"])
    _admin(mock, "PUT", "procedures/1.999001", {"TenTTHC": "Thủ tục thử nghiệm"})
    _admin(mock, "DELETE", "procedures/1.000894")
    second = runner.invoke(cli, ["catalogue", "sync"])
    shown = runner.invoke(cli, ["catalogue", "diff"])
    as_json = runner.invoke(cli, ["catalogue", "diff", "--json", "--version", "2"])
    listed = runner.invoke(cli, ["catalogue", "versions"])
    missing = runner.invoke(cli, ["catalogue", "diff", "--version", "9"])

    assert first.exit_code == 0, first.output
    assert "Catalogue version 1:" in first.output
    assert second.exit_code == 0 and "Catalogue version 2:" in second.output
    assert "1.999001" in shown.output and "added" in shown.output
    assert "1.000894" in shown.output and "withdrawn" in shown.output
    changes = json.loads(as_json.stdout)["changes"]["procedures"]
    assert [a["code"] for a in changes["added"]] == ["1.999001"]
    assert [w["code"] for w in changes["withdrawn"]] == ["1.000894"]
    assert listed.exit_code == 0 and "2" in listed.output
    assert missing.exit_code == 2
    audited = _in_gateway(
        settings, lambda g: g.operations.actions(ActionQuery(action="catalogue-sync"))
    )
    assert audited.total == 2
