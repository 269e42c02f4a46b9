"""Fakes of the national systems' Protocols for worker and API tests: they record what they got
and fail on demand."""

from __future__ import annotations

from collections.abc import Sequence

from adapters.document_axis import AxisOrganisation, FetchedDocument, SentDocument, Trace
from adapters.errors import PermanentError, RefusedError, TransientError
from adapters.national_portal import ItemOutcome
from adapters.population_registry import CitizenQuery
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
from mappings.registries import Business, Citizen


class FakePortal:
    def __init__(self) -> None:
        self.dossiers: dict[str, PortalDossier] = {}
        self.progress: dict[str, list[PortalProgress]] = {}
        self.calls: list[tuple[str, list[str]]] = []
        self.transient_failures = 0
        self.retry_after: float | None = None
        self.refuse: dict[str, str] = {}
        self.procedures: dict[str, PortalProcedureInFull] = {}
        self.lists: dict[CatalogueList, list[PortalListEntry]] = {}
        self.questions: dict[str, PortalQuestion] = {}
        self.answers: list[PortalAnswer] = []
        self.published: dict[str, PortalPublishedQuestion] = {}
        self.evaluations: dict[str, PortalEvaluation] = {}

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
        return [PortalProcedure.model_validate(p.model_dump()) for p in self.procedures.values()]

    async def get_procedure(self, code: str) -> PortalProcedureInFull | None:
        return self.procedures.get(code)

    async def find_record(self, code: str) -> PortalRecord | None:
        dossier = self.dossiers.get(code)
        if dossier is None:
            return None
        return PortalRecord(dossier=dossier, progress=self.progress.get(code, []))

    async def list_entries(self, kind: CatalogueList) -> list[PortalListEntry]:
        return list(self.lists.get(kind, []))

    async def list_questions(self, *, waiting_only: bool = True) -> list[PortalQuestion]:
        self.calls.append(("LayDanhSachHoiDapGuiTuDVCQG", []))
        self._maybe_fail()
        answered = {a.HOIDAPID for a in self.answers}
        return [
            q for q in self.questions.values() if not waiting_only or q.HOIDAPID not in answered
        ]

    async def push_answers(self, answers: Sequence[PortalAnswer]) -> list[ItemOutcome]:
        self.calls.append(("DongBoKetQuaHoiDapGuiTuDVCQG", [a.HOIDAPID for a in answers]))
        self._maybe_fail()
        outcomes = []
        for answer in answers:
            if answer.HOIDAPID not in self.questions:
                refusal = PermanentError("national_portal", f"no question {answer.HOIDAPID}")
                outcomes.append(ItemOutcome(answer.HOIDAPID, refusal))
            else:
                self.answers.append(answer)
                outcomes.append(self._outcome(answer.HOIDAPID))
        return outcomes

    async def push_published(
        self, questions: Sequence[PortalPublishedQuestion]
    ) -> list[ItemOutcome]:
        self.calls.append(("DongBoHoiDap", [q.HOIDAPID for q in questions]))
        self._maybe_fail()
        for question in questions:
            self.published[question.HOIDAPID] = question
        return [self._outcome(q.HOIDAPID) for q in questions]

    async def push_evaluations(self, evaluations: Sequence[PortalEvaluation]) -> list[ItemOutcome]:
        self.calls.append(("DongBoDanhGia", [e.MaHoSo for e in evaluations]))
        self._maybe_fail()
        outcomes = [self._outcome(e.MaHoSo) for e in evaluations]
        for evaluation, outcome in zip(evaluations, outcomes, strict=True):
            if outcome.accepted:
                self.evaluations[evaluation.MaHoSo] = evaluation
        return outcomes

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


PERSON = "001095012345"
CITIZEN = Citizen.model_validate(
    {
        "personal_id": PERSON,
        "full_name": "Nguyễn Văn An",
        "sex": "male",
        "date_of_birth": {"year": 1995, "month": 3, "day": 14},
        "religion": "Không",
        "blood_group": "O",
        "permanent_address": {
            "province_code": "01",
            "province_name": "Hà Nội",
            "detail": "12 Hàng Bạc",
        },
        "father": {"personal_id": "001065001111", "name": "Nguyễn Văn Bình"},
    }
)
COMPANY = "0100109106"
REFUSED_BY_REGISTRY = "0000000000"
UNREADABLE = "0100109113"
BUSINESS = Business.model_validate(
    {
        "enterprise_code": COMPANY,
        "name": "Công ty Cổ phần Xây dựng Hồng Hà",
        "type_name": "Công ty cổ phần",
        "legal_statuses": [{"status": "active", "code": "1"}],
        "representatives": [{"name": "Trần Thị Hoa", "position": "Giám đốc"}],
        "business_lines": [{"code": "4100", "name": "Xây dựng nhà các loại", "main": True}],
    }
)


class FakePopulation:
    def __init__(self) -> None:
        self.queries: list[CitizenQuery] = []
        self.down = False

    async def find_citizen(self, request: CitizenQuery) -> Citizen | None:
        self.queries.append(request)
        if self.down:
            raise TransientError("population_registry", "503 from the fake", retry_after=7)
        known = request.personal_id == PERSON and request.full_name == CITIZEN.full_name
        return CITIZEN if known else None

    async def verify_citizen(self, request: CitizenQuery) -> bool:
        return await self.find_citizen(request) is not None

    async def aclose(self) -> None:
        return None


class FakeBusinesses:
    def __init__(self) -> None:
        self.calls = 0
        self.down = False

    async def find_business(self, code: str) -> Business | None:
        self.calls += 1
        if self.down:
            raise TransientError("business_registry", "connection refused")
        if code == REFUSED_BY_REGISTRY:
            raise RefusedError(
                "business_registry",
                "GetEntCert: HTTP 400 Bad Request: the registry refused it: "
                "MaSoDoanhNghiep is not an issued code (rule: check digit)",
            )
        if code == UNREADABLE:
            raise PermanentError(
                "business_registry", "GetEntCert: a record the gateway cannot read"
            )
        return BUSINESS if code == COMPANY else None

    async def branches(self, code: str) -> list[Business]:
        return []

    async def aclose(self) -> None:
        return None
