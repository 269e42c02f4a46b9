"""Dossiers of a Thanh Hóa one-stop system, as the mapping tests use them."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import BaseModel

from mappings import (
    VIETNAM,
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierStatus,
    Fee,
    Identifier,
    IdType,
    OtherDocument,
    Procedure,
    ProgressStep,
    ProvinceOverrides,
    Reference,
    Result,
    ResultDelivery,
    SubmittedDocument,
    SupplementRequest,
)

GOLDEN = Path(__file__).parent / "golden"
UPDATE_GOLDEN = os.environ.get("LIENTHONG_UPDATE_GOLDEN") == "1"
"""Set to 1 to rewrite the golden files from the current mapping, then review the diff."""


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2025, 3, day, hour, minute, second, tzinfo=VIETNAM)


class Golden:
    """The reviewed files in ``golden/``."""

    def check(self, model: BaseModel, name: str) -> None:
        path = GOLDEN / name
        written = json.dumps(model.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
        if UPDATE_GOLDEN:
            path.write_text(written, encoding="utf-8")
        assert json.loads(written) == json.loads(path.read_text(encoding="utf-8"))

    def read(self, name: str) -> object:
        return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


@pytest.fixture
def golden() -> Golden:
    return Golden()


def review_step() -> ProgressStep:
    return ProgressStep(
        officer="Lê Văn Thành",
        position="Công chức Tư pháp - Hộ tịch",
        department="Bộ phận Tư pháp - Hộ tịch, UBND phường Đông Sơn",
        content="Thẩm định hồ sơ, đủ điều kiện giải quyết",
        status=DossierStatus.processing,
        at=at(3, 14, 5, 9),
        started_at=at(3, 8),
        due_at=at(5, 17),
    )


@pytest.fixture
def province() -> ProvinceOverrides:
    """Thanh Hóa keeps local procedure codes with its unit suffix."""
    return ProvinceOverrides.from_text("procedure_codes:\n  local_suffix: 000.00.00.H56\n")


@pytest.fixture
def progress_step() -> ProgressStep:
    return review_step()


@pytest.fixture
def minimal_dossier() -> Dossier:
    return Dossier(
        code="000.00.01.H56-250301-00007",
        procedure=Procedure(code="1.000894"),
        channel=Channel.in_person,
        applicant=Applicant(kind=ApplicantKind.citizen, name="Trần Văn Bình"),
        status=DossierStatus.submitted,
        handling_unit="000.00.01.H56",
    )


@pytest.fixture
def full_dossier() -> Dossier:
    """Every field and every list filled, as a birth registration submitted online."""
    return Dossier(
        code="000.00.01.H56-250301-00012",
        procedure=Procedure(code="1.001193.000.00.00.H56", name="Thủ tục đăng ký khai sinh"),
        field=Reference(code="HT", name="Hộ tịch"),
        receipt_number="BN-250301-00012",
        channel=Channel.online,
        applicant=Applicant(
            kind=ApplicantKind.citizen,
            name="Nguyễn Thị Hồng Nhung",
            id_type=IdType.personal_id,
            id_number="038190012345",
            identifiers=[
                Identifier(type=IdType.personal_id, number="038190012345"),
                Identifier(type=IdType.old_id, number="173456789"),
            ],
            subject_code="CD-0381900",
            email="hongnhung@example.vn",
            phone="0912345678",
            fax="02373852000",
            other_info="Mẹ của trẻ, thường trú tại phường Đông Sơn",
            verified_with_vneid=True,
        ),
        summary="Đăng ký khai sinh cho cháu Lê Minh Khôi, sinh ngày 20/02/2025",
        status=DossierStatus.returned,
        handling_unit="000.00.01.H56",
        submitted_at=datetime(2025, 3, 1, 1, 15, 30, tzinfo=UTC),
        received_at=at(1, 9, 2),
        due_at=at(4, 17),
        returned_at=at(4, 10, 30),
        finished_at=at(4, 9, 45),
        refused_at=at(2, 8),
        return_info="Đã trả Giấy khai sinh bản chính qua bưu điện",
        result_delivery=ResultDelivery.post,
        submission_place="Bộ phận Một cửa UBND phường Đông Sơn",
        note="Hồ sơ trực tuyến toàn trình",
        has_digitised_documents=True,
        paid_online=True,
        connected_databases=["CSDLQGDC", "CSDLHT"],
        documents=[
            SubmittedDocument(
                id="TL-001",
                name="Tờ khai đăng ký khai sinh",
                component_code="TP-KS-01",
                url="https://dvc.thanhhoa.gov.vn/files/TL-001.pdf",
                digitised=True,
            ),
            SubmittedDocument(
                id="TL-002",
                name="Giấy chứng sinh",
                component_code="TP-KS-02",
                url="https://dvc.thanhhoa.gov.vn/files/TL-002.pdf",
                deleted=True,
                reused=True,
                from_national_repository=True,
                replaces_result_code="KQ-2024-000981",
            ),
        ],
        other_documents=[
            OtherDocument(name="Giấy ủy quyền", quantity=2, kind="Bản sao"),
        ],
        fees=[
            Fee(
                name="Lệ phí đăng ký khai sinh",
                code="LP-KS",
                collection_method="Trực tuyến",
                amount=Decimal("8000"),
                kind="Lệ phí",
            ),
            Fee(name="Phí cấp bản sao trích lục", amount=Decimal("12500.50"), kind="Phí"),
        ],
        supplements=[
            SupplementRequest(
                id="BS-01",
                requested_by="Lê Văn Thành",
                content="Bổ sung bản chụp Giấy chứng sinh rõ nét",
                requested_at=at(2, 10),
                received_by="Phạm Thu Hà",
                receipt_info="Đã nhận bản bổ sung qua Cổng",
                received_at=at(3, 7, 50),
                status="Đã bổ sung",
                previous_due_at=at(3, 17),
                new_due_at=at(4, 17),
            )
        ],
        results=[
            Result(
                id="KQ-001",
                name="Giấy khai sinh",
                component_code="KQ-KS",
                url="https://dvc.thanhhoa.gov.vn/results/KQ-001.pdf",
                result_code="KQ-2025-000123",
            )
        ],
        progress=[
            ProgressStep(
                officer="Phạm Thu Hà",
                position="Cán bộ Một cửa",
                department="Bộ phận Một cửa",
                content="Tiếp nhận hồ sơ trực tuyến",
                status=DossierStatus.received,
                at=at(1, 9, 2),
            ),
            review_step(),
        ],
    )
