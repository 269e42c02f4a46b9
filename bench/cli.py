"""``python -m bench``: the gateway end to end on SQLite, a naive relay, a profile, edXML
packages (``bench.edxml``) and registry lookups (``bench.lookups``).

One run starts the national mocks once, then for each measurement a fresh gateway (its own
SQLite file) or the relay pair, and stops every server it started before it ends. Figures go to
the terminal and to ``--output`` (``bench/results/latest.json``); the profile's call tree goes
next to it as ``profile-gateway.txt``.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from bench import edxml, lookups, profiling, report, scenarios
from bench.scenarios import Workspace
from bench.servers import REPOSITORY, Server

RESULTS = REPOSITORY / "bench" / "results"
PROFILE_REPORT = "profile-gateway.txt"


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

    def as_json(self) -> dict[str, Any]:
        return {
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
        }


def parse(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="small counts, for a smoke run (figures are noisy)"
    )
    parser.add_argument("--single", type=int, metavar="N", help="dossiers pushed one by one")
    parser.add_argument("--batch", type=int, metavar="N", help="dossiers pushed 1,000 a request")
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
        "--output",
        type=Path,
        default=RESULTS / "latest.json",
        help="where the figures go (bench/results/latest.json)",
    )
    args = parser.parse_args(argv)
    defaults = (200, 2000, 50, 200) if args.quick else (5000, 20000, 500, 2000)
    single, batch, serial, profile = (
        given if given is not None else default
        for given, default in zip(
            (args.single, args.batch, args.serial, args.profile), defaults, strict=True
        )
    )
    for name, value in (
        ("--single", single),
        ("--batch", batch),
        ("--concurrency", args.concurrency),
        ("--batch-concurrency", args.batch_concurrency),
        ("--serial", serial),
    ):
        if value < 1:
            parser.error(f"{name} must be at least 1, not {value}")
    return Options(
        single=single,
        batch=batch,
        concurrency=args.concurrency,
        batch_concurrency=args.batch_concurrency,
        serial=serial,
        profile=0 if args.no_profile else max(profile, 1),
        edxml=max(args.edxml if args.edxml is not None else (20 if args.quick else 200), 0),
        output=args.output,
        lookups=max(args.lookups if args.lookups is not None else (50 if args.quick else 500), 0),
        lookup_requests=2000 if args.quick else 20000,
    )


def main(argv: Sequence[str] | None = None) -> int:
    options = parse(argv)
    console = Console()
    results: dict[str, Any] = {**report.stamp(), "options": options.as_json()}
    with tempfile.TemporaryDirectory(prefix="lienthong-bench-") as folder:
        workspace = Workspace(Path(folder))
        with scenarios.mocks(workspace) as mocks:
            results["gateway"] = _gateway(console, workspace, mocks, options)
            if options.profile:
                results["profile"] = _profile(console, workspace, mocks, options)
            if options.lookups:
                results["lookups"] = lookups.measure(
                    console,
                    workspace,
                    mocks,
                    lookups=options.lookups,
                    requests=options.lookup_requests,
                    concurrency=options.concurrency,
                )
        results["relay"] = _relay(console, workspace, options)
    if options.edxml:
        results["edxml"] = edxml.measure(console, packages=options.edxml)
    report.write(options.output, results)
    report.show(console, results)
    if options.edxml:
        edxml.show(console, results["edxml"])
    if options.lookups:
        lookups.show(console, results["lookups"])
    console.print(f"Figures written to {options.output}")
    return 0


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
