"""What the worker needs from a national system's delivery: rows in, one outcome per row out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from gateway.outbox import Claimed
from mappings.dossier import Dossier, ProgressStep
from mappings.errors import MappingError


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
    """Delivers rows of one national system; raises ``TransientError`` when none could be sent."""

    name: str

    async def deliver(self, rows: Sequence[Claimed]) -> list[Outcome]: ...

    def refusal(self, dossier: Dossier) -> MappingError | None:
        """Why this system's format cannot carry ``dossier`` (checked before accepting it)."""
        ...

    def step_refusal(self, code: str, step: ProgressStep) -> MappingError | None:
        """Why this system's format cannot carry ``step`` of dossier ``code``."""
        ...
