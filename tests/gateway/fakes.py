"""A fake of the portal Protocol for worker and API tests: records what it got, fails on demand."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.document_axis import AxisOrganisation, FetchedDocument, SentDocument, Trace
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


class FakeAxis:
    """The axis as seen by one organisation: what it sent, and what waits for it."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []
        self.statuses: list[bytes] = []
        self.waiting: dict[str, FetchedDocument] = {}
        self.confirmed: list[str] = []
        self.calls: list[str] = []

    def offer(self, document_id: str, package: bytes, kind: str = "document") -> None:
        self.waiting[document_id] = FetchedDocument(document_id, package, kind)  # type: ignore[arg-type]

    async def send_document(self, package: bytes) -> SentDocument:
        self.sent.append(package)
        return SentDocument(f"axis-{len(self.sent)}", ())

    async def pending_documents(self, limit: int | None = None) -> list[str]:
        return list(self.waiting)[:limit]

    async def fetch_document(self, document_id: str) -> FetchedDocument:
        self.calls.append(f"fetch {document_id}")
        return self.waiting[document_id]

    async def confirm_received(self, document_id: str) -> None:
        self.calls.append(f"confirm {document_id}")
        self.confirmed.append(document_id)
        self.waiting.pop(document_id, None)

    async def send_status(self, package: bytes) -> None:
        self.statuses.append(package)

    async def traces(self, document_id: str) -> list[Trace]:
        return []

    async def organisations(self) -> list[AxisOrganisation]:
        return []

    async def aclose(self) -> None:
        return None
