"""What operators do beside the API: failed events, replay and discard, the operator action
audit, the status and "test now" of each national system. The console and the CLI call these;
nothing here renders or parses a request.

``Operations(store, subject_key=..., second_approver=..., national=..., notify=...)`` (built
by ``gateway.bootstrap.build`` as ``Gateway.operations``); every method is ``async``:

Failed events (``failures``)
    ``failures(FailureQuery(status, system, dossier, procedure, reason, since, until,
    citizen), offset=0, limit=50) -> Page[FailedEvent]``: dead and retrying events, newest
    first; ``citizen`` is the applicant's ID number, whole (matched on its keyed hash) or masked
    (``068******234``). ``Page`` has ``items``, ``total``, ``offset``, ``limit``, ``has_more``.
    ``event(id) -> EventDetail | None``: the event (``FailedEvent``: id, system, kind, dossier,
    status, attempts, last_error, created_at, failed_at, due_at, request_id, procedure_code,
    applicant_masked, in_delivery), its ``attempts`` (at, outcome, error, replica,
    request_id), ``errors`` (each distinct one), ``payload`` with personal data masked,
    ``history`` (at, what, detail, actor, request_id) and delivered/discarded/replayed times.

Replay and discard (``actions``)
    ``Selection(ids=(...))`` or ``Selection(query=FailureQuery(...))`` (all that match).
    ``preview(Action.replay | Action.discard, selection) -> Preview``: ``count``, ``ready``,
    ``dossiers``, ``by_system``, ``items`` (each ``event`` and why it would be ``blocked``),
    ``missing``; changes nothing.
    ``replay(selection, operator=, reason=)`` and ``discard(...)`` -> ``ActionOutcome``:
    ``action_id`` (in the audit), ``state`` (``done``, or ``requested`` when a second approver
    is required), ``results`` (per event: ``replayed``, ``discarded``, ``skipped`` with why,
    ``requested``), ``counts``, ``summary()``. An empty reason raises ``ReasonRequired``, an
    empty selection ``NothingSelected`` (both ``ActionRefused``, a ``ValueError``).
    ``requests() -> list[OperatorAction]``: waiting for a second operator.
    ``approve(action_id, operator=, note=None)`` carries one out (``SameOperator`` if the
    requester approves); ``reject(action_id, operator=, reason=)`` drops it;
    ``results(action_id) -> list[ItemOutcome]``.

The operator action audit (``audit``)
    ``Operator(id, name)`` (``Operator.from_os()`` for the CLI: ``os:<user>``); ``Action``:
    sign-in, replay, discard, test, export, download, invite, approve, reject.
    ``record(operator, action, count=0, selection=None, reason=None, detail=None) -> int`` for
    what is done elsewhere (sign-in, download, invite).
    ``actions(ActionQuery(actor, action, state, since, until, text), offset, limit) ->
    Page[OperatorAction]``; ``export_actions(query, operator=) -> str`` (CSV; audited as an
    export).

National systems (``status``, ``probes``)
    ``status(systems=None) -> list[SystemStatus]``: per system in use, ``counts``
    (``outbox.TargetCounts``, purged deliveries included), ``retrying``, ``reasons`` (text,
    count; most frequent first), ``oldest_pending_at``/``_age``, ``delivered_today``,
    ``dead_today``, ``last_success_at``, ``last_error``/``_at``, ``probe``.
    ``daily(system, days=30) -> list[Day]`` (day, delivered, dead) for charts.
    ``test(system, operator=) -> ProbeResult`` (system, at, ok, detail, actor): the system's
    probe through its adapter, kept for ``status`` and audited; ``UnknownSystem`` if not in use.

The units of work behind them (functions of a ``Connection``) are in the submodules, for
commands and tests that hold a connection already.
"""

from __future__ import annotations

from gateway.operations.actions import (
    ActionOutcome,
    ActionRefused,
    ItemOutcome,
    ItemResult,
    NothingSelected,
    NotWaiting,
    Preview,
    PreviewItem,
    ReasonRequired,
    SameOperator,
    Selection,
)
from gateway.operations.audit import (
    Action,
    ActionQuery,
    ActionState,
    Operator,
    OperatorAction,
    Page,
)
from gateway.operations.failures import (
    AttemptRecord,
    EventDetail,
    FailedEvent,
    FailureQuery,
    HistoryEntry,
    Status,
)
from gateway.operations.probes import ProbeResult
from gateway.operations.service import Operations, UnknownSystem
from gateway.operations.status import Day, Reason, SystemStatus

__all__ = [
    "Action",
    "ActionOutcome",
    "ActionQuery",
    "ActionRefused",
    "ActionState",
    "AttemptRecord",
    "Day",
    "EventDetail",
    "FailedEvent",
    "FailureQuery",
    "HistoryEntry",
    "ItemOutcome",
    "ItemResult",
    "NotWaiting",
    "NothingSelected",
    "Operations",
    "Operator",
    "OperatorAction",
    "Page",
    "Preview",
    "PreviewItem",
    "ProbeResult",
    "Reason",
    "ReasonRequired",
    "SameOperator",
    "Selection",
    "Status",
    "SystemStatus",
    "UnknownSystem",
]
