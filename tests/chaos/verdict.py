"""Reading the portal mock's journal back into deliveries, and judging them.

The journal lists every push the portal received: when it arrived and when the mock was done with
it (``received_at``, ``finished_at``), which replica sent it (``X-Lienthong-Replica``), the items,
what was answered and the fault injected, if any. From it this module rebuilds every *delivery*:
one event applied to the portal's state by one exchange.

Which items an exchange applied:

- a fault that struck *before* the mock handled the request (an error status, a time-out, a reset)
  applied nothing; a fault that only delayed the request changed nothing about it;
- when the mock handled the request, an item was applied when its ``error_code`` in the mock's
  own reply is success (a create of a dossier the portal already holds is refused ``"02"`` and
  applied by the update that follows); the journal keeps that reply even when a hang or a reset
  (``phase: "after"``) kept it from the client;
- when an error status replaced the reply after the mock applied the request, the portal's own
  rule is replayed instead: an update applies every item, a create applies those the portal did
  not hold yet, a step applies to a dossier it holds.

A delivery is placed in time at the moment the mock applied it: the arrival when the reply was
lost afterwards (the mock handles first, then loses the reply), the end otherwise (the mock waits
out a delay, then handles and answers at once). Journal times are kept to the millisecond; a
dossier's events are never applied within one millisecond of each other, and ties are broken by
the journal's order.

The checks (``judge``):

1. **Every accepted event applied, in order, per dossier.** A dossier's deliveries in time order,
   with adjacent repeats of one event collapsed into one, must equal the events accepted for it,
   in the order accepted. A redelivery is therefore allowed only as an immediate repeat: an old
   snapshot applied again after a newer one, or a step after the next, is a failure.
2. **No event delivered by two replicas at once.** A replica here is one process, as its
   ``X-Lienthong-Replica`` (``<hostname>:<pid>``) names it: a replica started again after a kill
   is another process. For every event applied by two different processes, the two exchanges'
   [``received_at``, ``finished_at``] intervals must not overlap, and the earlier process must
   have lost its claim on the row for a reason the run can show:

   - it was killed before the later exchange began (a process sends nothing once killed, so its
     exchange was sent before the kill, though the mock may have taken it up a moment after), or
   - from the start of that exchange to the start of the later one, one of its own exchanges of
     the same service, carrying a dossier of that same exchange, failed (an injected fault, no
     reply, anything but HTTP 200) or sent one of its events again: either way its worker had
     given the rows back for a retry. (The second case covers a request the mock took up only
     after its sender had stopped waiting: the journal shows it answered, the sender's own
     retry shows it was not.)

   A redelivery by another process with neither excuse means a row was taken from a process
   that was still delivering it, or had delivered it and not yet recorded so.
3. Every push names its replica, and every killed process had delivered before it was killed.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypeVar

from tests.chaos.harness import Kill
from tests.chaos.workload import PROGRESS, SNAPSHOT, Event

PUSH_DOSSIERS = "DongBoHoSoMC"
PUSH_PROGRESS = "CapNhatTienDoHoSoMC"
KINDS = {PUSH_DOSSIERS: SNAPSHOT, PUSH_PROGRESS: PROGRESS}
LABELS = {PUSH_DOSSIERS: "TrichYeuHoSo", PUSH_PROGRESS: "NoiDungXuLy"}
SUCCESS_CODES = (0, "0", "00")
REPLICA_HEADER = "x-lienthong-replica"

T = TypeVar("T")

Outcome = Literal["answered", "lost", "stopped"]
"""``answered``: the mock's own reply was sent; ``lost``: the mock handled the request and the
reply was lost; ``stopped``: a fault kept the mock from handling it at all."""


def _epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def outcome_of(fault: Mapping[str, Any] | None) -> Outcome:
    """What a journaled fault did to the exchange; one with no ``outcome`` only delayed it."""
    if fault is None or fault.get("outcome") is None:
        return "answered"
    return "lost" if fault.get("phase") == "after" else "stopped"


@dataclass(frozen=True, slots=True)
class Exchange:
    """One push as the journal has it."""

    id: int
    service: str
    replica: str
    received_at: float
    finished_at: float
    status: int | None
    outcome: Outcome
    updating: bool
    items: tuple[tuple[str, str], ...]
    """(``MaHoSo``, label) of each item, in the order sent."""
    results: tuple[Any, ...] | None
    """Each item's ``error_code`` in the mock's own reply, when the journal has it (it does when
    a hang or a reset kept the reply from the client, not when an error status replaced it)."""

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code for code, _ in self.items)

    @property
    def failed(self) -> bool:
        """The sender did not get the portal's answer: it must give the rows back for a retry."""
        return self.outcome != "answered" or self.status != 200 or self.results is None

    @property
    def applied_at(self) -> float:
        """When the mock applied the request (see the module)."""
        return self.received_at if self.outcome == "lost" else self.finished_at

    @staticmethod
    def from_entry(entry: Mapping[str, Any]) -> Exchange:
        service = entry["service"]
        body = entry["request"] or {}
        label = LABELS[service]
        items = tuple((item["MaHoSo"], item[label]) for item in body.get("data", ()))
        fault = entry.get("fault")
        outcome = outcome_of(fault)
        reply = entry.get("reply")
        results: tuple[Any, ...] | None = None
        if outcome != "stopped" and isinstance(reply, dict) and "error_code" in reply:
            answered = reply.get("result") or []
            if len(answered) == len(items):
                results = tuple(item.get("error_code") for item in answered)
        return Exchange(
            id=entry["id"],
            service=service,
            replica=entry.get("headers", {}).get(REPLICA_HEADER, ""),
            received_at=_epoch(entry["received_at"]),
            finished_at=_epoch(entry["finished_at"]),
            status=entry["status"],
            outcome=outcome,
            updating=body.get("isUpdating") == "True",
            items=items,
            results=results,
        )


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event applied to the portal's state by one exchange."""

    event: Event
    exchange: Exchange


def read_deliveries(entries: Iterable[Mapping[str, Any]]) -> tuple[list[Exchange], list[Delivery]]:
    """The pushes in the journal, and every delivery they made, in the order they were applied."""
    exchanges = [Exchange.from_entry(e) for e in entries if e.get("service") in KINDS]
    exchanges.sort(key=lambda x: (x.applied_at, x.id))
    held: set[str] = set()
    deliveries: list[Delivery] = []
    for exchange in exchanges:
        kind = KINDS[exchange.service]
        for index, (code, label) in enumerate(exchange.items):
            if _applied(exchange, index, code, held):
                deliveries.append(Delivery(Event(code, kind, label), exchange))
                if kind == SNAPSHOT:
                    held.add(code)
    return exchanges, deliveries


def _applied(exchange: Exchange, index: int, code: str, held: set[str]) -> bool:
    if exchange.outcome == "stopped":
        return False
    if exchange.results is not None:
        return exchange.results[index] in SUCCESS_CODES
    if exchange.outcome == "answered":
        return False
    if exchange.service == PUSH_DOSSIERS:
        return exchange.updating or code not in held
    return code in held


def collapse(events: Sequence[T]) -> list[T]:
    """Adjacent repeats of one event (a redelivery straight after itself) counted once."""
    return [e for i, e in enumerate(events) if i == 0 or events[i - 1] != e]


@dataclass(slots=True)
class Findings:
    """What ``judge`` found wrong (each list empty in a good run) and the run's figures."""

    missing: list[str] = field(default_factory=list)
    out_of_order: list[str] = field(default_factory=list)
    concurrent: list[str] = field(default_factory=list)
    unexcused: list[str] = field(default_factory=list)
    anonymous: list[int] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def problems(self) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = {
            "events never applied": self.missing,
            "dossiers out of order": self.out_of_order,
            "events delivered by two replicas at once": self.concurrent,
            "redelivered by another replica with no failure or kill to explain it": self.unexcused,
            "pushes without X-Lienthong-Replica (journal ids)": self.anonymous,
        }
        return {what: items[:10] for what, items in found.items() if items}


def judge(
    expected: Mapping[str, Sequence[Event]],
    exchanges: Sequence[Exchange],
    deliveries: Sequence[Delivery],
    kills: Sequence[Kill],
) -> Findings:
    """Apply the module's checks to a run's journal; ``expected`` is every dossier's events in
    the order accepted."""
    findings = Findings()
    by_code: dict[str, list[Delivery]] = defaultdict(list)
    by_event: dict[Event, list[Delivery]] = defaultdict(list)
    for delivery in deliveries:
        by_code[delivery.event.code].append(delivery)
        by_event[delivery.event].append(delivery)
    for code, events in expected.items():
        applied = collapse([d.event for d in by_code.get(code, [])])
        missing = [e for e in events if e not in by_event]
        if missing:
            findings.missing.extend(f"{code}: {e.kind} {e.label!r}" for e in missing)
        elif applied != list(events):
            findings.out_of_order.append(_first_difference(code, events, applied))
    findings.anonymous = [x.id for x in exchanges if not x.replica]
    cross = excused_by_kill = excused_by_failure = 0
    by_sender = _by_sender(exchanges)
    for event, its in by_event.items():
        for first, later in _pairs_across_replicas(its):
            if later.exchange.received_at < first.exchange.finished_at:
                findings.concurrent.append(_describe(event, first, later))
        for first, later in itertools.pairwise(its):
            if first.exchange.replica == later.exchange.replica:
                continue
            cross += 1
            if _killed_before(first, later, kills):
                excused_by_kill += 1
            elif _given_back(first, later, by_sender):
                excused_by_failure += 1
            else:
                findings.unexcused.append(_describe(event, first, later))
    senders = {x.replica for x in exchanges}
    silent = [k.identity for k in kills if k.identity not in senders]
    assert not silent, f"killed processes that never delivered before their kill: {silent}"
    findings.figures = {
        "pushes": len(exchanges),
        "pushes_failed": sum(1 for x in exchanges if x.failed),
        "deliveries": len(deliveries),
        "events_applied": len(by_event),
        "redeliveries": len(deliveries) - len(by_event),
        "events_redelivered": sum(1 for its in by_event.values() if len(its) > 1),
        "redelivered_by_another_replica": cross,
        "of_which_after_a_kill": excused_by_kill,
        "of_which_given_back_after_a_failure": excused_by_failure,
        "processes_seen": len(senders),
    }
    return findings


def _first_difference(code: str, wanted: Sequence[Event], applied: Sequence[Event]) -> str:
    for index, (want, got) in enumerate(zip(wanted, applied, strict=False)):
        if want != got:
            applied_instead = f"the portal applied {got.label!r}"
            return f"{code}: event {index} should be {want.label!r}, {applied_instead}"
    if len(applied) > len(wanted):
        return f"{code}: after its {len(wanted)} events, {applied[len(wanted)].label!r} was applied"
    return f"{code}: {len(wanted)} events accepted, {len(applied)} applied (collapsed)"


def _pairs_across_replicas(its: Sequence[Delivery]) -> Iterable[tuple[Delivery, Delivery]]:
    for i, first in enumerate(its):
        for later in its[i + 1 :]:
            if later.exchange.replica != first.exchange.replica:
                yield first, later


def _by_sender(exchanges: Iterable[Exchange]) -> dict[tuple[str, str], list[Exchange]]:
    found: dict[tuple[str, str], list[Exchange]] = defaultdict(list)
    for exchange in exchanges:
        found[exchange.replica, exchange.service].append(exchange)
    for its in found.values():
        its.sort(key=lambda x: x.received_at)
    return found


def _killed_before(first: Delivery, later: Delivery, kills: Iterable[Kill]) -> bool:
    sender, end = first.exchange.replica, later.exchange.received_at
    return any(k.identity == sender and k.at <= end for k in kills)


def _given_back(
    first: Delivery, later: Delivery, by_sender: Mapping[tuple[str, str], Sequence[Exchange]]
) -> bool:
    sent = first.exchange
    start, end = sent.received_at, later.exchange.received_at
    for other in by_sender.get((sent.replica, sent.service), ()):
        if not start <= other.received_at < end or other.codes.isdisjoint(sent.codes):
            continue
        if other.failed or (other.id != sent.id and not set(other.items).isdisjoint(sent.items)):
            return True
    return False


def _describe(event: Event, first: Delivery, later: Delivery) -> str:
    a, b = first.exchange, later.exchange
    return (
        f"{event.code} {event.kind} {event.label!r}: journal {a.id} by {a.replica} "
        f"[{a.received_at:.3f}, {a.finished_at:.3f}] ({a.outcome}, HTTP {a.status}), then "
        f"journal {b.id} by {b.replica} [{b.received_at:.3f}, {b.finished_at:.3f}]"
    )
