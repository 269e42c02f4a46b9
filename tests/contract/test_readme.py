"""The README tells a newcomer the truth: its settings tables are the ones the code generates."""

from __future__ import annotations

from pathlib import Path

from gateway.settings_doc import tables, with_tables
from gateway.systems import LEGACY

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_settings_tables_are_the_generated_ones() -> None:
    assert with_tables(README) == README, "run `make readme` to regenerate the settings tables"
    assert tables() in README


def test_every_variable_of_an_earlier_release_is_explained() -> None:
    for variable in LEGACY:
        assert f"`{variable}`" in README


def test_the_two_commands_come_first() -> None:
    top = README[:1200]
    assert "make demo" in top and "make test" in top
