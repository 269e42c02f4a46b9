"""The ``lienthong`` command speaks plainly: no library warnings, no raw markup."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from gateway import cli as cli_module
from gateway.cli import cli

LIENTHONG = Path(sys.executable).parent / "lienthong"


@pytest.mark.parametrize(
    "arguments",
    [
        ["--help"],
        ["serve", "--help"],
        ["worker", "--help"],
        ["mocks", "--help"],
        ["mocks", "report", "--help"],
        ["demo", "--help"],
        ["status", "--help"],
        ["operators", "invite", "--help"],
        ["doctor", "--help"],
        ["backfill", "--help"],
        ["dead-letters", "--help"],
        ["dead-letters", "list", "--help"],
        ["dead-letters", "replay", "--help"],
        ["dead-letters", "discard", "--help"],
        ["openapi"],
    ],
    ids=lambda arguments: " ".join(arguments),
)
def test_prints_no_warning_in_normal_use(arguments: list[str], tmp_path: Path) -> None:
    result = subprocess.run(
        [str(LIENTHONG), *arguments],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONWARNINGS": "default"},
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert "Warning" not in result.stdout
    if "--help" in arguments:
        assert "``" not in result.stdout


def test_serve_port_reaches_the_settings_so_sign_in_comes_back_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(app=app, **options))
    # the collector is set for the serving process, which here is the test run's
    monkeypatch.setattr(cli_module.collector, "settle", lambda: served.update(settled=True))
    # the command sets up logging on the runner's stream, which closes after the test
    monkeypatch.setattr(cli_module.log_format, "configure", lambda *args, **kwargs: None)
    monkeypatch.setenv("LIENTHONG_DATABASE_URL", f"sqlite:///{tmp_path}/gateway.db")
    monkeypatch.setenv("LIENTHONG_KEYS_DIR", str(tmp_path / "keys"))

    result = CliRunner().invoke(cli, ["serve", "--port", "8642"])

    assert result.exit_code == 0, result.output
    assert served["port"] == 8642
    assert served["settled"]
    assert served["app"].openapi_schema is not None, "built before the first request"
    gateway = served["app"].state.gateway
    assert gateway.settings.sso_callback_url == "http://127.0.0.1:8642/sso/callback"
    assert (
        gateway.national.configs["national_sso"].redirect_url == gateway.settings.sso_callback_url
    )
