"""Chaos on PostgreSQL: three replicas on one database, one killed with SIGKILL twice, lose nothing.

The deployment for several replicas: three ``lienthong serve`` processes on one PostgreSQL
database (a throwaway server, ``tests.postgres_server``), claiming outbox rows with
``FOR UPDATE SKIP LOCKED`` under leases their workers keep beating. While 20,000 events (500
dossiers, four rounds of a new snapshot and nine steps each) are pushed, spread over the three,
the portal mock fails about a quarter of its exchanges (``tests.chaos.scenario.PORTAL_FAULTS``:
errors before and after applying, time-outs, connection resets), intake pushes back past its
backlog limit, and the first replica is killed outright at 30 % and 65 % of the load, then
started again; the load client sends what the dead replica did not answer to the next one, with
the same ``Idempotency-Key``. Then every accepted event must have reached the portal, in order
per dossier, none dead, and no row may have been delivered by two replicas at once
(``tests.chaos.scenario`` lists the checks, ``tests.chaos.verdict`` the exact rules).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.chaos.scenario import ChaosPlan, run_chaos
from tests.chaos.workload import Workload
from tests.postgres_server import PostgresServer

pytestmark = pytest.mark.chaos

PLAN = ChaosPlan(workload=Workload(dossiers=500, rounds=4, steps_per_round=9), replicas=3)


def test_three_replicas_one_killed_twice_under_faults_deliver_every_event_once_at_a_time(
    tmp_path: Path,
) -> None:
    with PostgresServer() as server:
        figures = run_chaos(PLAN, server.create_database("chaos"), tmp_path)
    print("chaos postgresql:", json.dumps(figures, ensure_ascii=False))
