"""One chaos run from start to verdict, shared by the SQLite and the PostgreSQL scenarios.

A run starts the national mocks, makes the portal mock misbehave (``PORTAL_FAULTS``), starts the
replicas on one database (the first alone, so that it migrates it), pushes the workload spread
over them while ``KillSchedule`` kills the first replica with SIGKILL and starts it again, waits
until ``/v1/status`` shows nothing pending, stops the replicas (so the journal is final), and
then checks, failing with the evidence (and leaving the journal as ``journal.json`` and the
processes and kills as ``run.json`` beside the logs):

- the gateway's own count: every event accepted is delivered, none dead;
- the portal mock's journal, read back into deliveries (``tests.chaos.verdict``): every accepted
  event applied, in order per dossier up to immediate repeats, none by two replicas at once;
- the portal mock's state, an independent witness: each dossier held, its last snapshot the last
  one accepted, its steps in the order accepted (up to immediate repeats);
- that the chaos happened: each kill found events pending, each killed process had delivered,
  faults fired, and the journal kept every exchange.

``run_chaos`` returns the run's figures (durations, counts) for the report line the tests print.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.chaos.harness import (
    Kill,
    KillSchedule,
    MocksProcess,
    Replica,
    install_portal_faults,
    portal_counts,
    portal_dossiers,
    read_portal,
    replica_env,
    wait_drained,
)
from tests.chaos.verdict import collapse, judge, read_deliveries
from tests.chaos.workload import PROGRESS, SNAPSHOT, LoadClient, LoadTally, Workload

SEED = 20261122
"""Seeds the portal mock's fault dice."""

PORTAL_FAULTS: tuple[dict[str, Any], ...] = (
    # about 20 % errors: refused before the portal handles anything ...
    {"service": None, "status": 503, "rate": 0.07},
    {"service": None, "status": 500, "rate": 0.04},
    {"service": None, "status": 429, "rate": 0.03, "retry_after": 1},
    # ... or after it applied the request, so the reply is lost and the gateway must resend
    {"service": None, "status": 502, "rate": 0.07, "phase": "after"},
    # 5 % time-outs: the portal holds the request without answering until the gateway gives up
    # (LIENTHONG_NATIONAL_PORTAL_TIMEOUT, 3 s), before handling it or after applying it
    {"service": None, "hang": {"max_s": 10}, "rate": 0.025},
    {"service": None, "hang": {"max_s": 10}, "rate": 0.025, "phase": "after"},
    # and connection resets (TCP RST, no HTTP answer), before or after applying the request
    {"service": None, "reset": True, "rate": 0.02},
    {"service": None, "reset": True, "rate": 0.02, "phase": "after"},
)
"""What the portal mock does wrong, to every service (login included). The dice are tried in
this order, each fault rolling its own, so about 27 % of exchanges fail one way or another."""


def fault_name(fault: dict[str, Any]) -> str:
    """``503``, ``502/after``, ``hang``, ``reset/after``: a fault as the report names it."""
    name = str(fault["status"]) if fault.get("status") else str(fault.get("outcome"))
    return f"{name}/after" if fault.get("phase") == "after" else name


@dataclass(frozen=True, slots=True)
class ChaosPlan:
    """How big a run is and how it is disturbed."""

    workload: Workload
    replicas: int
    kill_at: tuple[float, ...] = (0.3, 0.65)
    """Fractions of the load's requests answered at which the first replica is killed."""
    down_for: float = 1.5
    """Seconds a killed replica stays down before it is started again."""
    max_backlog: int = 3000
    """Events waiting for delivery past which intake answers 503 with Retry-After."""
    settings: Mapping[str, str] = field(default_factory=dict)
    """``LIENTHONG_`` settings over ``harness.replica_env``'s, to try the suite on other ones."""
    drain_deadline: float = 300.0
    """Seconds allowed for delivery to finish after the load; past it the run fails, listing
    what is still pending (a deadline against hanging forever, not a measure of speed)."""


def _start(replicas: list[Replica]) -> None:
    """The first replica alone, so that it migrates the database; the others side by side."""
    replicas[0].start()
    with ThreadPoolExecutor(max_workers=len(replicas)) as pool:
        list(pool.map(Replica.start, replicas[1:]))


def _token(url: str) -> str:
    reply = httpx.post(
        f"{url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=("demo", "demo-secret"),
        timeout=30,
    )
    reply.raise_for_status()
    token: str = reply.json()["access_token"]
    return token


def run_chaos(plan: ChaosPlan, database_url: str, folder: Path) -> dict[str, Any]:
    """Run ``plan`` against replicas on ``database_url``, logs in ``folder``; assert the checks of
    the module and return the run's figures."""
    workload = plan.workload
    numbers = list(workload.numbers())
    codes = [workload.code(n) for n in numbers]
    clock = {"begin": time.monotonic()}
    mocks = MocksProcess(folder / "mocks.log").start()
    replicas: list[Replica] = []
    try:
        try:
            install_portal_faults(mocks.portal_admin, SEED, PORTAL_FAULTS)
            env = replica_env(
                database_url, mocks.portal, folder / "keys", max_backlog=plan.max_backlog
            )
            env.update(plan.settings)
            for index in range(plan.replicas):
                name = f"replica-{index + 1}"
                replicas.append(Replica(name, env, folder / f"{name}.log"))
            _start(replicas)
            clock["started"] = time.monotonic()
            tally, kills = asyncio.run(_load(plan, replicas))
            clock["loaded"] = time.monotonic()
            wait_drained(replicas, codes, deadline=plan.drain_deadline)
            clock["drained"] = time.monotonic()
            counts = portal_counts(replicas[-1].url)
        finally:
            for replica in replicas:
                replica.stop()
        clock["stopped"] = time.monotonic()
        journal, faults = read_portal(mocks.portal_admin)
        held = portal_dossiers(mocks.portal_admin, codes)
    finally:
        mocks.stop()

    try:
        fired, journal_figures = _check(plan, tally, kills, counts, journal, faults, held)
    except AssertionError:
        _keep_evidence(folder, replicas, kills, counts, journal)
        raise
    clock["checked"] = time.monotonic()
    return _figures(plan, tally, kills, counts, fired, journal_figures, clock)


def _check(
    plan: ChaosPlan,
    tally: LoadTally,
    kills: list[Kill],
    counts: dict[str, Any],
    journal: list[dict[str, Any]],
    faults: list[dict[str, Any]],
    held: dict[str, dict[str, Any] | None],
) -> tuple[dict[str, int], dict[str, Any]]:
    """The module's checks; returns how often each fault fired and the journal's figures."""
    workload = plan.workload
    numbers = list(workload.numbers())
    assert tally.events == workload.events
    assert (counts["accepted"], counts["delivered"], counts["dead"], counts["pending"]) == (
        workload.events,
        workload.events,
        0,
        0,
    ), f"the gateway's own count: {counts}"
    assert [e["id"] for e in journal] == list(range(1, len(journal) + 1)), (
        "the portal mock's journal forgot exchanges; raise its capacity"
    )
    assert len(kills) == len(plan.kill_at)
    assert all(k.pending > 0 for k in kills), f"a kill found nothing to deliver: {kills}"
    fired = {fault_name(f): f["fired"] for f in faults}
    assert all(fired.values()), f"a fault never fired: {fired}"

    expected = {workload.code(n): workload.expected(n) for n in numbers}
    exchanges, deliveries = read_deliveries(journal)
    findings = judge(expected, exchanges, deliveries, kills)
    assert not findings.problems(), json.dumps(findings.problems(), ensure_ascii=False, indent=1)

    for code, events in expected.items():
        record = held[code]
        assert record is not None, f"{code} never reached the portal"
        last = next(e.label for e in reversed(events) if e.kind == SNAPSHOT)
        held_summary = record["dossier"]["TrichYeuHoSo"]
        assert held_summary == last, f"{code}: the portal holds {held_summary!r}, not {last!r}"
        steps = [e.label for e in events if e.kind == PROGRESS]
        arrived = collapse([str(p["NoiDungXuLy"]) for p in record["progress"]])
        assert arrived == steps, f"{code}: the portal holds its steps out of order: {arrived}"

    return fired, findings.figures


def _keep_evidence(
    folder: Path,
    replicas: list[Replica],
    kills: list[Kill],
    counts: dict[str, Any],
    journal: list[dict[str, Any]],
) -> None:
    """Leave the journal and the run's processes beside the logs, to read after a failure."""
    run = {
        "processes": {r.name: r.pids for r in replicas},
        "kills": [asdict(k) | {"identity": k.identity} for k in kills],
        "counts": counts,
    }
    (folder / "run.json").write_text(json.dumps(run, indent=1))
    (folder / "journal.json").write_text(json.dumps(journal, ensure_ascii=False))


async def _load(plan: ChaosPlan, replicas: list[Replica]) -> tuple[LoadTally, list[Kill]]:
    schedule = KillSchedule(replicas[0], replicas[-1], plan.kill_at, down_for=plan.down_for)
    client = LoadClient(
        [r.url for r in replicas], _token(replicas[0].url), on_progress=schedule.on_progress
    )
    tally = await client.push(plan.workload)
    kills = await schedule.finish()
    return tally, kills


def _figures(
    plan: ChaosPlan,
    tally: LoadTally,
    kills: list[Kill],
    counts: dict[str, Any],
    fired: dict[str, int],
    journal_figures: dict[str, Any],
    clock: dict[str, float],
) -> dict[str, Any]:
    replicas = Counter({url.rsplit(":", 1)[-1]: n for url, n in tally.accepted_by_replica.items()})
    return {
        "replicas": plan.replicas,
        "dossiers": plan.workload.dossiers,
        "events_accepted": tally.events,
        "requests": tally.requests,
        "requests_by_replica_port": dict(replicas),
        "requests_replayed": tally.replayed,
        "requests_resent_unreachable": tally.unreachable,
        "requests_resent_backpressure": tally.backpressure,
        "kills": [
            {"pid": k.pid, "pending": k.pending, "delivered": k.delivered, "down": k.down_seconds}
            for k in kills
        ],
        "faults_fired": fired,
        "gateway_retried_events": counts["retried"],
        **journal_figures,
        "seconds": {
            "start": round(clock["started"] - clock["begin"], 1),
            "load": round(clock["loaded"] - clock["started"], 1),
            "drain": round(clock["drained"] - clock["loaded"], 1),
            "stop": round(clock["stopped"] - clock["drained"], 1),
            "check": round(clock["checked"] - clock["stopped"], 1),
            "total": round(clock["checked"] - clock["begin"], 1),
        },
    }
