"""``Reconciler``: the reconciliation's units of work over one store and one portal."""

from __future__ import annotations

import time
from collections.abc import Callable

from adapters.national_portal import NationalPortal
from gateway.delivery.target import DossierTarget
from gateway.operations.audit import Operator
from gateway.reconciliation import plan as plans
from gateway.reconciliation.plan import Plan
from gateway.store import Store


class Reconciler:
    """Compares and repairs through ``delivery`` (the portal's encoding of dossiers and steps,
    as at intake); ``skew_seconds`` is how far apart two times may be and still be the same, and
    how long after its delivery a dossier may not show at the portal yet."""

    def __init__(
        self,
        store: Store,
        portal: NationalPortal,
        delivery: DossierTarget | None,
        *,
        skew_seconds: float = 300.0,
        concurrency: int = 8,
        notify: Callable[[], None] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._portal = portal
        self._delivery = delivery
        self.skew_seconds = skew_seconds
        self._concurrency = concurrency
        self._notify = notify
        self._clock = clock

    def _target(self) -> DossierTarget:
        if self._delivery is None:
            raise plans.ReconcileRefused(
                "the national portal is not in use here (LIENTHONG_NATIONAL_PORTAL_ENABLED)"
            )
        return self._delivery

    async def plan(
        self, *, actor: Operator, since: str | None = None, dossier: str | None = None
    ) -> Plan:
        """Compare the dossiers in scope with the portal and keep the plan."""
        target = self._target()
        return await plans.make_plan(
            self._store,
            self._portal,
            encode=target.encode_dossier,
            encode_step=target.encode_step,
            actor=actor,
            since=since,
            dossier=dossier,
            skew_seconds=self.skew_seconds,
            concurrency=self._concurrency,
            clock=self._clock,
        )

    async def apply(self, plan_id: int, *, operator: Operator, reason: str) -> Plan:
        """Queue the repairs of a plan, audited with ``reason``."""
        target = self._target()
        now = self._clock()
        applied = await self._store.write(
            lambda c: plans.apply_plan(
                c,
                plan_id,
                operator=operator,
                reason=reason,
                encode=target.encode_dossier,
                encode_step=target.encode_step,
                now=now,
            )
        )
        if applied.queued and self._notify is not None:
            self._notify()
        return applied

    async def plan_of(self, plan_id: int) -> Plan | None:
        return await self._store.read(lambda c: plans.find_plan(c, plan_id))

    async def recent(self, limit: int = 20) -> list[Plan]:
        return await self._store.read(lambda c: plans.recent_plans(c, limit))
