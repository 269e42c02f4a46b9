"""Every mock on one app, under its own path, as ``lienthong mocks`` serves them."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.types import ASGIApp
from typer.testing import CliRunner

import mocks
from gateway import cli
from tests.mocks.samples import DSTCODE, USER, client_of


async def test_the_index_lists_the_mounted_mocks() -> None:
    async with client_of(mocks.create_mocks_app(), "http://mocks.test") as http:
        index = (await http.get("/")).json()

    assert {"name": "national_portal", "path": "/national-portal"}.items() <= index["mocks"][
        0
    ].items()


async def test_the_portal_answers_under_its_path_and_journals_paths_below_it() -> None:
    async with client_of(mocks.create_mocks_app(), "http://mocks.test") as http:
        login = (await http.post("/national-portal/login", json=USER, headers=DSTCODE)).json()
        journal = (await http.get("/national-portal/__admin/journal")).json()

    assert login["error_code"] == 0
    assert [e["path"] for e in journal["entries"]] == ["/login"]


def test_create_mocks_app_and_the_admin_client_are_the_public_entry_points() -> None:
    assert mocks.__all__ == ["NationalMocks", "create_mocks_app"]
    assert mocks.create_mocks_app is mocks.app.create_mocks_app


def test_loading_the_pytest_plugin_builds_no_mock() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, mocks.pytest_plugin; "
        "print(sorted(m for m in sys.modules if m.startswith('mocks')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout

    assert loaded.strip() == "['mocks', 'mocks.pytest_plugin']"


async def test_lienthong_mocks_sets_the_journal_capacity_of_every_mock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    served: list[ASGIApp] = []

    def run(app: ASGIApp, **options: Any) -> None:
        served.append(app)

    monkeypatch.setattr(cli.uvicorn, "run", run)
    monkeypatch.setattr(cli.collector, "settle", lambda: None)  # the serving process's, not ours
    result = CliRunner().invoke(cli.cli, ["mocks", "--journal-capacity", "50000"])
    assert result.exit_code == 0, result.output

    async with client_of(served[0], "http://mocks.test") as http:
        index = (await http.get("/")).json()["mocks"]
        states = [(await http.get(f"{m['admin']}state")).json() for m in index]

    assert [s["journal_capacity"] for s in states] == [50_000] * len(index)
