"""The shared-state cost measures what it says: one journal row per request, the exchange whole."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bench import mock_shared_state


def test_each_measured_request_appends_the_whole_exchange(tmp_path: Path) -> None:
    exchange = mock_shared_state._exchange()

    cost = mock_shared_state.sqlite_wal(10, exchange, tmp_path, "OFF")

    with sqlite3.connect(tmp_path / "state-OFF.db") as db:
        rows = db.execute("SELECT service, entry FROM journal").fetchall()
        mode = db.execute("PRAGMA journal_mode").fetchone()[0]
    assert cost > 0
    assert mode == "wal"
    assert len(rows) == 10
    assert json.loads(rows[0][1])["reply"] == exchange["reply"]


def test_the_command_prints_the_three_costs(capsys: pytest.CaptureFixture[str]) -> None:
    assert mock_shared_state.main(["--requests", "20"]) == 0

    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "in-memory journal",
        "SQLite WAL, synchronous=OFF",
        "SQLite WAL, synchronous=NORMAL",
    ]
