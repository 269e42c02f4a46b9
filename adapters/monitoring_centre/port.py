"""What the gateway needs from the Government monitoring centre, in its own verbs."""

from __future__ import annotations

from typing import Protocol

from mappings.monitoring_centre import TrackingEvent

SYSTEM = "monitoring_centre"
"""How errors of this adapter name the national system (``AdapterError.system``)."""


class MonitoringCentre(Protocol):
    """The monitoring centre, which follows every one-stop dossier's state.

    Every method raises only ``adapters.errors`` errors: ``TransientError`` when trying again
    later may succeed (an outage, a 5xx or 429, no answer; also while the circuit breaker is
    open), ``RefusedError`` when the centre refuses the event (a 4xx), ``PermanentError`` when the
    configured address is wrong (it redirects, or nothing is there).
    """

    async def track(self, event: TrackingEvent) -> str:
        """Tell the centre of one change of a dossier's state; returns what it said."""
        ...

    async def reachable(self) -> str:
        """Prove the tracking address answers, changing nothing there: what it said."""
        ...

    async def aclose(self) -> None:
        """Release the connection pool; the adapter cannot be used afterwards."""
        ...
