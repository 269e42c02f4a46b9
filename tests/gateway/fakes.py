"""A fake of the portal Protocol for worker and API tests: records what it got, fails on demand."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.errors import PermanentError, TransientError
from adapters.national_portal import ItemOutcome
from mappings.national_portal.wire import PortalDossier, PortalProcedure, PortalProgress


class FakePortal:
    def __init__(self) -> None:
        self.dossiers: dict[str, PortalDossier] = {}
        self.progress: dict[str, list[PortalProgress]] = {}
        self.calls: list[tuple[str, list[str]]] = []
        self.transient_failures = 0
        self.retry_after: float | None = None
        self.refuse: dict[str, str] = {}

    def _maybe_fail(self) -> None:
        if self.transient_failures > 0:
            self.transient_failures -= 1
            raise TransientError(
                "national_portal", "503 from the fake", retry_after=self.retry_after
            )

    def _outcome(self, code: str) -> ItemOutcome:
        reason = self.refuse.get(code)
        if reason:
            return ItemOutcome(code, PermanentError("national_portal", reason))
        return ItemOutcome(code)

    async def push_dossiers(self, dossiers: Sequence[PortalDossier]) -> list[ItemOutcome]:
        self.calls.append(("DongBoHoSoMC", [d.MaHoSo for d in dossiers]))
        self._maybe_fail()
        outcomes = [self._outcome(d.MaHoSo) for d in dossiers]
        for d, o in zip(dossiers, outcomes, strict=True):
            if o.accepted:
                self.dossiers[d.MaHoSo] = d
        return outcomes

    async def push_progress(self, steps: Sequence[PortalProgress]) -> list[ItemOutcome]:
        self.calls.append(("CapNhatTienDoHoSoMC", [s.MaHoSo for s in steps]))
        self._maybe_fail()
        outcomes = [self._outcome(s.MaHoSo) for s in steps]
        for s, o in zip(steps, outcomes, strict=True):
            if o.accepted:
                self.progress.setdefault(s.MaHoSo, []).append(s)
        return outcomes

    async def find_dossier(self, code: str) -> PortalDossier | None:
        return self.dossiers.get(code)

    async def list_procedures(self) -> list[PortalProcedure]:
        return []

    async def get_procedure(self, code: str) -> PortalProcedure | None:
        return None

    async def aclose(self) -> None:
        return None
