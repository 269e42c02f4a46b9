"""Replaying and discarding failed events: previewed, given a reason, perhaps approved by a
second operator, then carried out with a result per event.

**Replay keeps each dossier's order.** The claim takes an event only when no earlier pending
event of its line (its national system and dossier) waits before it, earlier meaning a smaller
id. A replayed dead event becomes pending again *under its own id*: it is back at the head of
its line, and the later pending events of its dossier wait behind it until it is delivered (a
copy queued under a new id would come after them: overtaken). Two cases cannot keep that order
and are skipped, with the reason, rather than carried out:

- a later event of the same line is being delivered right now (a worker holds its lease): the
  replayed one would go out beside it. Replay it again once that attempt has ended. On
  PostgreSQL the rows of the line are locked while this is decided, so a claim in another
  replica cannot slip between the check and the change.
- the event is a dossier snapshot and a later snapshot of the same dossier was already
  delivered to the same system: the national system upserts by dossier code, so replaying the
  older one would put old data over new. Discard it instead.

A retrying event is made due now (its backoff cut short). A replayed event's age for the
dead-letter limit counts from the replay.

**Discard** marks the event ``discarded`` with the reason and when: kept, never deleted, no
longer retried or shown as failing. An event a worker is delivering right now is skipped.

**Two operators.** With ``second_approver`` on, ``act`` only records the request (the action
``requested``, its events frozen as they were chosen); a different operator's ``approve``
carries it out then, item by item as things stand at that moment, or ``reject`` drops it.

Functions here are units of work (``Store.write``): they touch nothing but the connection.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, tuple_, update

from gateway.dossiers import SNAPSHOT
from gateway.operations.audit import (
    Action,
    ActionState,
    Operator,
    OperatorAction,
    get_action,
    record,
)
from gateway.operations.failures import (
    FAILED,
    FailedEvent,
    FailureQuery,
    Status,
    SubjectKey,
    events,
    failure_ids,
)
from gateway.outbox import State
from gateway.store.notifications import announce
from gateway.store.schema import operator_action_items, operator_actions, outbox

INTENTS = (Action.replay, Action.discard)


class ItemResult(StrEnum):
    requested = "requested"
    replayed = "replayed"
    discarded = "discarded"
    skipped = "skipped"
    rejected = "rejected"


class ActionRefused(ValueError):
    """The action cannot be taken as asked; the message says why and what to do."""


class ReasonRequired(ActionRefused):
    def __init__(self) -> None:
        super().__init__("a reason is required: say why these events are replayed or discarded")


class NothingSelected(ActionRefused):
    def __init__(self) -> None:
        super().__init__("no failed event matches the selection: nothing to do")


class NotWaiting(ActionRefused):
    def __init__(self, action_id: int, state: str | None) -> None:
        where = "does not exist" if state is None else f"is {state}"
        super().__init__(f"action {action_id} {where}: only a requested action can be decided")


class SameOperator(ActionRefused):
    def __init__(self, action_id: int) -> None:
        super().__init__(
            f"action {action_id} was requested by this operator: a different operator approves it"
        )


@dataclass(frozen=True, slots=True)
class Selection:
    """The events an action is for: these ``ids``, or every failed event matching ``query``
    (``FailureQuery()`` for all of them). Exactly one is given."""

    ids: tuple[int, ...] = ()
    query: FailureQuery | None = None

    def __post_init__(self) -> None:
        if bool(self.ids) == (self.query is not None):
            raise ActionRefused("select events by their ids or by a filter, not both or neither")

    def described(self) -> dict[str, Any]:
        if self.query is not None:
            return {"filter": self.query.described()}
        return {"ids": list(self.ids)}


@dataclass(frozen=True, slots=True)
class PreviewItem:
    event: FailedEvent
    blocked: str | None = None
    """Why it would be skipped, or None when it would be carried out."""


@dataclass(frozen=True, slots=True)
class Preview:
    """What an action would do now, without doing it: ``count`` events selected, ``ready`` of
    them would be carried out; ``dossiers`` they belong to (in order, each once);
    ``by_system`` how many per national system; ``missing`` ids that are not events."""

    action: Action
    items: list[PreviewItem]
    missing: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)

    @property
    def ready(self) -> int:
        return sum(1 for item in self.items if item.blocked is None)

    @property
    def dossiers(self) -> list[str]:
        return list(dict.fromkeys(item.event.dossier for item in self.items))

    @property
    def by_system(self) -> dict[str, int]:
        return dict(Counter(item.event.system for item in self.items))


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    id: int
    result: ItemResult
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class ActionOutcome:
    """What became of an action: its id in the audit trail, its state (``done``,
    ``requested``, ``approved`` or ``rejected``) and one result per event."""

    action_id: int
    action: Action
    state: ActionState
    results: list[ItemOutcome]

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(item.result.value for item in self.results))

    def summary(self) -> str:
        return ", ".join(f"{count} {result}" for result, count in sorted(self.counts.items()))


def _intent(action: Action | str) -> Action:
    intent = Action(action)
    if intent not in INTENTS:
        raise ActionRefused(f"{action} is not an action on events (replay or discard)")
    return intent


def _ids(connection: Connection, selection: Selection, subject_key: SubjectKey) -> list[int]:
    if selection.query is not None:
        return failure_ids(connection, selection.query, subject_key=subject_key)
    return list(dict.fromkeys(selection.ids))


def _lines_busy_and_superseded(
    connection: Connection, chosen: Sequence[FailedEvent], now: float, *, lock: bool
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
    """Per line of the dead events chosen: the smallest id of a later event in delivery now,
    and the largest id of a delivered snapshot. With ``lock`` (PostgreSQL), the pending rows
    of those lines are locked until the transaction ends, so no claim changes them meanwhile."""
    lines = sorted({(e.dossier, e.system) for e in chosen if e.status is Status.dead})
    busy: dict[tuple[str, str], int] = {}
    superseded: dict[tuple[str, str], int] = {}
    for start in range(0, len(lines), 200):
        chunk = lines[start : start + 200]
        in_lines = tuple_(outbox.c.ordering_key, outbox.c.target).in_(chunk)
        pending = select(outbox.c.ordering_key, outbox.c.target, outbox.c.id, outbox.c.lease_until)
        pending = pending.where(in_lines, outbox.c.state == State.pending.value)
        if lock:
            pending = pending.with_for_update()
        for key, target, event_id, lease_until in connection.execute(pending):
            if (lease_until or 0.0) > now:
                line = (key, target)
                busy[line] = min(busy.get(line, event_id), event_id)
        delivered = (
            select(outbox.c.ordering_key, outbox.c.target, func.max(outbox.c.id))
            .where(
                in_lines,
                outbox.c.state == State.delivered.value,
                outbox.c.kind == SNAPSHOT,
            )
            .group_by(outbox.c.ordering_key, outbox.c.target)
        )
        for key, target, newest in connection.execute(delivered):
            superseded[(key, target)] = newest
    return busy, superseded


def _assess(
    connection: Connection,
    intent: Action,
    ids: Sequence[int],
    now: float,
    *,
    lock: bool = False,
) -> tuple[list[PreviewItem], list[int]]:
    if lock and ids:
        for start in range(0, len(ids), 500):
            connection.execute(
                select(outbox.c.id)
                .where(outbox.c.id.in_(ids[start : start + 500]))
                .with_for_update()
            )
    found = events(connection, list(ids), now=now)
    chosen = [found[i] for i in ids if i in found]
    missing = [i for i in ids if i not in found]
    busy: dict[tuple[str, str], int] = {}
    superseded: dict[tuple[str, str], int] = {}
    if intent is Action.replay:
        busy, superseded = _lines_busy_and_superseded(connection, chosen, now, lock=lock)
    items = []
    for event in chosen:
        line = (event.dossier, event.system)
        blocked: str | None = None
        if event.status not in FAILED:
            blocked = f"it is {event.status}: only dead or retrying events can be {intent}ed"
        elif event.in_delivery:
            blocked = "a worker is delivering it now; try again once that attempt has ended"
        elif event.status is Status.dead and busy.get(line, 0) > event.id:
            blocked = (
                f"event {busy[line]}, later in the line of {event.dossier} to {event.system}, "
                "is being delivered now; replay this one once that attempt has ended"
            )
        elif (
            event.status is Status.dead
            and event.kind == SNAPSHOT
            and superseded.get(line, 0) > event.id
        ):
            blocked = (
                f"superseded: a later snapshot of {event.dossier} (event {superseded[line]}) "
                f"was delivered to {event.system}; replaying this one would put old data over "
                "new, so discard it instead"
            )
        items.append(PreviewItem(event, blocked))
    return items, missing


def preview(
    connection: Connection,
    action: Action | str,
    selection: Selection,
    *,
    subject_key: SubjectKey,
    now: float,
) -> Preview:
    """What ``action`` on ``selection`` would do now: how many events, which dossiers, and
    which would be skipped and why. Changes nothing."""
    intent = _intent(action)
    items, missing = _assess(connection, intent, _ids(connection, selection, subject_key), now)
    return Preview(intent, items, missing)


def _carry_out(
    connection: Connection, intent: Action, ids: Sequence[int], reason: str, now: float
) -> list[ItemOutcome]:
    lock = connection.dialect.name == "postgresql"
    items, missing = _assess(connection, intent, ids, now, lock=lock)
    results = [ItemOutcome(i, ItemResult.skipped, "no such event") for i in missing]
    dead, retrying = [], []
    for item in items:
        if item.blocked is not None:
            results.append(ItemOutcome(item.event.id, ItemResult.skipped, item.blocked))
        elif item.event.status is Status.dead:
            dead.append(item.event.id)
        else:
            retrying.append(item.event.id)
    done = ItemResult.replayed if intent is Action.replay else ItemResult.discarded
    if intent is Action.discard:
        both = dead + retrying
        for start in range(0, len(both), 500):
            connection.execute(
                update(outbox)
                .where(outbox.c.id.in_(both[start : start + 500]))
                .values(
                    state=State.discarded.value,
                    discarded_at=now,
                    discard_reason=reason,
                    lease_owner=None,
                    lease_until=None,
                )
            )
    else:
        for start in range(0, len(dead), 500):
            connection.execute(
                update(outbox)
                .where(outbox.c.id.in_(dead[start : start + 500]))
                .values(
                    state=State.pending.value,
                    due_at=now,
                    attempts=0,
                    last_error=None,
                    replayed_at=now,
                    lease_owner=None,
                    lease_until=None,
                )
            )
        for start in range(0, len(retrying), 500):
            connection.execute(
                update(outbox)
                .where(outbox.c.id.in_(retrying[start : start + 500]))
                .values(due_at=now, replayed_at=now)
            )
        if dead or retrying:
            announce(connection)  # workers of every replica look now
    results += [ItemOutcome(i, done) for i in dead + retrying]
    order = {event_id: n for n, event_id in enumerate(ids)}
    results.sort(key=lambda item: order.get(item.id, len(order)))
    return results


def _write_items(connection: Connection, action_id: int, results: Sequence[ItemOutcome]) -> None:
    rows = [
        {"action": action_id, "event": r.id, "result": r.result.value, "detail": r.detail}
        for r in results
    ]
    for start in range(0, len(rows), 1000):
        connection.execute(operator_action_items.insert(), rows[start : start + 1000])


def _update_items(connection: Connection, action_id: int, results: Sequence[ItemOutcome]) -> None:
    if not results:
        return
    connection.execute(
        update(operator_action_items)
        .where(
            operator_action_items.c.action == action_id,
            operator_action_items.c.event == bindparam("event_id"),
        )
        .values(result=bindparam("new_result"), detail=bindparam("new_detail")),
        [{"event_id": r.id, "new_result": r.result.value, "new_detail": r.detail} for r in results],
    )


def act(
    connection: Connection,
    action: Action | str,
    selection: Selection,
    operator: Operator,
    reason: str,
    *,
    second_approver: bool,
    subject_key: SubjectKey,
    now: float,
) -> ActionOutcome:
    """Replay or discard ``selection`` for ``reason`` (required), audited as ``operator``'s;
    with ``second_approver``, only record the request. Raises ``ActionRefused`` (its
    subclasses say why) when it cannot be taken."""
    intent = _intent(action)
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    ids = _ids(connection, selection, subject_key)
    if not ids:
        raise NothingSelected()
    if second_approver:
        action_id = record(
            connection,
            operator,
            intent,
            count=len(ids),
            selection=selection.described(),
            reason=reason,
            state=ActionState.requested,
            detail="waiting for a second operator's approval",
            at=now,
        )
        results = [ItemOutcome(i, ItemResult.requested) for i in ids]
        _write_items(connection, action_id, results)
        return ActionOutcome(action_id, intent, ActionState.requested, results)
    action_id = record(
        connection,
        operator,
        intent,
        count=len(ids),
        selection=selection.described(),
        reason=reason,
        at=now,
    )
    results = _carry_out(connection, intent, ids, reason, now)
    _write_items(connection, action_id, results)
    outcome = ActionOutcome(action_id, intent, ActionState.done, results)
    connection.execute(
        update(operator_actions)
        .where(operator_actions.c.id == action_id)
        .values(detail=outcome.summary())
    )
    return outcome


def _waiting(connection: Connection, action_id: int) -> OperatorAction:
    request = get_action(connection, action_id)
    if request is None or request.state is not ActionState.requested:
        raise NotWaiting(action_id, None if request is None else request.state.value)
    return request


def _requested_ids(connection: Connection, action_id: int) -> list[int]:
    return list(
        connection.execute(
            select(operator_action_items.c.event)
            .where(operator_action_items.c.action == action_id)
            .order_by(operator_action_items.c.event)
        ).scalars()
    )


def approve(
    connection: Connection,
    action_id: int,
    operator: Operator,
    *,
    note: str | None = None,
    now: float,
) -> ActionOutcome:
    """Carry out the requested action ``action_id`` as things stand now. ``operator`` must
    not be the one who asked (``SameOperator``); the approval is audited as theirs."""
    request = _waiting(connection, action_id)
    if request.actor == operator.id:
        raise SameOperator(action_id)
    intent = _intent(request.action)
    ids = _requested_ids(connection, action_id)
    results = _carry_out(connection, intent, ids, request.reason or "", now)
    _update_items(connection, action_id, results)
    outcome = ActionOutcome(action_id, intent, ActionState.approved, results)
    _decide(connection, action_id, operator, ActionState.approved, outcome.summary(), now)
    record(
        connection,
        operator,
        Action.approve,
        count=len(ids),
        selection={"action": action_id},
        reason=note,
        detail=f"{intent} approved: {outcome.summary()}",
        approves=action_id,
        at=now,
    )
    return outcome


def reject(
    connection: Connection,
    action_id: int,
    operator: Operator,
    *,
    reason: str,
    now: float,
) -> ActionOutcome:
    """Drop the requested action ``action_id``: nothing changes. Its requester may withdraw it
    too. Audited as ``operator``'s, with ``reason`` (required)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired()
    request = _waiting(connection, action_id)
    intent = _intent(request.action)
    ids = _requested_ids(connection, action_id)
    results = [ItemOutcome(i, ItemResult.rejected, reason) for i in ids]
    _update_items(connection, action_id, results)
    _decide(connection, action_id, operator, ActionState.rejected, f"rejected: {reason}", now)
    record(
        connection,
        operator,
        Action.reject,
        count=len(ids),
        selection={"action": action_id},
        reason=reason,
        detail=f"{intent} rejected",
        approves=action_id,
        at=now,
    )
    return ActionOutcome(action_id, intent, ActionState.rejected, results)


def _decide(
    connection: Connection,
    action_id: int,
    operator: Operator,
    state: ActionState,
    detail: str,
    now: float,
) -> None:
    connection.execute(
        update(operator_actions)
        .where(operator_actions.c.id == action_id)
        .values(state=state.value, decided_by=operator.id, decided_at=now, detail=detail)
    )


def waiting(connection: Connection) -> list[OperatorAction]:
    """Requested actions waiting for a second operator, oldest first."""
    ids = connection.execute(
        select(operator_actions.c.id)
        .where(operator_actions.c.state == ActionState.requested.value)
        .order_by(operator_actions.c.id)
    ).scalars()
    found = [get_action(connection, action_id) for action_id in ids]
    return [action for action in found if action is not None]


def items_of(connection: Connection, action_id: int) -> list[ItemOutcome]:
    """The per-event results of action ``action_id``."""
    rows = connection.execute(
        select(operator_action_items)
        .where(operator_action_items.c.action == action_id)
        .order_by(operator_action_items.c.event)
    )
    return [ItemOutcome(row.event, ItemResult(row.result), row.detail) for row in rows]


__all__ = [
    "ActionOutcome",
    "ActionRefused",
    "ItemOutcome",
    "ItemResult",
    "NotWaiting",
    "NothingSelected",
    "Preview",
    "PreviewItem",
    "ReasonRequired",
    "SameOperator",
    "Selection",
    "act",
    "approve",
    "items_of",
    "preview",
    "reject",
    "waiting",
]
