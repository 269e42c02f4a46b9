"""``python -m bench --quick`` runs end to end and records every figure it promises.

The sections with servers of their own (PostgreSQL, WireMock, the million-event backlog, the
year of indicators) have tests of their own beside this one; here the run leaves them out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


def test_quick_bench_measures_gateway_and_relay(tmp_path: Path) -> None:
    output = tmp_path / "latest.json"
    run = subprocess.run(
        [
            *(sys.executable, "-m", "bench", "--quick", "--no-profile"),
            *(
                "--skip",
                "intake,processes,stores,mocks,backlog,indicators",
                "--output",
                str(output),
            ),
        ],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads(output.read_text())
    single, batch = results["gateway"]["single"], results["gateway"]["batch"]
    assert single["events_per_second"] > 0
    assert single["events"] == single["dossiers"]
    assert batch["events_per_second"] > 0
    assert batch["events"] == batch["dossiers"]
    assert single["latency"]["p50_ms"] > 0
    assert results["gateway"]["single_concurrency_1"]["latency"]["p99_ms"] > 0
    assert results["relay"]["concurrent"]["requests_per_second"] > 0
    assert results["relay"]["concurrency_1"]["latency"]["p50_ms"] > 0
    assert results["machine"]["cpu_count"] >= 1
    assert len(results["machine"]["load_average_at_end"]) == 3
    assert "profile" not in results
    assert set(results["section_seconds"]) == {"gateway", "lookups", "relay", "edxml"}
    assert results["lookups"]["business_cached"]["requests_per_second"] > 0
    assert results["edxml"]["throughput"]["write_sign"]["packages_per_second"] > 0
