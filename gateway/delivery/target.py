"""What the worker needs from a national system's delivery, and what intake needs to queue for it.

Events are put in the national system's own format when they are accepted (``encode_dossier``,
``encode_step``): a dossier that format cannot carry is refused at the API with the reason,
instead of being accepted and dead-lettered later, and the worker sends what was stored without
validating or mapping it again.

Most systems take every snapshot and step (``DossierTarget``); a system that follows only the
dossier's state (``StateTarget``) is given one event per change of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from gateway.outbox import Claimed
from mappings.dossier import Dossier, ProgressStep


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one row: delivered (``error`` is None), to retry, or dead (``permanent``)."""

    id: int
    error: str | None = None
    permanent: bool = False
    retry_after: float | None = None

    @property
    def delivered(self) -> bool:
        return self.error is None


class DeliveryTarget(Protocol):
    """One national system the worker delivers outbox rows to."""

    name: str

    async def deliver(self, rows: Sequence[Claimed]) -> list[Outcome]:
        """One outcome per row, in order; raises ``TransientError`` when none could be sent."""
        ...


class DossierTarget(DeliveryTarget, Protocol):
    """A national system that takes dossiers and progress steps, in a format of its own."""

    def encode_dossier(self, dossier: Dossier) -> str:
        """The snapshot as this system takes it; raises ``MappingError`` when it cannot."""
        ...

    def encode_step(self, code: str, step: ProgressStep) -> str:
        """A step of dossier ``code`` as this system takes it; raises ``MappingError``."""
        ...


@runtime_checkable
class StateTarget(DeliveryTarget, Protocol):
    """A national system that follows each dossier's state: one event when a dossier is first
    accepted and one each time a snapshot brings a ``status`` other than the one stored. A
    snapshot that leaves the status as it was, and a progress step, queue nothing for it."""

    def encode_state(self, dossier: Dossier) -> str:
        """The event saying ``dossier`` is now in its ``status``; raises ``MappingError``."""
        ...
