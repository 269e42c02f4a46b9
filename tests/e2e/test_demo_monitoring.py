"""``lienthong demo --exit``: the monitoring centre mock holds one event per change of state of
the demo's dossiers, counted here from the traffic the demo pushes (the same seed), not from
anything the gateway says."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from gateway.demo import SnapshotEvent, generate_traffic

pytestmark = pytest.mark.e2e

DOSSIERS = 40
CENTRE_CODE = {
    "submitted": "1",
    "received": "1",
    "processing": "2",
    "resolved": "3",
    "returned": "3",
}
"""The public client's Status codes; every other state is 0 ("other")."""


def _expected_changes() -> Counter[str]:
    """Status codes of the state changes in what the demo pushes: a dossier's first snapshot,
    then each snapshot whose status differs from its dossier's previous one."""
    last: dict[str, str] = {}
    changes: Counter[str] = Counter()
    for event in generate_traffic(DOSSIERS, seed=0):
        if not isinstance(event, SnapshotEvent):
            continue
        status = event.dossier.status.value
        if last.get(event.code) != status:
            changes[CENTRE_CODE.get(status, "0")] += 1
            last[event.code] = status
    return changes


def test_the_monitoring_centre_holds_one_event_per_state_change_of_the_demo(tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "gateway",
        "demo",
        "--dossiers",
        str(DOSSIERS),
        "--exit",
        "--port",
        "0",
        "--report-dir",
        str(tmp_path),
    ]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert summary["refused"] == 0
    expected = _expected_changes()

    monitored = summary["monitored"]
    assert monitored["by_status"] == dict(sorted(expected.items()))
    assert monitored["events"] == sum(expected.values())
    assert monitored["dossiers"] == DOSSIERS
    assert monitored["sites"] == [38]
    delivery = summary["targets"]["monitoring_centre"]
    assert delivery["accepted"] == delivery["delivered"] == monitored["events"]
    assert (delivery["dead"], delivery["pending"]) == (0, 0)
    line = f"The monitoring centre received {monitored['events']} events, one per change of state"
    assert line in run.stdout
