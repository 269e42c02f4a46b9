"""The conformance report: every request a client sent, checked against the national contracts,
rendered for an acceptance board in Vietnamese and English."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from starlette.applications import Starlette
from typer.testing import CliRunner

from mocks.app import create_mocks_app
from mocks.conformance import build_report, journals_from_app, write_report
from mocks.server import MocksServer
from tests.mocks.document_axis.samples import THANH_HOA, Caller
from tests.mocks.samples import Portal, client_of, dossier


@pytest.fixture(scope="module")
def demo_mocks(tmp_path_factory: pytest.TempPathFactory) -> Starlette:
    """The mocks of a short ``lienthong demo`` run (20 dossiers), once it is over."""
    import asyncio

    import gateway.demo.runner as runner

    made: list[Starlette] = []

    def keep(**options: Any) -> Starlette:
        app = create_mocks_app(**options)
        made.append(app)
        return app

    # the demo's servers configure uvicorn's loggers for the whole process; later tests that
    # read the access log through the root logger need them as they were
    names = ("uvicorn", "uvicorn.access", "uvicorn.error")
    saved = {n: _logger_state(logging.getLogger(n)) for n in names}
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(runner, "create_mocks_app", keep)
            options = runner.DemoOptions(
                dossiers=20, exit=True, port=0, report_folder=tmp_path_factory.mktemp("report")
            )
            summary = asyncio.run(runner.run_demo(options, Console(file=io.StringIO())))
    finally:
        for name, (handlers, level, propagate) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate
    assert summary.settled
    return made[0]


def _logger_state(logger: logging.Logger) -> tuple[list[logging.Handler], int, bool]:
    return logger.handlers[:], logger.level, logger.propagate


@pytest.mark.e2e
def test_the_report_of_the_demo_finds_the_gateway_conformant(
    demo_mocks: Starlette, tmp_path: Path
) -> None:
    report = build_report(journals_from_app(demo_mocks, "lienthong demo --dossiers 20"))
    written = write_report(report, tmp_path)

    portal = report.system("national_portal")
    assert portal.requests > 20
    assert portal.score == 100
    assert portal.invalid_count == 0
    assert {"DongBoHoSoMC", "CapNhatTienDoHoSoMC"} <= set(portal.called)
    assert "LayDanhMucLinhVuc" in portal.never_called
    assert report.system("document_axis").score == 100
    assert report.system("national_sso").score is None
    assert [p.name for p in written] == [
        "conformance.vi.html",
        "conformance.vi.md",
        "conformance.en.html",
        "conformance.en.md",
        "conformance.json",
    ]
    vietnamese = (tmp_path / "conformance.vi.md").read_text(encoding="utf-8")
    english = (tmp_path / "conformance.en.html").read_text(encoding="utf-8")
    assert "# Báo cáo kiểm tra tuân thủ đặc tả" in vietnamese
    assert (
        "| Cổng Dịch vụ công quốc gia (National Public Service Portal) (`national_portal`) |"
        in vietnamese
    )
    assert "Dịch vụ chưa từng được gọi" in vietnamese
    assert '<html lang="en">' in english
    assert "Conformance score: 100 / 100" in english


async def test_invalid_requests_are_listed_with_every_reason() -> None:
    app = create_mocks_app()
    async with client_of(app, "http://mocks.test/national-portal") as http:
        portal = Portal(http)
        await portal.login()
        await portal.call("DongBoHoSoMC", isUpdating="False", data=[dossier(KenhThucHien="9")])
        broken = dossier("000.00.01.H56-250301-00013", NgayTiepNhan="01/03/2025")
        del broken["TrangThaiHoSo"]
        await portal.call("DongBoHoSoMC", isUpdating="False", data=[broken])
        await portal.call("TraCuuHoSo", MaHoSo="000.00.01.H56-250301-00012")
    async with client_of(app, "http://mocks.test/document-axis") as http:
        await Caller(http, THANH_HOA).refused("SendDocument", ("package", "not base64!"))

    report = build_report(journals_from_app(app))

    portal = report.system("national_portal")
    assert (portal.requests, portal.invalid_count, portal.score) == (4, 2, 50)
    reasons = [i.reasons for i in portal.invalid]
    assert reasons[0] == ['data[0].KenhThucHien: must be one of "", "1", "2", "3"']
    assert "data[0].TrangThaiHoSo: is required" in reasons[1]
    assert any(r.startswith("data[0].NgayTiepNhan: must match") for r in reasons[1])
    assert "data[].NgayTra" in portal.always_empty["DongBoHoSoMC"]
    axis = report.system("document_axis")
    assert (axis.invalid_count, axis.score) == (1, 0)
    assert axis.invalid[0].reasons[0].startswith("package:")
    assert "GetOrganizations" in axis.never_called


def test_the_command_reads_the_journals_of_running_mocks(tmp_path: Path) -> None:
    from gateway.cli import cli

    with MocksServer(create_mocks_app()) as server:
        result = CliRunner().invoke(
            cli, ["mocks", "report", "--journal-from", server.url, "--output", str(tmp_path)]
        )

    assert result.exit_code == 0, result.output
    assert "national_portal: —, 0 invalid" in result.output
    assert (tmp_path / "conformance.en.md").is_file()
