"""``lienthong dead-letters``: failed events from the command line, through the same service
the console uses (``gateway.operations``), each action audited as the OS user's.

The commands work on the configured store (``LIENTHONG_DATABASE_URL``) without starting the
gateway: they never create a store, and refuse one whose schema is behind the code. A replay
wakes the workers of every replica on PostgreSQL; on SQLite the worker sees it at its next look
(``LIENTHONG_WORKER_POLL_INTERVAL``).
"""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import datetime
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from gateway.operations import (
    Action,
    ActionOutcome,
    ActionRefused,
    ActionState,
    FailureQuery,
    ItemResult,
    Operations,
    Operator,
    Preview,
    Selection,
    Status,
)
from gateway.registries.audit import Auditor
from gateway.settings import Settings
from gateway.store import MissingStore, Store, check_exists
from mappings.dossier import VIETNAM

T = TypeVar("T")

dead_letters = typer.Typer(
    help="Failed events: list them, replay them, discard them (each action audited).",
    no_args_is_help=True,
)
console = Console()

SystemOption = Annotated[
    str | None, typer.Option("--system", help="Only events for this national system.")
]
DossierOption = Annotated[
    str | None, typer.Option("--dossier", help="Only events of this dossier code.")
]
IdsOption = Annotated[
    list[int] | None, typer.Option("--id", help="An event to act on (repeat for several).")
]
AllOption = Annotated[
    bool, typer.Option("--all", help="Every failed event (narrowed by --system, --dossier).")
]
ReasonOption = Annotated[
    str, typer.Option("--reason", help="Why: kept in the audit trail with the action.")
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Show what would be done, and do nothing.")
]


class Refused(Exception):
    """The command cannot run as asked: the message says why."""


def _moment(text: str) -> float:
    """``2026-12-01`` (midnight) or an ISO 8601 time; without an offset, Vietnam time."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not a date (YYYY-MM-DD) or an ISO 8601 time"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=VIETNAM)
    return moment.timestamp()


def _when(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, VIETNAM).strftime("%Y-%m-%d %H:%M")


@asynccontextmanager
async def operations(settings: Settings) -> AsyncIterator[Operations]:
    """The service over the configured store, which must exist and be up to date."""
    check_exists(settings.database_url)
    store = Store(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    try:
        current, head = await store.migration_state()
        if current != head:
            raise Refused(
                f"the store at {settings.database_url} is at revision {current or '(none)'}, "
                f"the code expects {head}: start `lienthong serve` or `lienthong worker` once "
                "to migrate it"
            )
        yield Operations(
            store,
            subject_key=Auditor(settings.audit_key.get_secret_value().encode()).subject_key,
            second_approver=settings.console_second_approver,
        )
    finally:
        await store.dispose()


def run(command: str, work: Callable[[Operations], Awaitable[T]]) -> T:
    """Run ``work`` with the service; refusals end the command with status 2 and the reason."""
    settings = Settings()

    async def go() -> T:
        async with operations(settings) as ops:
            return await work(ops)

    try:
        return asyncio.run(go())
    except (MissingStore, Refused, ActionRefused) as error:
        console.print(f"[bold red]lienthong dead-letters {command}:[/] {escape(str(error))}")
        raise typer.Exit(2) from None
    except SQLAlchemyError as error:
        reason = getattr(error, "orig", None) or error
        console.print(
            f"[bold red]lienthong dead-letters {command}:[/] cannot use the store at "
            f"{escape(settings.database_url)}: {type(error).__name__}: {escape(str(reason))}"
        )
        raise typer.Exit(2) from None


@dead_letters.command("list")
def list_events(
    system: SystemOption = None,
    dossier: DossierOption = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only events that failed since this date or time (Vietnam time)."),
    ] = None,
    status: Annotated[
        Status | None, typer.Option(help="dead or retrying (both by default).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="Most events shown, newest first.")] = 100,
    output_json: Annotated[
        bool, typer.Option("--json", help="One JSON array, for scripts.")
    ] = False,
) -> None:
    """Dead and retrying events, newest first, with why they failed."""
    if status is not None and status not in (Status.dead, Status.retrying):
        raise typer.BadParameter("dead or retrying", param_hint="--status")
    query = FailureQuery(
        status=status,
        system=system,
        dossier=dossier,
        since=_moment(since) if since else None,
    )
    page = run("list", lambda ops: ops.failures(query, limit=limit))
    if output_json:
        events = [{**asdict(e), "status": e.status.value} for e in page.items]
        sys.stdout.write(json.dumps(events, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(
        title=f"{page.total} failed events" + (f", newest {limit}" if page.has_more else "")
    )
    for column in ("id", "system", "dossier", "status", "tries", "failed at", "why"):
        table.add_column(column, justify="right" if column in ("id", "tries") else "left")
    for e in page.items:
        table.add_row(
            str(e.id),
            e.system,
            e.dossier,
            e.status.value + (" (in delivery)" if e.in_delivery else ""),
            str(e.attempts),
            _when(e.failed_at),
            escape(e.last_error or ""),
        )
    console.print(table)


def _selection(
    ids: list[int] | None, every: bool, system: str | None, dossier: str | None
) -> Selection:
    if bool(ids) == every:
        raise typer.BadParameter("give --id (one or more) or --all, not both")
    if ids:
        if system or dossier:
            raise typer.BadParameter("--system and --dossier narrow --all; with --id, name events")
        return Selection(ids=tuple(ids))
    return Selection(query=FailureQuery(system=system, dossier=dossier))


def _print_preview(verb: str, preview: Preview) -> None:
    dossiers = preview.dossiers
    shown = ", ".join(dossiers[:10]) + (
        f" and {len(dossiers) - 10} more" if len(dossiers) > 10 else ""
    )
    systems = ", ".join(f"{name}: {count}" for name, count in sorted(preview.by_system.items()))
    console.print(
        f"Would {verb} {preview.ready} of {preview.count} events "
        f"({systems or 'none'}), of {len(dossiers)} dossiers: {shown or '-'}",
        markup=False,
    )
    for item in preview.items:
        if item.blocked is not None:
            console.print(f"  would skip {item.event.id}: {item.blocked}", markup=False)
    for missing in preview.missing:
        console.print(f"  would skip {missing}: no such event", markup=False)
    console.print("Nothing was changed (--dry-run).", markup=False)


def _print_outcome(verb: str, outcome: ActionOutcome) -> None:
    if outcome.state is ActionState.requested:
        console.print(
            f"Asked to {verb} {len(outcome.results)} events (action {outcome.action_id}); "
            "a different operator approves it in the console or with "
            f"`lienthong dead-letters approve {outcome.action_id}`.",
            markup=False,
        )
        return
    console.print(
        f"Action {outcome.action_id} ({outcome.state}): {outcome.summary()}.", markup=False
    )
    for item in outcome.results:
        if item.result is ItemResult.skipped:
            console.print(f"  skipped {item.id}: {item.detail}", markup=False)


def _act(
    action: Action,
    ids: list[int] | None,
    every: bool,
    system: str | None,
    dossier: str | None,
    reason: str,
    dry_run: bool,
) -> None:
    selection = _selection(ids, every, system, dossier)
    verb = str(action)
    if dry_run:
        preview = run(verb, lambda ops: ops.preview(action, selection))
        _print_preview(verb, preview)
        return
    operator = Operator.from_os()

    async def act(ops: Operations) -> ActionOutcome:
        if action is Action.replay:
            return await ops.replay(selection, operator=operator, reason=reason)
        return await ops.discard(selection, operator=operator, reason=reason)

    outcome = run(verb, act)
    _print_outcome(verb, outcome)
    if outcome.counts.get(ItemResult.skipped.value):
        raise typer.Exit(1)


@dead_letters.command()
def replay(
    reason: ReasonOption,
    ids: IdsOption = None,
    every: AllOption = False,
    system: SystemOption = None,
    dossier: DossierOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Deliver failed events again, each in its place in its dossier's order.

    Exits 1 when some were skipped (each is named with why).
    """
    _act(Action.replay, ids, every, system, dossier, reason, dry_run)


@dead_letters.command()
def discard(
    reason: ReasonOption,
    ids: IdsOption = None,
    every: AllOption = False,
    system: SystemOption = None,
    dossier: DossierOption = None,
    dry_run: DryRunOption = False,
) -> None:
    """Give up on failed events: kept, marked discarded with the reason, never deleted.

    Exits 1 when some were skipped (each is named with why).
    """
    _act(Action.discard, ids, every, system, dossier, reason, dry_run)


@dead_letters.command()
def approve(
    action_id: Annotated[int, typer.Argument(help="The requested action to carry out.")],
    note: Annotated[str | None, typer.Option(help="A note kept with the approval.")] = None,
) -> None:
    """Carry out a replay or discard another operator asked for (second approver)."""
    operator = Operator.from_os()
    outcome = run("approve", lambda ops: ops.approve(action_id, operator=operator, note=note))
    _print_outcome(str(outcome.action), outcome)


@dead_letters.command()
def reject(
    action_id: Annotated[int, typer.Argument(help="The requested action to drop.")],
    reason: ReasonOption,
) -> None:
    """Drop a replay or discard another operator asked for; nothing changes."""
    operator = Operator.from_os()
    outcome = run("reject", lambda ops: ops.reject(action_id, operator=operator, reason=reason))
    console.print(f"Action {outcome.action_id} rejected.", markup=False)
