"""The demo's periodic report: the quarter of its dossiers written as the II.05a spreadsheet and
submitted to the national reporting mock (``gateway.reports``), as an operator would from the
console.

The quarter is the one holding the last day a demo dossier was received, counted as the
reporting system counts (from the 15th, TT 01/2020). The file goes to the folder given (the
current one unless told), named as ``lienthong report`` names it; the submission goes through the
outbox like every delivery, and the demo waits for its receipt before reading what the mock
holds.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console

from gateway.bootstrap import Gateway
from gateway.demo.servers import DemoError
from gateway.demo.traffic import DemoEvent, SnapshotEvent
from gateway.reports import Format, SubmissionState, file_name
from mappings.dossier import VIETNAM
from mappings.periods import PeriodKind
from mappings.report import FIGURES

REQUESTED_BY = "demo"
WAIT_SECONDS = 0.25


@dataclass(frozen=True, slots=True)
class DemoReport:
    period: str
    path: Path
    total: dict[str, int]
    """The file's totals, by figure (``mappings.report.FIGURES``)."""
    state: str
    """What became of the submission: received, refused, or still queued."""
    receipt: str | None
    held: dict[str, Any] = field(default_factory=dict)
    """What the reporting mock holds: its ``/__admin/state`` and the totals of the report it
    took (``TongHop``)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "file": str(self.path),
            "total": self.total,
            "state": self.state,
            "receipt": self.receipt,
            "held": self.held,
        }


async def report_and_submit(
    gateway: Gateway,
    events: Sequence[DemoEvent],
    reporting: httpx.AsyncClient,
    folder: Path,
    *,
    patience: float,
) -> DemoReport:
    """Write the quarter's report into ``folder``, submit it and wait up to ``patience``
    seconds for its receipt; ``reporting`` is the reporting mock's client."""
    days = [
        event.dossier.received_at.astimezone(VIETNAM).date()
        for event in events
        if isinstance(event, SnapshotEvent) and event.dossier.received_at is not None
    ]
    if not days:
        raise DemoError("the demo generated no dossier to report")
    period = gateway.reports.counting.containing(max(days), PeriodKind.quarter)
    made, content = await gateway.reports.file(period, Format.xlsx)
    path = folder / file_name(made, Format.xlsx)
    path.write_bytes(content)
    queued = await gateway.reports.submit(period, requested_by=REQUESTED_BY)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    submission = queued
    while submission.state == SubmissionState.queued and loop.time() < deadline:
        await asyncio.sleep(WAIT_SECONDS)
        found = [s for s in await gateway.reports.submissions(period.code) if s.id == queued.id]
        submission = found[0] if found else submission
    return DemoReport(
        period=period.code,
        path=path,
        total={name: getattr(made.total, name) for name in FIGURES},
        state=submission.state,
        receipt=submission.receipt,
        held=await _held(reporting, submission.receipt),
    )


async def _held(reporting: httpx.AsyncClient, receipt: str | None) -> dict[str, Any]:
    try:
        state = await reporting.get("/__admin/state")
        scenario = await reporting.get("/__admin/scenario")
    except httpx.HTTPError:
        return {}
    if state.status_code != 200 or scenario.status_code != 200:
        return {}
    taken = [
        item["report"]["TongHop"]
        for item in scenario.json().get("reports", [])
        if item.get("receipt", {}).get("MaBienNhan") == receipt
    ]
    held: dict[str, Any] = dict(state.json())
    held["totals"] = taken[0] if taken else None
    return held


def render_report(console: Console, report: DemoReport) -> None:
    """One paragraph on the report written and submitted, for a person at a terminal."""
    t = report.total
    received = t["carried_over"] + t["received_online"] + t["received_in_person"]
    resolved = t["resolved_early"] + t["resolved_on_time"] + t["resolved_late"]
    submitted = (
        f"the national reporting system gave receipt {report.receipt}"
        if report.state == SubmissionState.received
        else f"its submission is {report.state}"
    )
    console.print(
        f"Periodic report {report.period} (TT 01/2020/TT-VPCP, II.05a): {received} dossiers to "
        f"handle, {resolved} resolved ({t['resolved_late']} late), "
        f"{t['in_progress_overdue']} overdue in progress; written to {report.path}; "
        f"{submitted}, and its mock holds {report.held.get('reports', 0)} report(s).",
        markup=False,
        soft_wrap=True,
    )
