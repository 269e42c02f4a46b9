"""``lienthong demo --exit`` as a newcomer runs it: everything accepted reaches the mock portal,
and the inter-connected submissions the mocks hold are taken in and answered to the end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("faults", [False, True], ids=["calm", "faults"])
def test_demo_delivers_every_accepted_event(faults: bool, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "gateway", "demo", "--dossiers", "40", "--exit", "--port", "0"]
    command += ["--report-dir", str(tmp_path)]
    if faults:
        command.append("--faults")
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert summary["accepted"] > 40
    assert summary["delivered"] == summary["accepted"]
    assert summary["dead"] == 0
    pulled = summary["pulled"]
    assert (pulled["set_aside"], pulled["resubmitted"]) == (1, 1)
    assert pulled["taken_in"] == pulled["offered"] - 1 == pulled["mock_acknowledged"]
    assert pulled["mock_statuses_accepted"] == pulled["statuses"] > pulled["taken_in"]
    if faults:
        assert summary["retried"] > 0
