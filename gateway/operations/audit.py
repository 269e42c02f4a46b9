"""The operator action audit trail: who did what, when, to how many, chosen how, and why.

Every operator action is one row: signing in, replaying, discarding, testing a national system,
exporting, downloading, inviting, approving or rejecting another operator's request, loading
dossiers with ``lienthong backfill``. The actor
is the console operator (their id and name) or, for the CLI, the user of the operating system
(``os:<user>``). A replay or discard that waits for a second operator stays ``requested`` until
one approves or rejects it (``gateway.operations.actions``). Rows are never changed but for that
decision, and never deleted.
"""

from __future__ import annotations

import getpass
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Row, func, or_, select

from gateway.csv_text import csv_text
from gateway.store.schema import operator_actions
from mappings.dossier import VIETNAM

T = TypeVar("T")


class Action(StrEnum):
    sign_in = "sign-in"
    replay = "replay"
    discard = "discard"
    test = "test"
    export = "export"
    download = "download"
    invite = "invite"
    approve = "approve"
    reject = "reject"
    backfill = "backfill"
    reconcile = "reconcile"
    """Repairs of a reconciliation with the portal queued (``gateway.reconciliation``)."""
    catalogue_sync = "catalogue-sync"
    """The national catalogue fetched at an operator's asking (``gateway.catalogue``)."""
    report_submit = "report-submit"
    """A periodic report submitted to the national reporting system (``gateway.reports``)."""


class ActionState(StrEnum):
    done = "done"
    """Carried out when it was asked for."""
    requested = "requested"
    """Waits for a second operator (``console_second_approver``)."""
    approved = "approved"
    """A second operator approved it, and it was carried out then."""
    rejected = "rejected"
    """A second operator rejected it; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Operator:
    """Who acts: the console's operator id and display name, or the CLI's OS user."""

    id: str
    name: str

    @classmethod
    def from_os(cls) -> Operator:
        """The user running the command, as ``os:<user>``."""
        user = getpass.getuser()
        return cls(id=f"os:{user}", name=user)


@dataclass(frozen=True, slots=True)
class OperatorAction:
    id: int
    at: float
    actor: str
    actor_name: str
    action: str
    state: ActionState
    count: int
    selection: Any
    """The filter (an object) or the ids (a list) the action was given, or None."""
    reason: str | None
    detail: str | None
    approves: int | None
    """For an approval or rejection: the id of the requested action it decided."""
    decided_by: str | None
    decided_at: float | None


@dataclass(frozen=True, slots=True)
class ActionQuery:
    """Which actions to list; every filter given must match. ``text`` is looked for in the
    reason, the detail and the selection (case-insensitively)."""

    actor: str | None = None
    action: str | None = None
    state: ActionState | None = None
    since: float | None = None
    until: float | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a longer list: ``items``, where it starts (``offset``), how many a page
    holds (``limit``), and how many there are in all (``total``)."""

    items: list[T]
    total: int
    offset: int
    limit: int

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


def record(
    connection: Connection,
    operator: Operator,
    action: Action | str,
    *,
    count: int = 0,
    selection: Mapping[str, Any] | Sequence[Any] | None = None,
    reason: str | None = None,
    detail: str | None = None,
    state: ActionState = ActionState.done,
    approves: int | None = None,
    at: float | None = None,
) -> int:
    """Add one action to the trail; returns its id."""
    result = connection.execute(
        operator_actions.insert()
        .values(
            at=time.time() if at is None else at,
            actor=operator.id,
            actor_name=operator.name,
            action=str(action),
            state=state.value,
            count=count,
            selection=None
            if selection is None
            else json.dumps(selection, ensure_ascii=False, sort_keys=True),
            reason=reason,
            detail=detail,
            approves=approves,
        )
        .returning(operator_actions.c.id)
    )
    return int(result.scalar_one())


def _action(row: Row[Any]) -> OperatorAction:
    return OperatorAction(
        id=row.id,
        at=row.at,
        actor=row.actor,
        actor_name=row.actor_name,
        action=row.action,
        state=ActionState(row.state),
        count=row._mapping["count"],
        selection=None if row.selection is None else json.loads(row.selection),
        reason=row.reason,
        detail=row.detail,
        approves=row.approves,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


def get_action(connection: Connection, action_id: int) -> OperatorAction | None:
    row = connection.execute(
        select(operator_actions).where(operator_actions.c.id == action_id)
    ).first()
    return None if row is None else _action(row)


def _filtered(query: ActionQuery) -> list[Any]:
    table = operator_actions
    conditions: list[Any] = []
    if query.actor is not None:
        conditions.append(table.c.actor == query.actor)
    if query.action is not None:
        conditions.append(table.c.action == str(query.action))
    if query.state is not None:
        conditions.append(table.c.state == query.state.value)
    if query.since is not None:
        conditions.append(table.c.at >= query.since)
    if query.until is not None:
        conditions.append(table.c.at < query.until)
    if query.text:
        pattern = f"%{query.text.lower()}%"
        conditions.append(
            or_(
                func.lower(table.c.reason).like(pattern),
                func.lower(table.c.detail).like(pattern),
                func.lower(table.c.selection).like(pattern),
            )
        )
    return conditions


def find_actions(
    connection: Connection, query: ActionQuery, *, offset: int = 0, limit: int = 50
) -> Page[OperatorAction]:
    """Actions matching ``query``, newest first."""
    conditions = _filtered(query)
    total = connection.execute(
        select(func.count()).select_from(operator_actions).where(*conditions)
    ).scalar_one()
    rows = connection.execute(
        select(operator_actions)
        .where(*conditions)
        .order_by(operator_actions.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return Page([_action(row) for row in rows], int(total), offset, limit)


def all_actions(connection: Connection, query: ActionQuery) -> list[OperatorAction]:
    """Every action matching ``query``, oldest first (for an export)."""
    rows = connection.execute(
        select(operator_actions).where(*_filtered(query)).order_by(operator_actions.c.id)
    )
    return [_action(row) for row in rows]


CSV_COLUMNS = (
    "id",
    "at",
    "actor",
    "actor_name",
    "action",
    "state",
    "count",
    "selection",
    "reason",
    "detail",
    "approves",
    "decided_by",
    "decided_at",
)


def _when(epoch: float | None) -> str:
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, VIETNAM).isoformat(timespec="seconds")


def actions_csv(actions: Iterable[OperatorAction]) -> str:
    """The actions as CSV (``gateway.csv_text``), times in Vietnam time, ISO 8601."""
    return csv_text(
        CSV_COLUMNS,
        (
            [
                a.id,
                _when(a.at),
                a.actor,
                a.actor_name,
                a.action,
                a.state.value,
                a.count,
                "" if a.selection is None else json.dumps(a.selection, ensure_ascii=False),
                a.reason or "",
                a.detail or "",
                "" if a.approves is None else a.approves,
                a.decided_by or "",
                _when(a.decided_at),
            ]
            for a in actions
        ),
    )
