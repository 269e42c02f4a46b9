"""Reconciling the gateway with the portal: what to compare, the plan of differences, its repair.

**What is compared.** Each dossier in scope (changed since a day, or one dossier) whose events to
the portal were all delivered: its latest snapshot and its steps, as the portal takes them, are
what the portal should hold. A dossier with events still pending, retrying or dead for the portal
is not compared but reported *late*: the outbox is still at work on it, or an operator has to
replay what died (``Sự cố``); reconciling it too would send its changes twice.

**Differences**, per dossier (one dossier may have several):

- ``missing``: the portal holds no such dossier (``TraCuuHoSo`` answers "03");
- ``status_differs``: it holds another ``TrangThaiHoSo``;
- ``fields_differ``: it holds other values in other fields (NFC text, times within the skew);
- ``progress_missing``: steps delivered that it does not hold;
- ``late``: the portal lags behind what the one-stop system sent: events not delivered yet, or a
  difference in a dossier delivered less than the skew ago (the portal may not show it yet).

**Repairs** go through the outbox, nothing is deleted: the snapshot is pushed again (``missing``,
``status_differs``, ``fields_differ``; the portal upserts by dossier code), and with it every step
when the dossier was missing, or the missing steps. A ``late`` dossier gets none. Applying is
audited (``reconcile-apply``, with the operator's reason) in the transaction that queues the
repairs, and a plan is applied once.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from adapters.errors import AdapterError
from adapters.national_portal import NationalPortal
from gateway import outbox
from gateway.dossiers import PROGRESS, SNAPSHOT
from gateway.operations.audit import Action, Operator
from gateway.operations.audit import record as audit
from gateway.outbox import NewEvent, State
from gateway.reconciliation.compare import compare
from gateway.store import Store
from gateway.store.schema import dossiers, progress_steps, reconciliations
from gateway.store.schema import outbox as outbox_table
from mappings.dossier import VIETNAM, Dossier, ProgressStep
from mappings.national_portal import PortalDossier, PortalProgress

PORTAL = "national_portal"
STATUS_FIELD = "TrangThaiHoSo"
APPLY_WITHIN = 24 * 3600.0
"""A plan older than this is not applied: the portal and the gateway have moved on since."""


class Kind(StrEnum):
    missing = "missing"
    status_differs = "status_differs"
    fields_differ = "fields_differ"
    progress_missing = "progress_missing"
    late = "late"


class ReconcileRefused(ValueError):
    """A plan cannot be applied as asked; the message says why and what to do."""


Encode = Callable[[Dossier], str]
EncodeStep = Callable[[str, ProgressStep], str]


@dataclass(slots=True)
class Difference:
    dossier: str
    kinds: list[Kind]
    detail: str
    fields: list[str] = field(default_factory=list)
    missing_steps: list[int] = field(default_factory=list)
    repair_snapshot: bool = False
    repair_steps: list[int] = field(default_factory=list)


@dataclass(slots=True)
class Plan:
    id: int | None
    created_at: float
    actor: str
    since: str | None
    dossier: str | None
    skew_seconds: float
    compared: int
    differences: list[Difference]
    unchecked: list[dict[str, str]] = field(default_factory=list)
    applied_at: float | None = None
    applied_by: str | None = None
    reason: str | None = None
    queued: int | None = None

    @property
    def summary(self) -> dict[str, int]:
        counts = {kind.value: 0 for kind in Kind}
        for difference in self.differences:
            for kind in difference.kinds:
                counts[kind.value] += 1
        return counts

    @property
    def repairs(self) -> list[Difference]:
        return [d for d in self.differences if d.repair_snapshot or d.repair_steps]

    def as_json(self) -> dict[str, Any]:
        def when(epoch: float | None) -> str | None:
            if epoch is None:
                return None
            return datetime.fromtimestamp(epoch, VIETNAM).isoformat(timespec="seconds")

        return {
            "id": self.id,
            "created_at": when(self.created_at),
            "actor": self.actor,
            "scope": {"since": self.since, "dossier": self.dossier},
            "skew_seconds": self.skew_seconds,
            "compared": self.compared,
            "summary": {"dossiers": len(self.differences), **self.summary},
            "differences": [
                {**asdict(d), "kinds": [k.value for k in d.kinds]} for d in self.differences
            ],
            "unchecked": self.unchecked,
            "applied": None
            if self.applied_at is None
            else {
                "at": when(self.applied_at),
                "by": self.applied_by,
                "reason": self.reason,
                "queued": self.queued,
            },
        }


@dataclass(frozen=True, slots=True)
class _Expected:
    """A dossier as the portal should hold it, or why it is late."""

    code: str
    snapshot: PortalDossier
    steps: list[PortalProgress]
    delivered_at: float | None
    undelivered: int
    dead: int


def _since_epoch(since: str | None) -> float | None:
    if since is None:
        return None
    day = datetime.strptime(since, "%Y-%m-%d").replace(tzinfo=VIETNAM)
    return day.timestamp()


def _expected(
    connection: Connection,
    *,
    since: float | None,
    dossier: str | None,
    encode: Encode,
    encode_step: EncodeStep,
) -> list[_Expected]:
    query = select(dossiers.c.code, dossiers.c.snapshot).order_by(dossiers.c.code)
    if dossier is not None:
        query = query.where(dossiers.c.code == dossier)
    if since is not None:
        query = query.where(dossiers.c.updated_at >= since)
    found = []
    for code, snapshot in connection.execute(query).all():
        lines = connection.execute(
            select(
                outbox_table.c.state,
                func.count(),
                func.max(outbox_table.c.delivered_at),
            )
            .where(
                outbox_table.c.ordering_key == code,
                outbox_table.c.target == PORTAL,
                outbox_table.c.kind.in_((SNAPSHOT, PROGRESS)),
            )
            .group_by(outbox_table.c.state)
        ).all()
        per_state = {state: (count, last) for state, count, last in lines}
        steps = connection.execute(
            select(progress_steps.c.step)
            .where(progress_steps.c.code == code)
            .order_by(progress_steps.c.id)
        ).scalars()
        found.append(
            _Expected(
                code=code,
                snapshot=PortalDossier.model_validate_json(
                    encode(Dossier.model_validate_json(snapshot))
                ),
                steps=[
                    PortalProgress.model_validate_json(
                        encode_step(code, ProgressStep.model_validate_json(step))
                    )
                    for step in steps
                ],
                delivered_at=per_state.get(State.delivered, (0, None))[1],
                undelivered=per_state.get(State.pending, (0, None))[0],
                dead=per_state.get(State.dead, (0, None))[0],
            )
        )
    return found


def _late(expected: _Expected) -> Difference:
    parts = []
    if expected.undelivered:
        parts.append(f"{expected.undelivered} event(s) still on their way to the portal")
    if expected.dead:
        parts.append(f"{expected.dead} dead event(s): replay them in Sự cố")
    return Difference(expected.code, [Kind.late], "; ".join(parts))


async def make_plan(
    store: Store,
    portal: NationalPortal,
    *,
    encode: Encode,
    encode_step: EncodeStep,
    actor: Operator,
    since: str | None = None,
    dossier: str | None = None,
    skew_seconds: float = 300.0,
    concurrency: int = 8,
    clock: Callable[[], float] = time.time,
) -> Plan:
    """Compare every dossier in scope with the portal and keep the plan (``id`` set)."""
    start = _since_epoch(since)
    expected = await store.read(
        lambda c: _expected(c, since=start, dossier=dossier, encode=encode, encode_step=encode_step)
    )
    now = clock()
    limit = asyncio.Semaphore(max(1, concurrency))
    unchecked: list[dict[str, str]] = []

    async def look(item: _Expected) -> Difference | None:
        if item.undelivered or item.dead:
            return _late(item)
        async with limit:
            try:
                record = await portal.find_record(item.code)
            except AdapterError as error:
                unchecked.append({"dossier": item.code, "error": str(error)})
                return None
        recent = item.delivered_at is not None and now - item.delivered_at < skew_seconds
        if record is None:
            if recent:
                return Difference(item.code, [Kind.late], "delivered moments ago; not seen yet")
            return Difference(
                item.code,
                [Kind.missing],
                "the portal holds no such dossier",
                repair_snapshot=True,
                repair_steps=list(range(len(item.steps))),
            )
        found = compare(item.snapshot, item.steps, record.dossier, record.progress, skew_seconds)
        if not found.differs:
            return None
        if recent:
            return Difference(item.code, [Kind.late], "delivered moments ago; not shown yet")
        kinds, details = [], []
        if found.status:
            kinds.append(Kind.status_differs)
            details.append(f"status {found.status[1]!r} at the portal, {found.status[0]!r} sent")
        if found.fields:
            kinds.append(Kind.fields_differ)
            details.append("held otherwise: " + ", ".join(found.fields))
        if found.steps:
            kinds.append(Kind.progress_missing)
            details.append(f"{len(found.steps)} of {len(item.steps)} steps missing")
        return Difference(
            item.code,
            kinds,
            "; ".join(details),
            fields=([STATUS_FIELD] if found.status else []) + found.fields,
            missing_steps=found.steps,
            repair_snapshot=bool(found.status or found.fields),
            repair_steps=found.steps,
        )

    looked = await asyncio.gather(*(look(item) for item in expected))
    plan = Plan(
        id=None,
        created_at=now,
        actor=actor.id,
        since=since,
        dossier=dossier,
        skew_seconds=skew_seconds,
        compared=len(expected),
        differences=[d for d in looked if d is not None],
        unchecked=sorted(unchecked, key=lambda u: u["dossier"]),
    )
    plan.id = await store.write(lambda c: _keep(c, plan))
    return plan


def _keep(connection: Connection, plan: Plan) -> int:
    body = plan.as_json()
    plan_id: int = connection.execute(
        insert(reconciliations)
        .values(
            created_at=plan.created_at,
            actor=plan.actor,
            scope=json.dumps(body["scope"], ensure_ascii=False),
            compared=plan.compared,
            differences=len(plan.differences),
            plan=json.dumps(body, ensure_ascii=False),
        )
        .returning(reconciliations.c.id)
    ).scalar_one()
    return plan_id


def _plan_of(row: Any) -> Plan:
    body = json.loads(row.plan)
    return Plan(
        id=row.id,
        created_at=row.created_at,
        actor=row.actor,
        since=body["scope"]["since"],
        dossier=body["scope"]["dossier"],
        skew_seconds=body["skew_seconds"],
        compared=row.compared,
        differences=[
            Difference(**{**d, "kinds": [Kind(k) for k in d["kinds"]]}) for d in body["differences"]
        ],
        unchecked=body.get("unchecked", []),
        applied_at=row.applied_at,
        applied_by=row.applied_by,
        reason=row.reason,
        queued=row.queued,
    )


def find_plan(connection: Connection, plan_id: int) -> Plan | None:
    row = connection.execute(select(reconciliations).where(reconciliations.c.id == plan_id)).first()
    return _plan_of(row) if row else None


def recent_plans(connection: Connection, limit: int = 20) -> list[Plan]:
    rows = connection.execute(
        select(reconciliations).order_by(reconciliations.c.id.desc()).limit(limit)
    )
    return [_plan_of(row) for row in rows]


def apply_plan(
    connection: Connection,
    plan_id: int,
    *,
    operator: Operator,
    reason: str,
    encode: Encode,
    encode_step: EncodeStep,
    now: float | None = None,
) -> Plan:
    """Queue the repairs of plan ``plan_id`` and audit them; ``ReconcileRefused`` when it was
    applied before, is too old, or no reason is given."""
    now = time.time() if now is None else now
    if not reason.strip():
        raise ReconcileRefused("a reason is required: say why these repairs are queued")
    plan = find_plan(connection, plan_id)
    if plan is None:
        raise ReconcileRefused(f"reconciliation {plan_id} does not exist")
    if plan.applied_at is not None:
        raise ReconcileRefused(f"reconciliation {plan_id} was applied already")
    if now - plan.created_at > APPLY_WITHIN:
        raise ReconcileRefused(
            f"reconciliation {plan_id} is more than a day old; reconcile again and apply that"
        )
    events: list[NewEvent] = []
    for difference in plan.repairs:
        events.extend(_repairs(connection, difference, encode, encode_step))
    outbox.enqueue(connection, events)
    connection.execute(
        update(reconciliations)
        .where(reconciliations.c.id == plan_id)
        .values(applied_at=now, applied_by=operator.id, reason=reason, queued=len(events))
    )
    audit(
        connection,
        operator,
        Action.reconcile,
        count=len(plan.repairs),
        selection={"reconciliation": plan_id},
        reason=reason,
        detail=f"{len(events)} events queued to repair {len(plan.repairs)} dossiers",
    )
    plan.applied_at, plan.applied_by, plan.reason, plan.queued = (
        now,
        operator.id,
        reason,
        len(events),
    )
    return plan


def _repairs(
    connection: Connection, difference: Difference, encode: Encode, encode_step: EncodeStep
) -> list[NewEvent]:
    code = difference.dossier
    snapshot = connection.execute(
        select(dossiers.c.snapshot).where(dossiers.c.code == code)
    ).scalar_one_or_none()
    if snapshot is None:
        return []
    steps = [
        ProgressStep.model_validate_json(step)
        for step in connection.execute(
            select(progress_steps.c.step)
            .where(progress_steps.c.code == code)
            .order_by(progress_steps.c.id)
        ).scalars()
    ]
    events = []

    def event(kind: str, payload: str) -> NewEvent:
        key = f"{PORTAL}:{code}:{kind}:repair:{uuid.uuid4().hex}"
        return NewEvent(PORTAL, kind, code, payload, key)

    if difference.repair_snapshot:
        events.append(event(SNAPSHOT, encode(Dossier.model_validate_json(snapshot))))
    for index in difference.repair_steps:
        if index < len(steps):
            events.append(event(PROGRESS, encode_step(code, steps[index])))
    return events
