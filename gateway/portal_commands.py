"""``lienthong catalogue`` and ``lienthong reconcile``: the national catalogue and reconciliation
with the portal from the command line, through the same services the console uses
(``gateway.catalogue``, ``gateway.reconciliation``), on the configured store and portal.

``catalogue sync`` fetches the catalogue now (a new version only when something changed) and
prints what changed; ``catalogue diff [--version N]`` prints what a version added, changed and
withdrawn; ``catalogue versions`` lists them. ``reconcile`` compares what the gateway delivered
with what the portal holds, keeps the plan, prints a summary and, with ``--output``, writes the
plan as JSON; ``--apply`` queues its repairs (audited as the OS user's, with ``--reason``), for
the worker of a running gateway to deliver. Exit codes: 0 nothing to repair (or repaired), 1 a
plan with differences not applied, 2 the command could not run.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from adapters.errors import AdapterError
from gateway import bootstrap
from gateway.bootstrap import Gateway
from gateway.catalogue import HELD_LISTS, EmptyCatalogue, VersionRow
from gateway.operations import Action, Operator
from gateway.reconciliation import Plan, ReconcileRefused
from gateway.settings import Settings
from mappings.dossier import VIETNAM

T = TypeVar("T")

catalogue = typer.Typer(
    help="The national procedure catalogue the gateway holds: sync it, read its versions.",
    no_args_is_help=True,
)
console = Console()

JsonOption = Annotated[bool, typer.Option("--json", help="JSON instead of tables.")]


def _run(work: Callable[[Gateway], Awaitable[T]]) -> T:
    """``work`` on a gateway built from the settings, its store migrated, closed after."""
    settings = Settings()

    async def run() -> T:
        gateway = bootstrap.build(settings)
        try:
            await gateway.store.migrate()
            return await work(gateway)
        finally:
            await gateway.close()

    return asyncio.run(run())


def _when(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, VIETNAM).isoformat(timespec="seconds")


def _version_json(version: VersionRow) -> dict[str, object]:
    return {
        "version": version.version,
        "fetched_at": _when(version.fetched_at),
        "checked_at": _when(version.checked_at),
        "counts": version.counts,
        "changes": {
            name: {
                "added": [asdict(n) for n in listed.added],
                "changed": [asdict(c) for c in listed.changed],
                "withdrawn": [asdict(n) for n in listed.withdrawn],
            }
            for name, listed in version.changes.items()
        },
    }


def _fail(command: str, error: Exception) -> typer.Exit:
    console.print(f"[bold red]lienthong {command}:[/] {escape(str(error))}")
    return typer.Exit(2)


def _print_changes(version: VersionRow) -> None:
    if not version.changes:
        console.print(f"Version {version.version}: nothing changed.", markup=False)
        return
    table = Table(title=f"Version {version.version}, fetched {_when(version.fetched_at)}")
    for column in ("list", "change", "code", "name", "fields"):
        table.add_column(column)
    for name, listed in version.changes.items():
        for added in listed.added:
            table.add_row(name, "added", added.code, escape(added.name), "")
        for changed in listed.changed:
            fields = ", ".join(changed.fields)
            table.add_row(name, "changed", changed.code, escape(changed.name), fields)
        for withdrawn in listed.withdrawn:
            table.add_row(name, "withdrawn", withdrawn.code, escape(withdrawn.name), "")
    console.print(table)


@catalogue.command("sync")
def sync(as_json: JsonOption = False) -> None:
    """Fetch the national catalogue now; keep it as a new version when anything changed.

    Once a catalogue is held, POST /v1/dossiers refuses a procedure it lacks, and the gateway
    refreshes it every LIENTHONG_CATALOGUE_REFRESH_HOURS. Audited as the OS user's.
    """

    async def work(gateway: Gateway) -> VersionRow:
        outcome = await gateway.catalogue.sync()
        await gateway.operations.record(
            Operator.from_os(),
            Action.catalogue_sync,
            count=outcome.version.change_count,
            detail=f"version {outcome.version.version}"
            + (", new" if outcome.new else ", unchanged"),
        )
        return outcome.version

    try:
        version = _run(work)
    except (AdapterError, EmptyCatalogue) as error:
        raise _fail("catalogue sync", error) from None
    if as_json:
        sys.stdout.write(json.dumps(_version_json(version), ensure_ascii=False, indent=2) + "\n")
        return
    counts = ", ".join(f"{version.counts.get(name, 0)} {name}" for name in HELD_LISTS)
    console.print(f"Catalogue version {version.version}: {counts}.", markup=False)
    _print_changes(version)


@catalogue.command("diff")
def diff(
    version: Annotated[
        int | None, typer.Option("--version", help="The version to show; the latest by default.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """What a version of the catalogue added, changed (and in which fields) and withdrew
    against the version before it."""

    async def work(gateway: Gateway) -> VersionRow | None:
        if version is None:
            return await gateway.catalogue.latest()
        return await gateway.catalogue.version(version)

    found = _run(work)
    if found is None:
        which = f"version {version}" if version is not None else "a catalogue"
        console.print(
            f"[bold red]lienthong catalogue diff:[/] no {which} is held; run `lienthong "
            "catalogue sync` first"
        )
        raise typer.Exit(2)
    if as_json:
        sys.stdout.write(json.dumps(_version_json(found), ensure_ascii=False, indent=2) + "\n")
        return
    _print_changes(found)


@catalogue.command("versions")
def versions() -> None:
    """Every version of the catalogue held, newest first."""
    found = _run(lambda gateway: gateway.catalogue.versions())
    table = Table(title="National catalogue versions")
    for column in ("version", "fetched", "last found current", "procedures", "changes"):
        table.add_column(column)
    for row in found:
        table.add_row(
            str(row.version),
            _when(row.fetched_at),
            _when(row.checked_at),
            str(row.counts.get("procedures", 0)),
            str(row.change_count),
        )
    console.print(table)


def reconcile(
    since: Annotated[
        str | None,
        typer.Option(help="Only dossiers changed since this day (YYYY-MM-DD, Vietnam time)."),
    ] = None,
    dossier: Annotated[str | None, typer.Option(help="Only this dossier code.")] = None,
    apply: Annotated[
        bool, typer.Option("--apply", help="Queue the repairs of the plan (audited).")
    ] = False,
    reason: Annotated[
        str, typer.Option(help="Why the repairs are queued, kept in the audit trail.")
    ] = "reconciliation with the national portal (lienthong reconcile --apply)",
    output: Annotated[Path | None, typer.Option(help="Write the plan here, as JSON.")] = None,
) -> None:
    """Compare what the gateway delivered with what the national portal holds; --apply repairs.

    Each difference is classified (missing, status differs, fields differ, progress missing,
    late) and the plan kept (the console's Đối soát page shows it); --apply queues its repairs
    through the outbox, for a running gateway's worker to deliver. Nothing is deleted. Exits 1
    when differences are left unrepaired.
    """
    if since is not None:
        try:
            datetime.strptime(since, "%Y-%m-%d")
        except ValueError:
            console.print(f"[bold red]lienthong reconcile:[/] --since {since!r} is not YYYY-MM-DD")
            raise typer.Exit(2) from None
    operator = Operator.from_os()

    async def work(gateway: Gateway) -> Plan:
        plan = await gateway.reconciler.plan(actor=operator, since=since, dossier=dossier)
        if apply and plan.repairs and plan.id is not None:
            plan = await gateway.reconciler.apply(plan.id, operator=operator, reason=reason)
        return plan

    try:
        plan = _run(work)
    except ReconcileRefused as error:
        raise _fail("reconcile", error) from None
    if output is not None:
        output.write_text(
            json.dumps(plan.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    _print_plan(plan)
    if plan.unchecked:
        console.print(
            f"{len(plan.unchecked)} dossiers could not be looked up at the portal: "
            f"{escape(plan.unchecked[0]['error'])}"
        )
    if plan.repairs and plan.applied_at is None:
        raise typer.Exit(1)


def _print_plan(plan: Plan) -> None:
    summary = plan.summary
    counted = ", ".join(f"{count} {kind}" for kind, count in summary.items() if count)
    console.print(
        f"Reconciliation {plan.id}: {plan.compared} dossiers compared, "
        f"{len(plan.differences)} differ" + (f" ({counted})" if counted else "") + ".",
        markup=False,
    )
    if plan.differences:
        table = Table()
        for column in ("dossier", "differences", "detail", "repair"):
            table.add_column(column)
        for difference in plan.differences:
            repair = []
            if difference.repair_snapshot:
                repair.append("snapshot")
            if difference.repair_steps:
                repair.append(f"{len(difference.repair_steps)} steps")
            table.add_row(
                difference.dossier,
                ", ".join(kind.value for kind in difference.kinds),
                escape(difference.detail),
                " + ".join(repair) or "none",
            )
        console.print(table)
    if plan.applied_at is not None:
        console.print(
            f"Applied: {plan.queued} events queued for the worker to deliver.", markup=False
        )
    elif plan.repairs:
        console.print(
            f"Run again with --apply to queue the repairs of {len(plan.repairs)} dossiers.",
            markup=False,
        )
