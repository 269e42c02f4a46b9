"""``Operations``: the operator's service functions over one store, awaited from the event loop.

Each method runs one unit of work (``Store.read`` or ``Store.write``); every method that acts is
audited in the same transaction as its effect, so an action is never done unrecorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from gateway.operations import actions, audit, failures, probes, status
from gateway.operations.actions import ActionOutcome, Preview, Selection
from gateway.operations.audit import Action, ActionQuery, Operator, OperatorAction, Page
from gateway.operations.failures import EventDetail, FailedEvent, FailureQuery, SubjectKey
from gateway.operations.probes import ProbeResult
from gateway.operations.status import Day, SystemStatus
from gateway.store import Connection, Store
from gateway.systems import NationalSystems


class UnknownSystem(LookupError):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        super().__init__(
            f"{name!r} is not a national system in use here; in use: {', '.join(known) or 'none'}"
        )


class Operations:
    """What operators do beside the API, for the console and the CLI alike.

    ``subject_key`` keys ID numbers as the personal-data audit does (``Auditor.subject_key``);
    ``second_approver`` makes replays and discards wait for a second operator; ``national``
    (optional: the CLI may work without building the national systems) is what ``test`` and
    ``status`` use; ``notify`` is called after a replay, to wake this process's worker.
    """

    def __init__(
        self,
        store: Store,
        *,
        subject_key: SubjectKey,
        second_approver: bool = False,
        national: NationalSystems | None = None,
        notify: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.subject_key = subject_key
        self.second_approver = second_approver
        self.national = national
        self._notify = notify
        self._clock = clock

    # --- failures -------------------------------------------------------------------------

    async def failures(
        self, query: FailureQuery, *, offset: int = 0, limit: int = 50
    ) -> Page[FailedEvent]:
        """Dead and retrying events matching ``query``, newest first, one page."""
        now = self._clock()
        return await self.store.read(
            lambda c: failures.find_failures(
                c, query, subject_key=self.subject_key, offset=offset, limit=limit, now=now
            )
        )

    async def event(self, event_id: int) -> EventDetail | None:
        """One event with its attempts, errors, masked payload and history; None if unknown."""
        now = self._clock()
        return await self.store.read(lambda c: failures.event_detail(c, event_id, now=now))

    # --- replay and discard -----------------------------------------------------------------

    async def preview(self, action: Action | str, selection: Selection) -> Preview:
        """What replaying or discarding ``selection`` would do now; changes nothing."""
        now = self._clock()
        return await self.store.read(
            lambda c: actions.preview(c, action, selection, subject_key=self.subject_key, now=now)
        )

    async def replay(
        self, selection: Selection, *, operator: Operator, reason: str
    ) -> ActionOutcome:
        """Replay ``selection`` (or, with a second approver, ask for it); ``ActionRefused``
        when it cannot be."""
        return await self._act(Action.replay, selection, operator, reason)

    async def discard(
        self, selection: Selection, *, operator: Operator, reason: str
    ) -> ActionOutcome:
        """Discard ``selection`` (or, with a second approver, ask for it)."""
        return await self._act(Action.discard, selection, operator, reason)

    async def _act(
        self, action: Action, selection: Selection, operator: Operator, reason: str
    ) -> ActionOutcome:
        now = self._clock()
        outcome = await self.store.write(
            lambda c: actions.act(
                c,
                action,
                selection,
                operator,
                reason,
                second_approver=self.second_approver,
                subject_key=self.subject_key,
                now=now,
            )
        )
        self._replayed(outcome)
        return outcome

    async def requests(self) -> list[OperatorAction]:
        """Replays and discards waiting for a second operator, oldest first."""
        return await self.store.read(actions.waiting)

    async def approve(
        self, action_id: int, *, operator: Operator, note: str | None = None
    ) -> ActionOutcome:
        """Carry out a requested action; ``SameOperator`` if ``operator`` asked for it."""
        now = self._clock()
        outcome = await self.store.write(
            lambda c: actions.approve(c, action_id, operator, note=note, now=now)
        )
        self._replayed(outcome)
        return outcome

    async def reject(self, action_id: int, *, operator: Operator, reason: str) -> ActionOutcome:
        """Drop a requested action; nothing changes."""
        now = self._clock()
        return await self.store.write(
            lambda c: actions.reject(c, action_id, operator, reason=reason, now=now)
        )

    async def results(self, action_id: int) -> list[actions.ItemOutcome]:
        """The per-event results of one replay or discard."""
        return await self.store.read(lambda c: actions.items_of(c, action_id))

    def _replayed(self, outcome: ActionOutcome) -> None:
        if self._notify is not None and outcome.counts.get(actions.ItemResult.replayed.value):
            self._notify()

    # --- the operator action audit ------------------------------------------------------------

    async def record(
        self,
        operator: Operator,
        action: Action | str,
        *,
        count: int = 0,
        selection: Mapping[str, Any] | Sequence[Any] | None = None,
        reason: str | None = None,
        detail: str | None = None,
    ) -> int:
        """Audit an action taken elsewhere (sign-in, download, invite, ...); returns its id."""
        return await self.store.write(
            lambda c: audit.record(
                c,
                operator,
                action,
                count=count,
                selection=selection,
                reason=reason,
                detail=detail,
            )
        )

    async def actions(
        self, query: ActionQuery, *, offset: int = 0, limit: int = 50
    ) -> Page[OperatorAction]:
        """Audited actions matching ``query``, newest first, one page."""
        return await self.store.read(
            lambda c: audit.find_actions(c, query, offset=offset, limit=limit)
        )

    async def export_actions(self, query: ActionQuery, *, operator: Operator) -> str:
        """Every audited action matching ``query`` as CSV; the export itself is audited."""

        def export(connection: Connection) -> str:
            found = audit.all_actions(connection, query)
            audit.record(
                connection,
                operator,
                Action.export,
                count=len(found),
                selection={"operator_actions": _described(query)},
                detail=f"operator action audit, {len(found)} rows, CSV",
            )
            return audit.actions_csv(found)

        return await self.store.write(export)

    # --- national systems --------------------------------------------------------------------

    async def status(self, systems: Sequence[str] | None = None) -> list[SystemStatus]:
        """How each national system in use stands (``systems``, by default those in use)."""
        names = list(systems) if systems is not None else self._in_use()
        now = self._clock()
        return await self.store.read(lambda c: status.system_status(c, names, now=now))

    async def daily(self, system: str, *, days: int = 30) -> list[Day]:
        """Delivered and dead events of ``system`` per day, the last ``days`` days."""
        now = self._clock()
        return await self.store.read(lambda c: status.daily(c, system, days=days, now=now))

    async def test(self, system: str, *, operator: Operator) -> ProbeResult:
        """Run ``system``'s probe now, keep its answer for the overview, audit the test."""
        national = self.national
        if national is None or system not in national.in_use:
            raise UnknownSystem(system, self._in_use())
        ok, said = await probes.run_probe(
            national.entries[system], national.adapters[system], national.configs[system]
        )
        result = probes.probe_result(system, ok, said, operator.id)

        def keep(connection: Connection) -> None:
            probes.keep_probe(connection, result)
            audit.record(
                connection,
                operator,
                Action.test,
                count=1,
                selection={"system": system},
                detail=("ok: " if ok else "failed: ") + said,
            )

        await self.store.write(keep)
        return result

    def _in_use(self) -> list[str]:
        return self.national.in_use if self.national is not None else []


def _described(query: ActionQuery) -> dict[str, Any]:
    return {
        name: getattr(query, name).value
        if hasattr(getattr(query, name), "value")
        else getattr(query, name)
        for name in ("actor", "action", "state", "since", "until", "text")
        if getattr(query, name) is not None
    }
