"""The README tells a newcomer the truth: every setting appears in its configuration table."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme(name: str) -> None:
    assert f"`LIENTHONG_{name.upper()}`" in README


def test_the_two_commands_come_first() -> None:
    top = README[:1200]
    assert "make demo" in top and "make test" in top
