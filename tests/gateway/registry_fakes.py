"""Fakes of the insurance database and the results store ports, holding one person each:
``tests.gateway.fakes.PERSON``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from adapters.errors import TransientError
from adapters.social_insurance import InsuranceQuery
from mappings.results_store import IssuedResult, ResultFile
from mappings.social_insurance import InsuranceRecord
from tests.gateway.fakes import PERSON

INSURANCE = InsuranceRecord.model_validate(
    {
        "insurance_code": "0195012345",
        "personal_id": PERSON,
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "1995-03-14",
        "sex": "male",
        "health_card": {
            "number": "DN4010195012345",
            "valid_from": "2026-01-01",
            "valid_to": "2099-12-31",
            "benefit_level": 4,
            "hospital_code": "01001",
            "hospital_name": "Bệnh viện Đa khoa Hà Nội",
        },
        "contribution": {
            "status": "contributing",
            "employer": "Công ty Cổ phần Xây dựng Hồng Hà",
            "employer_code": "TA01230001",
            "months_paid": 84,
            "paid_until": "2026-10",
        },
    }
)
BIRTH_EXTRACT = IssuedResult(
    id="GT.00000000A1",
    kind="KQ.KS",
    name="Trích lục khai sinh",
    number="0123/1995/KS",
    issued_on=date(1995, 4, 2),
    issuer="Ủy ban nhân dân Phường Hàng Bạc",
    file_url="/kho/giayto/GT.00000000A1.pdf",
    file_name="GT.00000000A1.pdf",
)
OLD_JUDICIAL_RECORD = IssuedResult(
    id="GT.00000000B2",
    kind="KQ.LLTP",
    name="Phiếu lý lịch tư pháp",
    number="0456/2020/LLTP",
    issued_on=date(2020, 5, 1),
    issuer="Sở Tư pháp Hà Nội",
    valid_until=date(2020, 11, 1),
    file_url="/kho/giayto/GT.00000000B2.pdf",
    file_name="GT.00000000B2.pdf",
)
PDF = b"%PDF-1.4 a birth certificate extract"


class FakeInsurance:
    def __init__(self) -> None:
        self.queries: list[InsuranceQuery] = []
        self.down = False

    async def find_insurance(self, query: InsuranceQuery) -> InsuranceRecord | None:
        self.queries.append(query)
        if self.down:
            raise TransientError("social_insurance", "TraCuuThongTinBaoHiem: HTTP 503")
        return INSURANCE if query.personal_id == PERSON else None

    async def aclose(self) -> None:
        return None


class FakeResults:
    def __init__(self) -> None:
        self.asked: list[tuple[str, str, tuple[str, ...]]] = []
        self.files: list[str] = []
        self.down = False

    async def find_results(
        self, owner: str, procedure: str, kinds: Sequence[str] = ()
    ) -> list[IssuedResult]:
        self.asked.append((owner, procedure, tuple(kinds)))
        if self.down:
            raise TransientError("results_store", "GetKetQuaGiayTo: no answer in time")
        held = [BIRTH_EXTRACT, OLD_JUDICIAL_RECORD] if owner == PERSON else []
        return [r for r in held if not kinds or r.kind in kinds]

    async def fetch_file(self, file_url: str) -> ResultFile | None:
        self.files.append(file_url)
        if file_url != BIRTH_EXTRACT.file_url:
            return None
        return ResultFile(name=BIRTH_EXTRACT.file_name, media_type="application/pdf", content=PDF)

    async def aclose(self) -> None:
        return None
