"""The guard of each national system, as the gateway builds it from settings and shows it.

A guard (``adapters.guard``) is a national system's circuit breaker, rate limit and retry
budget. The composition root builds one per system with ``national_guards`` and hands each to
that system's adapter, so deliveries, lookups and polls share it. An adapter handed to the root
ready-made (tests, tools) keeps the guard it was built with, and ``in_use`` makes sure that is
the one shown. ``guard_report`` is the one place that reads them all: ``/readyz``,
``/v1/status``, the Prometheus metrics and the operator console show what it answers.
"""

from __future__ import annotations

from collections.abc import Mapping

from adapters import CircuitState, GuardSnapshot, SystemGuard
from gateway.settings import Settings

NATIONAL_PORTAL = "national_portal"
DOCUMENT_AXIS = "document_axis"
POPULATION_REGISTRY = "population_registry"
BUSINESS_REGISTRY = "business_registry"


def national_guards(settings: Settings) -> dict[str, SystemGuard]:
    """One guard per national system: the breaker settings shared by all, each its own rate."""
    rates = {
        NATIONAL_PORTAL: (settings.national_portal_rate_limit, settings.national_portal_rate_burst),
        DOCUMENT_AXIS: (settings.document_axis_rate_limit, settings.document_axis_rate_burst),
        POPULATION_REGISTRY: (
            settings.population_registry_rate_limit,
            settings.population_registry_rate_burst,
        ),
        BUSINESS_REGISTRY: (
            settings.business_registry_rate_limit,
            settings.business_registry_rate_burst,
        ),
    }
    return {
        system: SystemGuard.for_system(
            system,
            failure_threshold=settings.breaker_failures,
            cool_down=settings.breaker_cool_down,
            rate=rate,
            burst=burst,
        )
        for system, (rate, burst) in rates.items()
    }


def in_use(
    built: Mapping[str, SystemGuard], adapters: Mapping[str, object]
) -> dict[str, SystemGuard]:
    """``built``, with the guard an adapter carries (its ``guard``) in place of the one built for
    its system: what calls to that system really go through."""
    guards = dict(built)
    for system, adapter in adapters.items():
        carried = getattr(adapter, "guard", None)
        if isinstance(carried, SystemGuard):
            guards[system] = carried
    return guards


def guard_report(guards: Mapping[str, SystemGuard]) -> dict[str, GuardSnapshot]:
    """How every national system's guard stands now, by system name, in name order."""
    return {name: guards[name].snapshot() for name in sorted(guards)}


def open_circuits(guards: Mapping[str, SystemGuard]) -> frozenset[str]:
    """The national systems whose circuit is open now: not worth claiming work for until the
    cool-down ends (half-open lets the next call through as the trial)."""
    return frozenset(
        name for name, guard in guards.items() if guard.breaker.state == CircuitState.open
    )
