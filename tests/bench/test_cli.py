"""``python -m bench`` options: sections picked, quick counts, where the README table goes."""

from __future__ import annotations

import pytest

from bench import cli


def test_a_full_run_measures_every_section_and_writes_the_readme_table() -> None:
    options = cli.parse([])
    assert options.sections == cli.SECTIONS
    assert options.backlog == 1_000_000
    assert options.drain == 100_000
    assert options.readme == cli.README


def test_sections_run_in_one_order_whichever_way_they_are_named() -> None:
    assert cli.parse(["--only", "backlog,gateway"]).sections == ("gateway", "backlog")
    skipped = cli.parse(["--skip", "mocks, stores"]).sections
    assert "mocks" not in skipped and "stores" not in skipped
    assert "backlog" in skipped


def test_every_named_section_has_a_measurement() -> None:
    assert tuple(cli._WITH_MOCKS) + tuple(cli._ON_THEIR_OWN) == cli.SECTIONS


def test_an_unknown_section_is_refused_with_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.parse(["--only", "gateway,wiremock"])
    assert "unknown section(s) wiremock" in capsys.readouterr().err


def test_quick_shrinks_the_counts_and_leaves_the_readme_alone() -> None:
    options = cli.parse(["--quick"])
    assert options.quick
    assert options.backlog < 100_000
    assert options.drain <= options.backlog
    assert options.mock_seconds < 15
    assert options.readme is None
    assert "profile" not in options.sections
    assert "profile" in cli.parse(["--quick", "--profile", "50"]).sections


def test_a_partial_run_leaves_the_readme_alone_unless_asked() -> None:
    assert cli.parse(["--only", "backlog"]).readme is None
    assert cli.parse(["--no-profile"]).readme is None
    assert cli.parse(["--no-readme"]).readme is None


def test_zero_counts_drop_their_sections() -> None:
    sections = cli.parse(["--edxml", "0", "--lookups", "0", "--no-profile"]).sections
    assert not {"edxml", "lookups", "profile"} & set(sections)
