"""``python -m bench`` (``make bench``): every measurement of the project, or those picked.

Sections, in the order they run (``--only`` and ``--skip`` take their names, comma-separated):

- ``gateway``: end to end on SQLite, single and batch ingestion, and latency at concurrency 1;
- ``profile``: the gateway under pyinstrument (``results/profile-gateway.txt``);
- ``stores``: end to end on PostgreSQL, one replica and two (``bench.stores``);
- ``lookups``: registry lookups through the gateway (``bench.lookups``);
- ``intake``: wrk against the gateway and its two references (validation alone; validation and
  a commit per request), single and in batches, as ratios (``bench.intake``);
- ``processes``: pushes to one gateway process, to two on one SQLite file, and to one with
  delivery in a ``lienthong worker`` of its own, single and in batches, end to end, alternated
  (``bench.processes``);
- ``relay``: the naive FastAPI relay, as a reference;
- ``mocks``: ``lienthong mocks`` against WireMock under wrk (``bench.mock_throughput``);
- ``backlog``: memory and drain rate with a million pending events (``bench.backlog``);
- ``edxml``: edXML packages, written, signed, read and verified (``bench.edxml``);
- ``indicators``: ``GET /v1/indicators`` for a year over a million dossiers, on SQLite and
  PostgreSQL (``bench.indicators``).

One run starts the national mocks once for the first four, and every other server it needs,
each in its own process, and stops them all before it ends. Figures go to the terminal and to
``--output`` (``bench/results/latest.json``) with how long each section took; a full run of
every section also writes its table into ``bench/README.md`` (``bench.markdown``).
``--quick`` shrinks every count for a smoke run of a couple of minutes (noisy figures), and
leaves the profile out unless ``--profile N`` asks for it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console

from bench import (
    backlog,
    edxml,
    indicators,
    intake,
    lookups,
    markdown,
    mock_throughput,
    processes,
    profiling,
    report,
    scenarios,
    stores,
)
from bench.scenarios import Workspace
from bench.servers import REPOSITORY, Server

RESULTS = REPOSITORY / "bench" / "results"
README = REPOSITORY / "bench" / "README.md"
PROFILE_REPORT = "profile-gateway.txt"
MOCK_PROFILE_REPORT = "profile-mocks.txt"

QUICK_BACKLOG_SETTINGS = {"LIENTHONG_NATIONAL_PORTAL_BREAKER_COOL_DOWN": "2"}
"""A smoke run does not wait out the portal breaker's 30 s cool-down before the drain."""

WITH_MOCKS = ("gateway", "profile", "stores", "lookups")
"""Sections that share one ``lienthong mocks``."""
ON_THEIR_OWN = ("intake", "processes", "relay", "mocks", "backlog", "edxml", "indicators")
"""Sections that start the servers they need (or none)."""
SECTIONS = WITH_MOCKS + ON_THEIR_OWN


@dataclass(frozen=True, slots=True)
class Options:
    single: int
    batch: int
    concurrency: int
    batch_concurrency: int
    serial: int
    profile: int
    edxml: int
    output: Path
    lookups: int = 0
    lookup_requests: int = 0
    sections: tuple[str, ...] = SECTIONS
    backlog: int = 1_000_000
    drain: int = 100_000
    sit_seconds: float = 30.0
    drain_seconds: float = 300.0
    mock_seconds: float = 15.0
    mock_warm_seconds: float = 5.0
    intake_seconds: float = 15.0
    indicator_dossiers: int = 1_000_000
    indicator_repeat: int = 5
    profile_mocks: bool = False
    readme: Path | None = None
    quick: bool = False

    def runs(self, section: str) -> bool:
        return section in self.sections

    def as_json(self) -> dict[str, Any]:
        return {
            "quick": self.quick,
            "sections": list(self.sections),
            "single_dossiers": self.single,
            "batch_dossiers": self.batch,
            "batch_size": scenarios.BATCH_SIZE,
            "concurrency": self.concurrency,
            "batch_concurrency": self.batch_concurrency,
            "concurrency_1_requests": self.serial,
            "profile_dossiers": self.profile,
            "edxml_packages": self.edxml,
            "citizen_lookups": self.lookups,
            "cached_lookup_requests": self.lookup_requests,
            "backlog_events": self.backlog,
            "backlog_drained": self.drain,
            "backlog_sit_seconds": self.sit_seconds,
            "backlog_drain_limit_seconds": self.drain_seconds,
            "mock_seconds": self.mock_seconds,
            "mock_warm_seconds": self.mock_warm_seconds,
            "intake_seconds": self.intake_seconds,
            "indicator_dossiers": self.indicator_dossiers,
            "indicator_repeat": self.indicator_repeat,
        }


def _names(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(",") if name.strip())
    unknown = [name for name in names if name not in SECTIONS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown section(s) {', '.join(unknown)}; the sections are {', '.join(SECTIONS)}"
        )
    return names


def parse(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick", action="store_true", help="small counts, for a smoke run (figures are noisy)"
    )
    parser.add_argument("--only", type=_names, metavar="S,S", help="run only these sections")
    parser.add_argument("--skip", type=_names, metavar="S,S", help="leave these sections out")
    parser.add_argument(
        "--single", type=int, metavar="N", help="dossiers pushed one by one (each store)"
    )
    parser.add_argument(
        "--batch", type=int, metavar="N", help="dossiers pushed 1,000 a request (each store)"
    )
    parser.add_argument(
        "--concurrency", type=int, default=32, metavar="C", help="requests in flight (32)"
    )
    parser.add_argument(
        "--batch-concurrency",
        type=int,
        default=4,
        metavar="C",
        help="batch requests in flight (4)",
    )
    parser.add_argument(
        "--serial", type=int, metavar="N", help="requests at concurrency 1, for latency"
    )
    parser.add_argument(
        "--profile", type=int, metavar="N", help="dossiers pushed to the profiled gateway"
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the profiled run")
    parser.add_argument(
        "--edxml", type=int, metavar="N", help="edXML packages per measured step (0 skips them)"
    )
    parser.add_argument(
        "--lookups",
        type=int,
        metavar="N",
        help="citizen lookups each way, then cached business lookups (0 skips; bench.lookups)",
    )
    parser.add_argument(
        "--backlog", type=int, metavar="N", help="pending events in the backlog (1,000,000)"
    )
    parser.add_argument(
        "--drain", type=int, metavar="N", help="backlog events timed as they drain (100,000)"
    )
    parser.add_argument(
        "--mock-seconds",
        type=float,
        metavar="S",
        help="seconds of wrk load on each stub server (15, after a third of that to warm up)",
    )
    parser.add_argument(
        "--intake-seconds",
        type=float,
        metavar="S",
        help="seconds of wrk load on each server of the intake section (15)",
    )
    parser.add_argument(
        "--indicator-dossiers",
        type=int,
        metavar="N",
        help="dossiers of the year the indicators are counted over (1,000,000)",
    )
    parser.add_argument(
        "--profile-mocks",
        action="store_true",
        help=f"also profile our mock under wrk (results/{MOCK_PROFILE_REPORT})",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=RESULTS / "latest.json",
        help="where the figures go (bench/results/latest.json)",
    )
    parser.add_argument(
        "--readme",
        type=Path,
        metavar="PATH",
        help="write the figures table into PATH (by default bench/README.md, after a full run "
        "of every section that is not --quick)",
    )
    parser.add_argument("--no-readme", action="store_true", help="leave the README alone")
    args = parser.parse_args(argv)
    quick = args.quick
    defaults = (200, 2000, 50, 100) if quick else (5000, 20000, 500, 2000)
    single, batch, serial, profile = (
        given if given is not None else default
        for given, default in zip(
            (args.single, args.batch, args.serial, args.profile), defaults, strict=True
        )
    )
    edxml_packages = max(args.edxml if args.edxml is not None else (10 if quick else 200), 0)
    lookup_count = max(args.lookups if args.lookups is not None else (50 if quick else 500), 0)
    backlog_events = args.backlog if args.backlog is not None else (20_000 if quick else 10**6)
    drain = args.drain if args.drain is not None else (10_000 if quick else 100_000)
    mock_seconds = args.mock_seconds if args.mock_seconds is not None else (3.0 if quick else 15.0)
    intake_seconds = (
        args.intake_seconds if args.intake_seconds is not None else (3.0 if quick else 15.0)
    )
    indicator_dossiers = (
        args.indicator_dossiers
        if args.indicator_dossiers is not None
        else (20_000 if quick else 1_000_000)
    )
    for name, value in (
        ("--single", single),
        ("--batch", batch),
        ("--concurrency", args.concurrency),
        ("--batch-concurrency", args.batch_concurrency),
        ("--serial", serial),
        ("--backlog", backlog_events),
        ("--drain", drain),
        ("--mock-seconds", mock_seconds),
        ("--intake-seconds", intake_seconds),
        ("--indicator-dossiers", indicator_dossiers),
    ):
        if value < 1:
            parser.error(f"{name} must be at least 1, not {value}")
    sections = _chosen(args.only, args.skip)
    if args.no_profile or profile < 1 or (quick and args.profile is None):
        sections = tuple(s for s in sections if s != "profile")
    if edxml_packages == 0:
        sections = tuple(s for s in sections if s != "edxml")
    if lookup_count == 0:
        sections = tuple(s for s in sections if s != "lookups")
    readme = args.readme
    if readme is None and not args.no_readme and not quick and sections == SECTIONS:
        readme = README
    return Options(
        single=single,
        batch=batch,
        concurrency=args.concurrency,
        batch_concurrency=args.batch_concurrency,
        serial=serial,
        profile=profile,
        edxml=edxml_packages,
        output=args.output,
        lookups=lookup_count,
        lookup_requests=1000 if quick else 20000,
        sections=sections,
        backlog=backlog_events,
        drain=min(drain, backlog_events),
        sit_seconds=3.0 if quick else 30.0,
        drain_seconds=60.0 if quick else 300.0,
        mock_seconds=mock_seconds,
        mock_warm_seconds=max(round(mock_seconds / 3), 1),
        intake_seconds=intake_seconds,
        indicator_dossiers=indicator_dossiers,
        indicator_repeat=2 if quick else 5,
        profile_mocks=args.profile_mocks,
        readme=None if args.no_readme else readme,
        quick=quick,
    )


def _chosen(only: tuple[str, ...] | None, skip: tuple[str, ...] | None) -> tuple[str, ...]:
    wanted = set(only) if only else set(SECTIONS)
    wanted -= set(skip or ())
    return tuple(section for section in SECTIONS if section in wanted)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse(argv)
    console = Console()
    results: dict[str, Any] = {**report.stamp(), "options": options.as_json()}
    took: dict[str, float] = {}

    def timed(section: str, measure: Callable[[], dict[str, Any]]) -> None:
        began = time.perf_counter()
        results[_key(section)] = measure()
        took[section] = round(time.perf_counter() - began, 1)

    with tempfile.TemporaryDirectory(prefix="lienthong-bench-") as folder:
        workspace = Workspace(Path(folder))
        if any(options.runs(section) for section in WITH_MOCKS):
            with scenarios.mocks(workspace) as mocks:
                for section, measure in _WITH_MOCKS.items():
                    if options.runs(section):
                        timed(section, partial(measure, console, workspace, mocks, options))
        for section, alone in _ON_THEIR_OWN.items():
            if options.runs(section):
                timed(section, partial(alone, console, workspace, options))
    results["machine"]["load_average_at_end"] = report.load_average()
    results["section_seconds"] = took
    report.write(options.output, results)
    _show(console, results)
    console.print(f"Figures written to {options.output}")
    if options.readme is not None:
        markdown.update(options.readme, results)
        console.print(f"Figures table written into {options.readme}")
    return 0


def _key(section: str) -> str:
    """Where a section's figures go in the results (kept from before sections had names)."""
    return "mock_throughput" if section == "mocks" else section


def _stores(
    console: Console, workspace: Workspace, mocks: Server, options: Options
) -> dict[str, Any]:
    plan = stores.Plan(
        single=options.single,
        batch=options.batch,
        concurrency=options.concurrency,
        batch_concurrency=options.batch_concurrency,
        modes=("batch",) if options.quick else ("single", "batch"),
    )
    return stores.measure(console, workspace, mocks, plan)


def _lookups(
    console: Console, workspace: Workspace, mocks: Server, options: Options
) -> dict[str, Any]:
    return lookups.measure(
        console,
        workspace,
        mocks,
        lookups=options.lookups,
        requests=options.lookup_requests,
        concurrency=options.concurrency,
    )


def _mocks(console: Console, workspace: Workspace, options: Options) -> dict[str, Any]:
    return mock_throughput.measure(
        console,
        workspace,
        seconds=options.mock_seconds,
        warm_seconds=options.mock_warm_seconds,
        connections=options.concurrency,
        profile=options.output.parent / MOCK_PROFILE_REPORT if options.profile_mocks else None,
    )


def _intake(console: Console, workspace: Workspace, options: Options) -> dict[str, Any]:
    return intake.measure(console, workspace, intake.Plan(seconds=options.intake_seconds))


def _processes(console: Console, workspace: Workspace, options: Options) -> dict[str, Any]:
    rounds = 1 if options.quick else processes.ROUNDS
    console.print(
        f"[bold]processes[/bold] gateway processes ({', '.join(processes.LAYOUTS)}), "
        f"{rounds} round(s) of {options.intake_seconds:.0f} s each"
    )
    return processes.measure(
        workspace.path("processes"), seconds=options.intake_seconds, rounds=rounds
    )


def _backlog(console: Console, workspace: Workspace, options: Options) -> dict[str, Any]:
    return backlog.measure(
        console,
        workspace,
        events=options.backlog,
        drain=options.drain,
        sit_seconds=options.sit_seconds,
        drain_seconds=options.drain_seconds,
        settings=QUICK_BACKLOG_SETTINGS if options.quick else None,
    )


def _edxml(console: Console, workspace: Workspace, options: Options) -> dict[str, Any]:
    return edxml.measure(console, packages=options.edxml)


def _indicators(console: Console, workspace: Workspace, options: Options) -> dict[str, Any]:
    return indicators.measure(
        console,
        workspace,
        dossiers=options.indicator_dossiers,
        repeat=options.indicator_repeat,
    )


def _show(console: Console, results: dict[str, Any]) -> None:
    report.show(console, results)
    shows: tuple[tuple[str, Callable[[Console, dict[str, Any]], None]], ...] = (
        ("intake", intake.show),
        ("processes", processes.show),
        ("lookups", lookups.show),
        ("mock_throughput", mock_throughput.show),
        ("backlog", backlog.show),
        ("edxml", edxml.show),
        ("indicators", indicators.show),
    )
    for key, show in shows:
        if key in results:
            show(console, results[key])
    console.print(
        "section seconds: "
        + ", ".join(f"{name} {seconds:.0f}" for name, seconds in results["section_seconds"].items())
    )


def _gateway(
    console: Console, workspace: Workspace, mocks: Server, options: Options
) -> dict[str, Any]:
    runs: dict[str, Any] = {}
    plan = (
        ("single", "single", options.single, options.concurrency),
        ("batch", "batch", options.batch, options.batch_concurrency),
        ("single_concurrency_1", "single", options.serial, 1),
    )
    for offset, (name, mode, count, concurrency) in enumerate(plan):
        console.print(
            f"[bold]gateway[/bold] {name}: {count:,} dossiers at concurrency {concurrency}"
        )
        with scenarios.gateway(workspace, name, mocks.url) as gateway:
            result = scenarios.ingest(
                gateway,
                mocks,
                mode=mode,
                count=count,
                concurrency=concurrency,
                first_sequence=offset * 10**9 + 1,
            )
        runs[name] = result.as_json()
    return runs


def _profile(
    console: Console, workspace: Workspace, mocks: Server, options: Options
) -> dict[str, Any]:
    console.print(
        f"[bold]gateway under pyinstrument[/bold]: {options.profile:,} dossiers "
        f"at concurrency {options.concurrency}"
    )
    session = workspace.path("gateway.pyisession")
    with scenarios.gateway(workspace, "profile", mocks.url, profile=session) as gateway:
        run = scenarios.ingest(
            gateway,
            mocks,
            mode="single",
            count=options.profile,
            concurrency=options.concurrency,
        )
    if not session.exists():
        raise scenarios.DeliveryError(
            f"the profiled gateway stopped without writing its profile:\n{gateway.log_tail()}"
        )
    text = options.output.parent / PROFILE_REPORT
    profile = profiling.summarise(session, text)
    return {
        "dossiers": options.profile,
        "report": _shown(text),
        "run_under_profiler": run.as_json(),
        **profile.as_json(),
    }


def _relay(console: Console, workspace: Workspace, options: Options) -> dict[str, Any]:
    sink, relay = scenarios.relay_servers(workspace)
    with sink, relay:
        console.print(
            f"[bold]relay[/bold]: {options.single:,} requests at concurrency "
            f"{options.concurrency}, then {options.serial:,} at concurrency 1"
        )
        concurrent = scenarios.drive_relay(
            relay, sink, count=options.single, concurrency=options.concurrency
        )
        serial = scenarios.drive_relay(relay, sink, count=options.serial, concurrency=1)
    return {"concurrent": concurrent.as_json(), "concurrency_1": serial.as_json()}


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPOSITORY))
    except ValueError:
        return str(path)


WithMocks = Callable[[Console, Workspace, Server, Options], dict[str, Any]]
Alone = Callable[[Console, Workspace, Options], dict[str, Any]]

_WITH_MOCKS: dict[str, WithMocks] = {
    "gateway": _gateway,
    "profile": _profile,
    "stores": _stores,
    "lookups": _lookups,
}
_ON_THEIR_OWN: dict[str, Alone] = {
    "intake": _intake,
    "processes": _processes,
    "relay": _relay,
    "mocks": _mocks,
    "backlog": _backlog,
    "edxml": _edxml,
    "indicators": _indicators,
}
