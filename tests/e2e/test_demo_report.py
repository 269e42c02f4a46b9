"""``lienthong demo --exit`` ends with the quarter's periodic report: a file openpyxl reads back
with the figures of the dossiers the demo pushed, counted here independently from the snapshots
its store holds, and the same report held by the reporting mock under the receipt the gateway
kept."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, select

from gateway.store.schema import dossiers
from mappings.dossier import VIETNAM, Dossier
from mappings.periods import Counting, parse_period

pytestmark = pytest.mark.e2e

DOSSIERS = 30


def test_the_demo_writes_the_quarter_report_and_the_mock_holds_it(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "gateway", "demo", "--dossiers", str(DOSSIERS), "--exit"]
    store = f"sqlite:///{tmp_path}/demo.db"
    command += ["--port", "0", "--report-dir", str(tmp_path), "--database-url", store]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "Periodic report" in run.stdout
    report = json.loads(run.stdout.strip().splitlines()[-1])["report"]

    counting, period = Counting(), parse_period(report["period"])
    engine = create_engine(store)
    try:
        with engine.connect() as connection:
            stored = [
                Dossier.model_validate_json(row.snapshot)
                for row in connection.execute(select(dossiers.c.snapshot))
            ]
    finally:
        engine.dispose()
    latest = [
        d
        for d in stored
        if d.received_at is not None
        and counting.first_day(period)
        <= d.received_at.astimezone(VIETNAM).date()
        <= counting.last_day(period)
    ]
    assert latest, "the quarter holds the demo's last dossiers at least"
    online = sum(1 for d in latest if d.channel == "online")
    assert report["total"]["received_online"] == online
    assert report["total"]["received_in_person"] == len(latest) - online

    path = Path(report["file"])
    assert path.parent == tmp_path and path.name.startswith("bao-cao-II.05a-")
    rows = list(load_workbook(path).worksheets[0].values)
    [total] = [row for row in rows if row[1] == "Tổng cộng"]
    assert total[3] == report["total"]["carried_over"] + len(latest)
    assert total[5:7] == (online, len(latest) - online)

    assert report["state"] == "received" and report["receipt"].startswith("BC-")
    held = report["held"]
    assert (held["reports"], held["submissions"]) == (1, 1)
    assert held["totals"]["SoTiepNhanTrucTuyen"] == online
    assert held["totals"]["SoDaGiaiQuyetTruocHan"] == report["total"]["resolved_early"]
