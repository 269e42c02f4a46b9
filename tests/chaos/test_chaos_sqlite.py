"""Chaos on SQLite: one gateway process, killed with SIGKILL twice under load, loses nothing.

The embedded deployment: one ``lienthong serve`` on a SQLite file (WAL, synchronous FULL). While
10,000 events (250 dossiers, four rounds of a new snapshot and nine steps each) are pushed, the
portal mock fails about a quarter of its exchanges (``tests.chaos.scenario.PORTAL_FAULTS``:
errors before and after applying, time-outs, connection resets), intake pushes back past its
backlog limit, and the process is killed outright at 30 % and 65 % of the load, then started
again on the same file; the load client rides out the gaps by resending with the same
``Idempotency-Key``. Then every accepted event must have reached the portal, in order per
dossier, none dead (``tests.chaos.scenario`` lists the checks, ``tests.chaos.verdict`` the exact
rules). Half the PostgreSQL scenario's events: one process carries intake and delivery alone,
and each restart waits for the killed process's leases to run out.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.chaos.scenario import ChaosPlan, run_chaos
from tests.chaos.workload import Workload

pytestmark = pytest.mark.chaos

PLAN = ChaosPlan(workload=Workload(dossiers=250, rounds=4, steps_per_round=9), replicas=1)


def test_one_process_killed_twice_under_faults_delivers_every_event_in_order(
    tmp_path: Path,
) -> None:
    figures = run_chaos(PLAN, f"sqlite:///{tmp_path}/gateway.db", tmp_path)
    print("chaos sqlite:", json.dumps(figures, ensure_ascii=False))
