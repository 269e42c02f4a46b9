"""Reconciliation with the national portal: what the gateway delivered against what the portal
holds (``TraCuuHoSo``), every difference classified, a plan kept, repairs queued through the
outbox once an operator applies it (``gateway.reconciliation.plan`` says what and how).

``Reconciler(store, portal, delivery, skew_seconds=)`` (built by ``gateway.bootstrap`` as
``Gateway.reconciler``; the CLI's ``lienthong reconcile`` and the console's Đối soát page use
it): ``plan(actor=, since=, dossier=) -> Plan`` compares and keeps the plan; ``apply(plan_id,
operator=, reason=) -> Plan`` queues its repairs (``ReconcileRefused`` when it cannot);
``plan_of(id)`` and ``recent()`` read plans back. ``Plan.as_json()`` is the plan as written to a
file.
"""

from __future__ import annotations

from gateway.reconciliation.plan import (
    Difference,
    Kind,
    Plan,
    ReconcileRefused,
)
from gateway.reconciliation.service import Reconciler

__all__ = ["Difference", "Kind", "Plan", "ReconcileRefused", "Reconciler"]
