"""What the gateway needs from the National Public Service Portal, in its own verbs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from adapters.errors import PermanentError
from mappings.national_portal.lists import CatalogueList
from mappings.national_portal.wire import (
    PortalAnswer,
    PortalDossier,
    PortalEvaluation,
    PortalListEntry,
    PortalProcedure,
    PortalProcedureInFull,
    PortalProgress,
    PortalPublishedQuestion,
    PortalQuestion,
    PortalRecord,
)

SYSTEM = "national_portal"


@dataclass(frozen=True, slots=True)
class ItemOutcome:
    """What the portal said of one dossier in a batch: accepted, or refused with ``error``.

    Only permanent refusals appear per item; a failure of the whole call (time-out, 5xx, auth)
    raises instead, because then nothing in the batch is known to have been applied. ``code`` is
    the ``MaHoSo`` the outcome is about (the ``HOIDAPID`` for answers and published questions).
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

    async def push_answers(self, answers: Sequence[PortalAnswer]) -> list[ItemOutcome]:
        """Answer questions sent on the portal; one outcome each (by ``HOIDAPID``), in order."""
        ...

    async def push_published(
        self, questions: Sequence[PortalPublishedQuestion]
    ) -> list[ItemOutcome]:
        """Publish the province's questions and answers (upsert by ``HOIDAPID``)."""
        ...

    async def push_evaluations(self, evaluations: Sequence[PortalEvaluation]) -> list[ItemOutcome]:
        """Send citizens' evaluations (the portal keeps the last one of each dossier)."""
        ...

    async def find_dossier(self, code: str) -> PortalDossier | None: ...

    async def find_record(self, code: str) -> PortalRecord | None:
        """The dossier with the progress steps the portal holds for it, or None."""
        ...

    async def list_procedures(self) -> list[PortalProcedure]: ...

    async def get_procedure(self, code: str) -> PortalProcedureInFull | None: ...

    async def list_entries(self, kind: CatalogueList) -> list[PortalListEntry]:
        """Every entry of one of the portal's catalogue lists."""
        ...

    async def list_questions(self, *, waiting_only: bool = True) -> list[PortalQuestion]:
        """The questions citizens sent the province on the portal (waiting ones by default)."""
        ...

    async def aclose(self) -> None: ...
