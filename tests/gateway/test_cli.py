"""The ``lienthong`` command speaks plainly: no library warnings, no raw markup."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

LIENTHONG = Path(sys.executable).parent / "lienthong"


@pytest.mark.parametrize(
    "arguments",
    [
        ["--help"],
        ["serve", "--help"],
        ["worker", "--help"],
        ["mocks", "--help"],
        ["demo", "--help"],
        ["status", "--help"],
        ["openapi"],
    ],
    ids=lambda arguments: " ".join(arguments),
)
def test_prints_no_warning_in_normal_use(arguments: list[str], tmp_path: Path) -> None:
    result = subprocess.run(  # noqa: S603 - our own command
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
