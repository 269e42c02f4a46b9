"""End to end: the national mocks and a gateway process (``lienthong serve``) on loopback, the
province's quarterly report written and submitted with ``lienthong report --submit`` while the
reporting mock loses a reply, delivered by the running gateway's worker.

- The file ``lienthong report`` writes holds the figures of the dossiers the API accepted.
- The reporting mock holds the submitted report once (the repeat after the lost reply carried the
  same MaYeuCau), with the same figures, and the gateway kept the receipt the mock gave.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, select

from gateway.store.engine import sync_url
from gateway.store.schema import report_submissions
from mappings.dossier import VIETNAM
from tests.e2e.servers import GatewayProcess, ServerThread, gateway_client, wait_until
from tests.gateway.samples import dossier_json

pytestmark = pytest.mark.e2e


def at(month: int, day: int) -> str:
    return datetime(2026, month, day, 9, tzinfo=VIETNAM).isoformat()


DOSSIERS = [
    dossier_json(
        1,
        channel="online",
        received_at=at(7, 1),
        due_at=at(7, 6),
        status="resolved",
        finished_at=at(7, 3),
    ),
    dossier_json(2, received_at=at(7, 2), due_at=at(7, 4), status="resolved", finished_at=at(7, 9)),
    dossier_json(3, channel="postal", received_at=at(8, 3), due_at=at(8, 5), status="processing"),
    dossier_json(4, received_at=at(6, 2), due_at=at(6, 30), status="processing"),
]
"""2026-Q3 (15 June to 14 September): one carried over, one online resolved early, one in
person resolved late, one by post overdue at the end."""


def _env(store_url: str, mocks: ServerThread) -> dict[str, str]:
    return {
        "LIENTHONG_DATABASE_URL": store_url,
        "LIENTHONG_MOCKS_URL": mocks.url,
        "LIENTHONG_WORKER_POLL_INTERVAL": "0.05",
        "LIENTHONG_RETRY_BASE_SECONDS": "0.05",
        "LIENTHONG_RETRY_MAX_SECONDS": "0.3",
        "LIENTHONG_NATIONAL_REPORTING_RETRIES": "1",
        "LIENTHONG_LOG_LEVEL": "WARNING",
    }


def _held(mocks: ServerThread) -> list[dict[str, Any]]:
    scenario = httpx.get(f"{mocks.url}/national-reporting/__admin/scenario", timeout=10)
    reports: list[dict[str, Any]] = scenario.json()["reports"]
    return reports


def test_the_quarter_report_is_written_submitted_and_held_once_with_its_receipt(
    tmp_path: Path, store_url: str, mocks_server: ServerThread
) -> None:
    mocks = mocks_server
    env = _env(store_url, mocks)
    lost = httpx.post(
        f"{mocks.url}/national-reporting/__admin/faults",
        json={"service": "NopBaoCao", "status": 503, "phase": "after", "times": 1},
        timeout=10,
    )
    assert lost.status_code == 201, lost.text
    gateway = GatewayProcess(env, tmp_path / "gateway.log").start()
    try:
        with gateway_client(gateway.url) as client:
            for body in DOSSIERS:
                assert client.post("/v1/dossiers", json=body).status_code == 202
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "gateway",
                "report",
                "--period",
                "2026-Q3",
                "--submit",
                "--output",
                str(tmp_path),
            ],
            env={**os.environ, **env},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        written = Path(done.stdout.strip().splitlines()[0])
        assert written == tmp_path / "bao-cao-II.05a-2026-Q3-000.00.00.H56.xlsx"
        rows = list(load_workbook(written).worksheets[0].values)
        [district] = [row for row in rows if row[2] == "000.00.01.H56"]
        assert district[3:14] == (4, 1, 1, 2, 2, 1, 0, 1, 2, 0, 2)

        wait_until(lambda: len(_held(mocks)) == 1, timeout=60, what="the report at the mock")
        [held] = _held(mocks)
        [row] = held["report"]["ChiTieu"]
        assert (row["MaDonVi"], row["SoKyTruocChuyenQua"], row["SoTiepNhanTrucTuyen"]) == (
            "000.00.01.H56",
            1,
            1,
        )
        assert (row["SoDaGiaiQuyetTruocHan"], row["SoDaGiaiQuyetQuaHan"]) == (1, 1)
        assert row["SoDangGiaiQuyetQuaHan"] == 2
        journal = httpx.get(
            f"{mocks.url}/national-reporting/__admin/journal",
            params={"service": "NopBaoCao"},
            timeout=10,
        ).json()["entries"]
        assert [e["status"] for e in journal] == [503, 200]
        assert {e["request"]["MaYeuCau"] for e in journal} == {held["report"]["MaYeuCau"]}

        engine = create_engine(sync_url(store_url))

        def kept() -> tuple[Any, ...] | None:
            with engine.connect() as connection:
                found = connection.execute(
                    select(report_submissions.c.state, report_submissions.c.receipt)
                ).first()
            return None if found is None else tuple(found)

        try:
            wait_until(lambda: (kept() or ("",))[0] == "received", timeout=30, what="receipt")
            assert kept() == ("received", held["receipt"]["MaBienNhan"])
        finally:
            engine.dispose()
    finally:
        gateway.stop()
