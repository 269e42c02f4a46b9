"""The pytest plugin as another vendor's test suite uses it: run in process by pytester, in a
folder of its own, with nothing of lienthong's tests around it."""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parent / "plugin_example"
# In process, the mocks are imported already: pytest cannot rewrite the plugin's asserts again.
INI = """
[pytest]
asyncio_default_fixture_loop_scope = function
filterwarnings = ignore::pytest.PytestAssertRewriteWarning
"""


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    pytester.makeini(INI)
    # the outer run may have collected the example under the same module names
    for name in ("test_one_stop_client", "one_stop"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    return pytester


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    for name in ("one_stop.py", "scenario.yaml", "test_one_stop_client.py"):
        shutil.copy(EXAMPLE / name, pytester.path / name)
    return pytester


def test_the_example_suite_passes_on_its_own(suite: pytest.Pytester) -> None:
    result = suite.runpytest_inprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=4)


def test_a_failed_assertion_prints_the_near_miss_report(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        test_mismatch="""
        from test_one_stop_client import dossier
        from one_stop import OneStopClient

        def test_expects_another_dossier(national_mocks):
            client = OneStopClient(
                national_mocks.national_portal.url,
                username="lienthong", password="lienthong-dev", unit="000.00.01.H56",
            )
            client.login()
            client.push(dossier("000.00.01.H56-250301-0001"))
            national_mocks.assert_received(
                "national_portal", "DongBoHoSoMC",
                where={"data[*].MaHoSo": "000.00.01.H56-250301-0009"},
            )
        """
    )

    result = suite.runpytest_inprocess("-p", "no:cacheprovider", "test_mismatch.py")

    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "E * national_portal received no DongBoHoSoMC with "
            'data[[]*[]].MaHoSo = "000.00.01.H56-250301-0009".',
            "E * Its journal holds 2 requests; the 2 closest, closest first:",
            "E * #2 POST /api DongBoHoSoMC, *, HTTP 200: 1 of 2 met",
            'E * data[[]*[]].MaHoSo: expected "000.00.01.H56-250301-0009", '
            'got "000.00.01.H56-250301-0001"',
            "E * #1 POST /login login, *: 0 of 2 met",
        ]
    )
    assert "raise AssertionError(describe_misses" not in result.stdout.str()


def _servers() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name.startswith("mocks on")}


def test_a_suite_that_asks_for_no_mocks_starts_none(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVERS_BEFORE", "|".join(sorted(_servers())))
    pytester.makepyfile(
        """
        import os
        import threading

        def test_plain():
            before = set(filter(None, os.environ["SERVERS_BEFORE"].split("|")))
            now = {t.name for t in threading.enumerate() if t.name.startswith("mocks on")}
            assert now <= before
        """
    )

    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)
    assert os.environ["SERVERS_BEFORE"] is not None


def test_a_scenario_file_with_a_mistake_names_its_line(suite: pytest.Pytester) -> None:
    suite.makefile(
        ".yaml",
        broken="""
        version: 1
        mocks:
          national_portal:
            stories:
              - name: typo
                entity: dossier
                steps:
                  - {on: DongBoHoSoMC, answer: exist}
        """,
    )
    suite.makepyfile(
        test_broken="""
        import pytest

        @pytest.mark.national_mocks(scenario="broken.yaml")
        def test_never_runs(national_mocks):
            pass
        """
    )

    result = suite.runpytest_inprocess("-p", "no:cacheprovider", "test_broken.py")

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*broken.yaml:8:40: mocks.national_portal.stories[[]0[]].steps[[]0[]].answer: "
            "'exist' is not an answer of this mock; it offers exists, expired, not_found, refuse"
        ]
    )


def test_the_suite_s_own_run_becomes_the_conformance_evidence(
    suite: pytest.Pytester, tmp_path: Path
) -> None:
    folder = tmp_path / "evidence"

    result = suite.runpytest_inprocess(
        "-p", "no:cacheprovider", f"--national-mocks-report={folder}"
    )

    result.assert_outcomes(passed=4)
    report = json.loads((folder / "conformance.json").read_text(encoding="utf-8"))
    portal = next(s for s in report["systems"] if s["name"] == "national_portal")
    assert portal["requests"] == 14
    assert (portal["invalid_count"], portal["score"]) == (0, 100)
    assert portal["called"]["login"] == 5
    assert (folder / "conformance.vi.html").is_file()
