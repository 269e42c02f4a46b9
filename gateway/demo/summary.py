"""What the demo tells its watcher at the end: per national system, what was accepted, delivered,
retried or dead; what the national side holds; and where to look next.

The numbers are events (outbox rows), as ``GET /v1/status`` counts them, taken as the difference
from before the demo pushed anything, so a demo on an existing database reports its own run.
``DemoSummary.as_json`` is the one-line record ``--exit`` prints last, for scripts and CI.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.table import Table

from gateway.demo.figures import DemoFigures, render_figures
from gateway.demo.linked import PullReport
from gateway.demo.replay import Refusal
from gateway.demo.report import DemoReport, render_report


@dataclass(frozen=True, slots=True)
class TargetSummary:
    name: str
    accepted: int
    delivered: int
    retried: int
    dead: int
    pending: int
    mean_latency: float | None = None
    """Seconds from the gateway accepting a dossier's last event to its delivery."""


@dataclass(frozen=True, slots=True)
class DemoSummary:
    dossiers: int
    events: int
    """Requests the demo sent to the gateway."""
    seconds: float
    targets: tuple[TargetSummary, ...]
    refusals: tuple[Refusal, ...] = ()
    national: Mapping[str, Any] = field(default_factory=dict)
    """What reached the national side, by table title: each mock's own account of what it
    received (its ``/__admin/state``), and the registry lookups made through the gateway."""
    settled: bool = True
    """False when the demo stopped waiting with events still pending."""
    pulled: PullReport | None = None
    """The pull direction: inter-connected submissions taken in and answered."""
    monitored: Mapping[str, Any] = field(default_factory=dict)
    """What the monitoring centre mock received: its ``/__admin/state`` (events, dossiers,
    events by status code)."""
    figures: DemoFigures | None = None
    """The service-quality figures of the days the demo's dossiers were received."""
    report: DemoReport | None = None
    """The quarter's periodic report: its file, and its submission to the reporting mock."""

    @property
    def accepted(self) -> int:
        return sum(t.accepted for t in self.targets)

    @property
    def delivered(self) -> int:
        return sum(t.delivered for t in self.targets)

    @property
    def retried(self) -> int:
        return sum(t.retried for t in self.targets)

    @property
    def dead(self) -> int:
        return sum(t.dead for t in self.targets)

    @property
    def pending(self) -> int:
        return sum(t.pending for t in self.targets)

    def as_json(self) -> dict[str, Any]:
        return {
            "dossiers": self.dossiers,
            "events": self.events,
            "accepted": self.accepted,
            "delivered": self.delivered,
            "retried": self.retried,
            "dead": self.dead,
            "pending": self.pending,
            "refused": len(self.refusals),
            "settled": self.settled,
            "seconds": round(self.seconds, 2),
            "pulled": None if self.pulled is None else self.pulled.as_json(),
            "monitored": dict(self.monitored),
            "indicators": None if self.figures is None else self.figures.as_json(),
            "report": None if self.report is None else self.report.as_json(),
            "targets": {
                t.name: {
                    "accepted": t.accepted,
                    "delivered": t.delivered,
                    "retried": t.retried,
                    "dead": t.dead,
                    "pending": t.pending,
                    "mean_latency_seconds": (
                        None if t.mean_latency is None else round(t.mean_latency, 3)
                    ),
                }
                for t in self.targets
            },
        }

    def json_line(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Pointers:
    """Where the running demo can be looked at."""

    gateway_url: str
    mocks_url: str
    database_url: str | None
    """``None`` when the store was a temporary file, gone with the demo."""
    sample_code: str | None
    running: bool
    sign_in_url: str | None = None
    """A one-time link signing an admin in to the console (``lienthong operators invite``)."""


def _latency(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def _delivery_table(summary: DemoSummary) -> Table:
    table = Table(
        title="Delivery per national system (events; latency: last event accepted → delivered)",
        title_justify="left",
    )
    table.add_column("national system", no_wrap=True)
    for column in ("accepted", "delivered", "retried", "dead", "pending", "latency"):
        table.add_column(column, justify="right")
    for t in summary.targets:
        table.add_row(
            t.name,
            str(t.accepted),
            f"[green]{t.delivered}[/]",
            f"[yellow]{t.retried}[/]" if t.retried else "0",
            f"[red]{t.dead}[/]" if t.dead else "0",
            f"[yellow]{t.pending}[/]" if t.pending else "0",
            _latency(t.mean_latency),
        )
    return table


def _flatten(state: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for key, value in state.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and not prefix:
            rows += _flatten(value, f"{name}.")
        elif isinstance(value, Sequence | Mapping) and not isinstance(value, str):
            rows.append((name, f"{len(value)} items"))
        else:
            rows.append((name, str(value)))
    return rows


def _national_table(title: str, state: Mapping[str, Any]) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("fact")
    table.add_column("value", justify="right")
    for name, value in _flatten(state):
        table.add_row(name, value)
    return table


def _refusals(console: Console, refusals: Sequence[Refusal]) -> None:
    console.print(f"[red]The gateway refused {len(refusals)} requests[/], for example:")
    for refusal in refusals[:3]:
        console.print(f"  {refusal.code}: HTTP {refusal.status} {refusal.message}", markup=False)


def _pointers(console: Console, p: Pointers) -> None:
    portal = f"{p.mocks_url}/national-portal"
    console.rule("Where to look next" if p.running else "Where to look next (servers stopped)")
    if not p.running:
        console.print("Run [bold]lienthong demo[/] without --exit to keep everything up.")
    pages = f"{p.gateway_url}/console"
    lines = [
        ("console overview", f"{pages}/"),
        ("failures", f"{pages}/failures"),
        ("charts", f"{pages}/charts"),
        ("operator actions", f"{pages}/actions"),
    ]
    if p.sample_code:
        lines.append(("one dossier", f"{pages}/dossiers/{p.sample_code}"))
    lines += [
        ("API docs", f"{p.gateway_url}/docs"),
        ("portal mock journal", f"{portal}/__admin/journal?limit=20"),
        ("portal mock state", f"{portal}/__admin/state"),
        ("axis mock journal", f"{p.mocks_url}/document-axis/__admin/journal?limit=20"),
        ("DVCLT mock statuses", f"{p.mocks_url}/linked-services/__admin/statuses"),
    ]
    if p.database_url:
        status = f"LIENTHONG_DATABASE_URL='{p.database_url}' lienthong status"
        lines.append(("status from a shell", status))
    for label, where in lines:
        console.print(f"  {label:<20} {where}", markup=False, soft_wrap=True)
    if p.sign_in_url:
        console.print(
            "Sign in to the console first (an admin; the link works once, for 15 minutes"
            + (", while the demo runs):" if p.running else "; the servers have stopped):"),
            markup=False,
        )
        console.print(f"  {p.sign_in_url}", markup=False, soft_wrap=True)


def _pulled(console: Console, p: PullReport) -> None:
    console.print(
        f"Pull (nation → province): the inter-connected services held {p.offered} birth and "
        f"death submissions; the gateway took in {p.taken_in} (stored once, then acknowledged) "
        f"and kept {p.set_aside} aside (a procedure the province does not take). The one-stop "
        f"system took them and reported {p.statuses} statuses back, {p.refused} refusals among "
        f"them; {p.resubmitted} came back to the inbox after a supplement request. The mock "
        f"heard {p.heard.get('acknowledged', 0)} acknowledgements and accepted "
        f"{p.heard.get('statuses_accepted', 0)} statuses.",
        markup=False,
    )


def _monitored(console: Console, state: Mapping[str, Any]) -> None:
    by_status = ", ".join(f"{n} with Status {code}" for code, n in state["by_status"].items())
    console.print(
        f"The monitoring centre received {state['events']} events, one per change of state, "
        f"of {state['dossiers']} dossiers ({by_status or 'none'}).",
        markup=False,
    )


def render(console: Console, summary: DemoSummary, pointers: Pointers) -> None:
    """Print the summary tables and the pointers for a person at a terminal."""
    console.print()
    console.print(
        f"{summary.events} requests ({summary.dossiers} dossiers and their steps, official "
        f"documents and citizens' evaluations) pushed and followed to delivery in "
        f"{summary.seconds:.1f} s."
    )
    if not summary.settled:
        console.print(
            f"[yellow]Stopped waiting with {summary.pending} events still pending;[/] "
            "the worker keeps retrying them."
        )
    if summary.refusals:
        _refusals(console, summary.refusals)
    console.print(_delivery_table(summary))
    if summary.pulled is not None:
        _pulled(console, summary.pulled)
    if summary.monitored:
        _monitored(console, summary.monitored)
    if summary.figures is not None:
        render_figures(console, summary.figures)
    if summary.report is not None:
        render_report(console, summary.report)
    for title, state in summary.national.items():
        if state:
            console.print(_national_table(title, state))
    _pointers(console, pointers)
