"""lienthong: serve the gateway, run the national mocks, run the demo, look at status."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn
import yaml
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import SQLAlchemyError

from gateway import backfill as loading
from gateway import bootstrap, collector, log_format, tracing
from gateway.app import create_app
from gateway.console import invitations
from gateway.dead_letters import dead_letters
from gateway.doctor import Check, Verdict, examine
from gateway.doctor import failures as doctor_failures
from gateway.logging import configure_logging
from gateway.operations import Action, Operator
from gateway.operations.status import SystemStatus, system_status
from gateway.portal_commands import catalogue, reconcile
from gateway.reports.command import report
from gateway.settings import ConsoleRole, Settings
from gateway.store import MissingStore, Store, check_exists
from gateway.systems import SYSTEMS
from gateway.webhooks import new_secret

cli = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
operators = typer.Typer(help="People who use the operator console.", no_args_is_help=True)
cli.add_typer(operators, name="operators")
webhooks = typer.Typer(help="Webhooks to the one-stop system.", no_args_is_help=True)
cli.add_typer(webhooks, name="webhooks")
cli.add_typer(dead_letters, name="dead-letters")
cli.add_typer(catalogue, name="catalogue")
cli.command("report")(report)
console = Console()


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
) -> None:
    """Run the API with the delivery worker beside it."""
    given: dict[str, Any] = {"host": host, "port": port}
    settings = Settings(**{name: value for name, value in given.items() if value is not None})
    log_format.configure(settings.log_level, settings.log_format)
    app = create_app(settings)
    app.openapi()  # what the first request would otherwise build: routes needing a token
    collector.settle()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        timeout_graceful_shutdown=int(settings.worker_lease_seconds),
    )


@cli.command()
def worker() -> None:
    """Run the delivery worker alone, without the API (stops cleanly on SIGTERM or Ctrl-C)."""
    settings = Settings()
    log_format.configure(settings.log_level, settings.log_format)
    if settings.otel_enabled:
        tracing.start(settings.otel_service_name)

    async def run() -> None:
        built = bootstrap.build(settings)
        collector.settle()
        async with bootstrap.running(built, worker=True, poller=False):
            loop = asyncio.get_running_loop()
            stopping = asyncio.Event()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stopping.set)
            await stopping.wait()

    asyncio.run(run())


mocks_cli = typer.Typer(add_completion=False)
cli.add_typer(mocks_cli, name="mocks")


@mocks_cli.callback(invoke_without_command=True)
def mocks(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port of every national mock.")] = 8700,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    journal_capacity: Annotated[
        int, typer.Option(min=1, help="Entries each mock's journal keeps (the oldest go first).")
    ] = 5000,
    scenario: Annotated[
        Path | None, typer.Option(help="A scenario file (YAML) to start with and reset to.")
    ] = None,
    record_from: Annotated[
        str | None, typer.Option(help="Proxy this real national endpoint and record it.")
    ] = None,
    record_to: Annotated[
        Path | None, typer.Option(help="Folder of the recording (personal data replaced).")
    ] = None,
    replay: Annotated[Path | None, typer.Option(help="Serve a recording from this folder.")] = None,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log",
            help="A log line per request; the journals keep every request either way.",
        ),
    ] = True,
) -> None:
    """Serve every national mock on one port (/national-portal, ...), with /__admin/ on each;
    or record a real endpoint, or replay a recording (mocks/README.md)."""
    if ctx.invoked_subcommand is not None:
        return
    from mocks.launch import LaunchError, launch
    from mocks.scenario_files import ScenarioFileError
    from mocks.wire import ReplyProtocol

    try:
        served = launch(
            journal_capacity=journal_capacity,
            scenario=scenario,
            record_from=record_from,
            record_to=record_to,
            replay=replay,
        )
    except (LaunchError, ScenarioFileError) as error:
        console.print(f"[bold red]mocks:[/] {error}")
        raise typer.Exit(2) from None
    configure_logging("INFO")
    console.print(f"Serving {served.description} on http://{host}:{port}")
    collector.settle()
    uvicorn.run(
        served.app,
        host=host,
        port=port,
        log_config=None,
        access_log=access_log,
        http=ReplyProtocol,
    )


@mocks_cli.command("report")
def mocks_report(
    journal_from: Annotated[
        str, typer.Option(help="URL of the running mocks whose journals to check.")
    ] = "http://127.0.0.1:8700",
    output: Annotated[Path, typer.Option(help="Folder to write the report to.")] = Path(
        "conformance-report"
    ),
) -> None:
    """Check the mocks' journals against the national contracts and write the evidence report
    (HTML and Markdown, Vietnamese and English, and JSON)."""
    import httpx

    from mocks.conformance import build_report, journals_from_url, write_report

    try:
        report = build_report(journals_from_url(journal_from))
    except httpx.HTTPError as error:
        console.print(f"[bold red]report:[/] cannot read the journals at {journal_from}: {error}")
        raise typer.Exit(2) from None
    for written in write_report(report, output):
        console.print(str(written))
    for system in report.systems:
        score = "—" if system.score is None else f"{system.score}/100"
        console.print(f"{system.name}: {score}, {system.invalid_count} invalid")


@cli.command()
def demo(
    dossiers: Annotated[int, typer.Option(help="How many dossiers to generate.")] = 200,
    faults: Annotated[
        bool, typer.Option(help="Inject national-side faults to show retries.")
    ] = False,
    exit_when_done: Annotated[
        bool, typer.Option("--exit", help="Stop when delivered; the last line is JSON.")
    ] = False,
    port: Annotated[
        int, typer.Option(help="Port of the gateway (the mocks take port+100).")
    ] = 8600,
    database_url: Annotated[
        str | None, typer.Option(help="Store URL (default: SQLite in a temporary folder).")
    ] = None,
    report_dir: Annotated[
        Path | None,
        typer.Option(help="Folder of the periodic report's file (default: the current one)."),
    ] = None,
) -> None:
    """Start mocks and gateway, push realistic dossiers, show what reached the national side."""
    from gateway.demo import DemoError, DemoOptions, run_demo_sync

    options = DemoOptions(
        dossiers=dossiers,
        faults=faults,
        exit=exit_when_done,
        port=port,
        database_url=database_url,
        report_folder=report_dir,
    )
    try:
        summary = run_demo_sync(options)
    except DemoError as error:
        console.print(f"[bold red]demo stopped:[/] {error}")
        raise typer.Exit(2) from None
    if exit_when_done and (summary.dead or summary.delivered != summary.accepted):
        raise typer.Exit(1)


@cli.command()
def status() -> None:
    """Events per national system in use, in the configured store, and why they failed.

    Accepted, pending, delivered, retried, dead, discarded, the age of the oldest pending event,
    and the reasons of failed events by count. Only reads: a store that does not exist is an
    error.
    """
    settings = Settings()
    in_use = [
        system.name
        for system, config in zip(
            SYSTEMS, bootstrap.national_configs(settings).values(), strict=True
        )
        if config.enabled
    ]

    async def read() -> list[SystemStatus]:
        store = Store(settings.database_url)
        now = time.time()
        try:
            return await store.read(lambda c: system_status(c, in_use, now=now))
        finally:
            await store.dispose()

    try:
        check_exists(settings.database_url)
        found = asyncio.run(read())
    except MissingStore as error:
        console.print(f"[bold red]lienthong status:[/] {error}")
        raise typer.Exit(2) from None
    except SQLAlchemyError as error:
        console.print(
            f"[bold red]lienthong status:[/] cannot read the store at {settings.database_url}: "
            f"{type(error).__name__}: {error.orig if hasattr(error, 'orig') else error!s}"
        )
        raise typer.Exit(2) from None
    table = Table(title=f"lienthong: {settings.database_url}")
    columns = ("accepted", "pending", "delivered", "retried", "dead", "discarded")
    table.add_column("national system")
    for column in (*columns, "oldest pending"):
        table.add_column(column, justify="right")
    for s in found:
        c = s.counts
        figures = (c.accepted, c.pending, c.delivered, c.retried, c.dead, c.discarded)
        table.add_row(s.system, *(str(v) for v in figures), age(s.oldest_pending_age))
    console.print(table)
    failing = [s for s in found if s.reasons]
    if failing:
        reasons = Table(title="Why events failed (dead and retrying), most frequent first")
        reasons.add_column("national system")
        reasons.add_column("events", justify="right")
        reasons.add_column("reason")
        for s in failing:
            for reason in s.reasons:
                reasons.add_row(s.system, str(reason.count), escape(reason.text))
        console.print(reasons)


def age(seconds: float | None) -> str:
    """``45 s``, ``12 min``, ``3 h 05 min``, ``2 d 04 h``; empty for none."""
    if seconds is None:
        return ""
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, hours, days = whole // 60, whole // 3600, whole // 86400
    if hours == 0:
        return f"{minutes} min"
    if days == 0:
        return f"{hours} h {minutes % 60:02d} min"
    return f"{days} d {hours % 24:02d} h"


@cli.command()
def doctor() -> None:
    """Check this gateway's set-up, one line per check; exits 1 naming what failed.

    Settings and secrets, the store and its migrations, the clock, keys and certificates, every
    national system in use (its probe, audited as a test).
    """
    marks = {
        Verdict.ok: "[green]✓[/]",
        Verdict.warning: "[yellow]![/]",
        Verdict.failed: "[bold red]✗[/]",
    }

    def report(check: Check) -> None:
        console.print(f"{marks[check.verdict]} {check.name}: {escape(check.detail)}")

    logging.disable(logging.WARNING)
    try:
        checks = asyncio.run(examine(report))
    finally:
        logging.disable(logging.NOTSET)
    failed = doctor_failures(checks)
    if failed:
        console.print(f"[bold red]lienthong doctor:[/] failed: {escape(', '.join(failed))}")
        raise typer.Exit(1)
    console.print("lienthong doctor: every check passed.", markup=False)


class RateColumn(ProgressColumn):
    """Dossiers a second, as measured over the last moments."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:,.0f}/s" if task.speed else "-/s")


@cli.command()
def backfill(
    path: Annotated[
        Path, typer.Argument(help="JSON Lines of canonical dossiers, or a folder of such files.")
    ],
    batch: Annotated[int, typer.Option(min=1, help="Dossiers stored per transaction.")] = 200,
    refused: Annotated[
        Path | None,
        typer.Option(help="Write each refused dossier's place and reason here (JSON Lines)."),
    ] = None,
) -> None:
    """Load dossiers kept before the gateway, validated as POST /v1/dossiers validates them.

    Stopped and started again, it goes on where it was (a checkpoint beside the input) without
    queuing anything twice. Exits 1 when some dossiers were refused. Audited as the OS user's
    backfill.
    """
    settings = Settings()
    configure_logging("ERROR")
    try:
        files = loading.sources(path)
    except FileNotFoundError as error:
        console.print(f"[bold red]lienthong backfill:[/] {escape(str(error))}")
        raise typer.Exit(2) from None
    total = loading.count_lines(files)
    summary = loading.Summary()
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RateColumn(),
        TimeRemainingColumn(),
        console=console,
    )

    async def load() -> None:
        gateway = bootstrap.build(settings)
        await gateway.store.migrate()
        try:
            with progress, refused.open("a", encoding="utf-8") if refused else nullcontext() as out:
                task = progress.add_task("dossiers", total=total)
                try:
                    await loading.backfill(
                        path,
                        gateway.store,
                        gateway.dossier_targets,
                        gateway.auditor.subject_key,
                        batch_size=batch,
                        progress=lambda n: progress.advance(task, n),
                        refused_out=out,
                        summary=summary,
                        procedures=gateway.catalogue.check,
                    )
                finally:
                    if summary.read:
                        await gateway.operations.record(
                            Operator.from_os(),
                            Action.backfill,
                            count=summary.read,
                            selection={"path": str(path.resolve())},
                            detail=json.dumps(loading.described(summary), ensure_ascii=False),
                        )
        finally:
            await gateway.close()

    try:
        asyncio.run(load())
    except KeyboardInterrupt:
        console.print(
            f"Interrupted after {summary.read} dossiers; run the same command to go on.",
            markup=False,
        )
        raise typer.Exit(130) from None
    console.print(
        f"{summary.read} read: {summary.queued} queued, {summary.unchanged} unchanged, "
        f"{summary.refused_total} refused; {summary.skipped} done by an earlier run.",
        markup=False,
    )
    for reason, count in summary.refused.most_common():
        places = ", ".join(summary.examples[reason])
        console.print(f"  {count} refused: {reason} (e.g. {places})", markup=False)
    if summary.refused_total:
        raise typer.Exit(1)


@operators.command("invite")
def invite_operator(
    name: Annotated[str, typer.Argument(help="Who the link signs in, as the console shows them.")],
    role: Annotated[
        ConsoleRole, typer.Option(help="viewer reads; operator also replays, discards, tests.")
    ] = ConsoleRole.viewer,
) -> None:
    """Print a one-time console sign-in link for NAME with ROLE, valid 15 minutes."""
    settings = Settings()
    try:
        link = asyncio.run(invitation_link(settings, name, role))
    except ValueError as error:
        console.print(f"[bold red]lienthong operators invite:[/] {error}")
        raise typer.Exit(2) from None
    minutes = invitations.LIFETIME // 60
    console.print(
        f"Sign-in link for {name} ({role.value}), valid {minutes} minutes, once:", markup=False
    )
    sys.stdout.write(link + "\n")


async def invitation_link(settings: Settings, name: str, role: ConsoleRole) -> str:
    """A one-time link signing ``name`` in to the console of the configured store as ``role``
    (the store is created or migrated first)."""
    store = Store(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    try:
        await store.migrate()
        token = await store.write(lambda connection: invitations.invite(connection, name, role))
    finally:
        await store.dispose()
    return f"{settings.console_base_url}invitation/{token}"


@webhooks.command("secret")
def webhook_secret() -> None:
    """Print a fresh webhook secret (whsec_ and 32 random bytes in base64): set it as
    LIENTHONG_WEBHOOK_SECRET here and give it to the receiver."""
    sys.stdout.write(new_secret() + "\n")


@cli.command()
def openapi(
    output_json: Annotated[bool, typer.Option("--json", help="JSON instead of YAML.")] = False,
) -> None:
    """Print the gateway's OpenAPI document (committed as openapi/gateway.yaml)."""
    document = gateway_openapi()
    if output_json:
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))


def gateway_openapi() -> dict[str, object]:
    """The document of an app built only to be described: its start-up warnings (development
    secrets, a throwaway signing key) are not said."""
    logging.disable(logging.WARNING)
    try:
        with tempfile.TemporaryDirectory() as keys:
            settings = Settings(database_url="sqlite:///:memory:", keys_dir=Path(keys))
            return create_app(settings).openapi()
    finally:
        logging.disable(logging.NOTSET)


cli.command()(reconcile)


def main() -> None:
    cli()
