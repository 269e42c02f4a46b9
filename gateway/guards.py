"""The guards of the national systems, as the gateway reads them.

A guard (``adapters.guard``) is a national system's circuit breaker, rate limit and retry
budget. The registry (``gateway.systems``) builds one per system in use and hands it to that
system's adapter, so deliveries, lookups and polls share it. ``guard_report`` is the one place
that reads them all: ``/readyz``, ``/v1/status``, the Prometheus metrics and the operator
console show what it answers.
"""

from __future__ import annotations

from collections.abc import Mapping

from adapters import CircuitState, GuardSnapshot, SystemGuard


def guard_report(guards: Mapping[str, SystemGuard]) -> dict[str, GuardSnapshot]:
    """How every national system's guard stands now, by system name, in name order."""
    return {name: guards[name].snapshot() for name in sorted(guards)}


def open_circuits(guards: Mapping[str, SystemGuard]) -> frozenset[str]:
    """The national systems whose circuit is open now: not worth claiming work for until the
    cool-down ends (half-open lets the next call through as the trial)."""
    return frozenset(
        name for name, guard in guards.items() if guard.breaker.state == CircuitState.open
    )
