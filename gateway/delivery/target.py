"""What the worker needs from a national system's delivery: rows in, one outcome per row out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from gateway.outbox import Claimed


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
