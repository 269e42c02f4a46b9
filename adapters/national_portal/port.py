"""What the gateway needs from the National Public Service Portal, in its own verbs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from adapters.errors import PermanentError
from mappings.national_portal.wire import PortalDossier, PortalProcedure, PortalProgress

SYSTEM = "national_portal"


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """What the portal said of one dossier in a batch: accepted, or refused with ``error``.

    Only permanent refusals appear per item; a failure of the whole call (time-out, 5xx, auth)
    raises instead, because then nothing in the batch is known to have been applied. ``code`` is
    the ``MaHoSo`` the outcome is about.
    """

    code: str
    error: PermanentError | None = None

    @property
    def accepted(self) -> bool:
        return self.error is None


class NationalPortal(Protocol):
    async def push_dossiers(self, dossiers: Sequence[PortalDossier]) -> list[ItemOutcome]:
        """Create or update each dossier (upsert by ``MaHoSo``); one outcome each, in order."""
        ...

    async def push_progress(self, steps: Sequence[PortalProgress]) -> list[ItemOutcome]:
        """Append processing steps; one outcome per step, in order."""
        ...

    async def find_dossier(self, code: str) -> PortalDossier | None: ...

    async def list_procedures(self) -> list[PortalProcedure]: ...

    async def get_procedure(self, code: str) -> PortalProcedure | None: ...

    async def aclose(self) -> None: ...
