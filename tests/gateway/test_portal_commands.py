"""``lienthong catalogue sync|diff|versions`` and ``lienthong reconcile`` as an operator runs them,
against the portal mock (reached in process through the composition root)."""

from __future__ import annotations

import asyncio
import functools
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.types import ASGIApp
from typer.testing import CliRunner

from gateway import bootstrap
from gateway.cli import cli
from gateway.dossiers import accept_dossiers
from gateway.operations import ActionQuery
from gateway.settings import Settings
from mappings.dossier import Dossier
from tests.gateway.fakes import FakeAxis
from tests.gateway.portal_mock import MOCK, deliver_all, portal_mock
from tests.gateway.samples import dossier_json, step_json

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


def test_reconcile_writes_the_plan_applies_it_and_then_finds_nothing(
    settings: Settings, mock: ASGIApp, tmp_path: Path
) -> None:
    async def push(gateway: bootstrap.Gateway) -> None:
        dossiers = [
            Dossier.model_validate(dossier_json(n, progress=[step_json(10)])) for n in range(1, 5)
        ]
        await gateway.store.write(lambda c: accept_dossiers(c, dossiers, gateway.dossier_targets))
        await deliver_all(gateway)

    _in_gateway(settings, push)
    _admin(mock, "POST", "mishaps", {"lose": 1, "alter": 1, "seed": 3})
    plan_file = tmp_path / "plan.json"

    found = runner.invoke(cli, ["reconcile", "--output", str(plan_file)])
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    applied = runner.invoke(cli, ["reconcile", "--apply", "--reason", "cổng mất hồ sơ"])
    _in_gateway(settings, deliver_all)
    after = runner.invoke(cli, ["reconcile"])
    bad_day = runner.invoke(cli, ["reconcile", "--since", "07/12/2026"])

    assert found.exit_code == 1, found.output
    assert plan["compared"] == 4 and plan["summary"]["dossiers"] == 2
    assert plan["summary"]["missing"] == 1
    assert "--apply" in found.output
    assert applied.exit_code == 0, applied.output
    assert "events queued" in applied.output
    assert after.exit_code == 0 and "0 differ" in after.output
    assert bad_day.exit_code == 2
