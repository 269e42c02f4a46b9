"""The national mocks as pytest fixtures, for any test suite (installed as the ``pytest11`` entry
point ``lienthong_mocks``).

``national_mocks`` gives a test every national mock on a real HTTP server on loopback (one
uvicorn server thread, started on a free port the first time a test asks for it, for the whole
session), every mock reset before the test, and a client of their admin API
(``mocks.client.NationalMocks``):

.. code-block:: python

    def test_pushes_the_dossier(national_mocks):
        portal = national_mocks.national_portal
        my_one_stop_system.push(portal.url, dossier)          # the code under test
        national_mocks.assert_received(
            "national_portal", "DongBoHoSoMC", where={"data[*].MaHoSo": dossier["MaHoSo"]}
        )

A test may load a scenario file with ``@pytest.mark.national_mocks(scenario="file.yaml")`` (the
path relative to the test's file) or ``national_mocks.load_scenario(path)``.

Options: ``--national-mocks-url URL`` uses mocks already running there (``lienthong mocks``)
instead of starting them; ``--national-mocks-seed N`` seeds their data and dice (default 0);
``--national-mocks-report DIR`` keeps every test's journals and, when the session ends, writes
the conformance report of all of them there (``mocks.conformance``): evidence for an acceptance
board from the suite's own run.

Nothing here runs unless a test asks for a fixture: no autouse fixture, and nothing heavy is
imported when pytest loads the plugin.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from mocks.client import NationalMocks

MARKER = "national_mocks"


@dataclass(slots=True)
class _Evidence:
    """Every test's journals, kept for the report written when the session ends."""

    folder: Path
    entries: dict[str, list[Any]] = field(default_factory=dict)
    services: dict[str, list[str]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def keep(self, mocks: NationalMocks) -> None:
        self.source = mocks.url
        for system in mocks:
            self.entries.setdefault(system.name, []).extend(system.entries())
            if system.name not in self.services:
                self.services[system.name] = system.about()["services"]
                self.titles[system.name] = system.title


_EVIDENCE = pytest.StashKey[_Evidence]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("national mocks", "lienthong's national mocks")
    group.addoption(
        "--national-mocks-url",
        default=None,
        help="use the national mocks already running at this URL instead of starting them",
    )
    group.addoption(
        "--national-mocks-seed",
        type=int,
        default=0,
        help="seed of the national mocks' data and fault dice (default 0)",
    )
    group.addoption(
        "--national-mocks-report",
        default=None,
        metavar="DIR",
        help="write the conformance report of every test's requests to the mocks to DIR",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(scenario=None): load this scenario file (relative to the test file) into the "
        "national mocks before the test",
    )
    folder = config.getoption("--national-mocks-report", default=None)
    if folder:
        config.stash[_EVIDENCE] = _Evidence(Path(folder))


def pytest_sessionfinish(session: pytest.Session) -> None:
    evidence = session.config.stash.get(_EVIDENCE, None)
    if evidence is None or not evidence.entries:
        return
    from mocks.conformance import Journals, build_report, write_report

    journals = Journals(evidence.entries, evidence.services, evidence.titles, evidence.source)
    write_report(build_report(journals), evidence.folder)


@pytest.fixture(scope="session")
def national_mocks_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL where every national mock is mounted: started here for the session, or given."""
    given = request.config.getoption("--national-mocks-url")
    if given:
        yield str(given).rstrip("/")
        return
    from mocks.app import create_mocks_app
    from mocks.server import MocksServer

    seed = int(request.config.getoption("--national-mocks-seed"))
    with MocksServer(create_mocks_app(seed=seed)) as server:
        yield server.url


@pytest.fixture
def national_mocks(
    national_mocks_url: str, request: pytest.FixtureRequest
) -> Iterator[NationalMocks]:
    """Every national mock, reset for this test, with a client of their admin API."""
    from mocks.client import NationalMocks

    mocks = NationalMocks(national_mocks_url)
    try:
        mocks.reset(int(request.config.getoption("--national-mocks-seed")))
        marker = request.node.get_closest_marker(MARKER)
        scenario = marker.kwargs.get("scenario") if marker is not None else None
        if scenario is not None:
            mocks.load_scenario(Path(request.path).parent / scenario)
        yield mocks
        evidence = request.config.stash.get(_EVIDENCE, None)
        if evidence is not None:
            evidence.keep(mocks)
    finally:
        mocks.close()
