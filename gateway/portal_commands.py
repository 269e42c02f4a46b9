"""``lienthong catalogue``: the national catalogue from the command line, through the same
service the console uses (``gateway.catalogue``), on the configured store and portal.

``catalogue sync`` fetches the catalogue now (a new version only when something changed) and
prints what changed; ``catalogue diff [--version N]`` prints what a version added, changed and
withdrawn; ``catalogue versions`` lists them. Exit code 2 when the command could not run.
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import datetime
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
