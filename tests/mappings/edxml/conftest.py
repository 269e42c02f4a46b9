"""Packages between the Government Office and Thanh Hóa, as the edXML tests use them."""

from __future__ import annotations

from datetime import date

import pytest
from edxml_samples import DOCX, GOVERNMENT_OFFICE, NGHE_AN, PDF, THANH_HOA, at

from mappings.edxml import (
    Attachment,
    Business,
    BusinessDocType,
    DocumentCode,
    DocumentKind,
    DocumentReference,
    DocumentStatus,
    MessageHeader,
    Officer,
    OtherDetails,
    Package,
    Promulgation,
    Receiver,
    Replacement,
    Signer,
    StatusPackage,
    Trace,
    UpdateInfo,
)


@pytest.fixture
def full_package() -> Package:
    """Every element of a document package once (several for the repeated ones), two files.

    The business part carries both an update's and a replacement's lists so that every element
    is written; a real package carries the lists of its own type.
    """
    return Package(
        header=MessageHeader(
            From=GOVERNMENT_OFFICE,
            To=(THANH_HOA, NGHE_AN),
            Code=DocumentCode(CodeNumber="7816", CodeNotation="VPCP-TTĐT"),
            PromulgationInfo=Promulgation(Place="Hà Nội", PromulgationDate=date(2015, 9, 30)),
            DocumentType=DocumentKind(Type="1", TypeDetail="2", TypeName="Công văn"),
            Subject="V/v triển khai liên thông văn bản điện tử <4 cấp> & báo cáo",
            Content="Văn phòng Chính phủ đề nghị các tỉnh:\n1. Kết nối trục liên thông;\n"
            "2. Báo cáo kết quả trước ngày 15/10/2015.",
            SignerInfo=Signer(
                Competence="KT. BỘ TRƯỞNG, CHỦ NHIỆM",
                Position="PHÓ CHỦ NHIỆM",
                FullName="Kiều Đình Thụ",
            ),
            DueDate=date(2015, 10, 15),
            ToPlaces=("Như trên", "Lưu: VT, TTĐT (3b)"),
            OtherInfo=OtherDetails(
                Priority=1,
                SphereOfPromulgation="Liên thông văn bản quốc gia",
                TyperNotation="TTĐT",
                PromulgationAmount=65,
                PageAmount=2,
                Appendixes=("Phụ lục I: Danh sách đơn vị", "Phụ lục II: Mẫu báo cáo"),
            ),
            ResponseFor=(
                DocumentReference(
                    OrganId="000.00.00.H56",
                    Code="125/UBND-VP",
                    PromulgationDate=date(2015, 9, 1),
                    DocumentId="000.00.00.H56,2015/09/01,125/UBND-VP",
                ),
                DocumentReference(
                    OrganId="000.00.00.H40",
                    Code="88/UBND-KGVX",
                    PromulgationDate=date(2015, 9, 2),
                ),
            ),
            SteeringType="1",
            DocumentId="000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        ),
        traces=(Trace(OrganId="000.00.00.G22", Timestamp=at(8, 30, 15)),),
        business=Business(
            BussinessDocType=BusinessDocType.update,
            BussinessDocReason="Bổ sung đơn vị nhận và sửa phụ lục",
            BussinessDocumentInfo=UpdateInfo(
                DocumentInfo=True,
                DocumentReceiver=False,
                ReceiverList=(
                    Receiver(OrganId="000.00.00.H40", ReceiverType="1"),
                    Receiver(OrganId="000.00.00.H56", ReceiverType="0"),
                ),
            ),
            DocumentId="000.00.00.G22,2015/09/28,7790/VPCP-TTĐT",
            Paper=True,
            StaffInfo=Officer(
                Department="Cục Tin học hóa",
                Staff="Nguyễn Thị Thu Hà",
                Mobile="0912345678",
                Email="thuha@chinhphu.vn",
            ),
            ReplacementInfoList=(
                Replacement(
                    DocumentId="000.00.00.G22,2015/09/28,7790/VPCP-TTĐT",
                    OrganIdList=("000.00.00.H56", "000.00.00.H40"),
                ),
            ),
        ),
        attachments=(
            Attachment(
                ContentId="cid:7816-1",
                AttachmentName="7816-VPCP-TTĐT.pdf",
                ContentType="application/pdf",
                Description="Công văn số 7816/VPCP-TTĐT",
                content=PDF,
            ),
            Attachment(
                ContentId="cid:7816-2",
                AttachmentName="Phụ lục.docx",
                ContentType=(
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                ),
                content=DOCX,
            ),
        ),
    )


@pytest.fixture
def status_package() -> StatusPackage:
    """Thanh Hóa tells the Government Office that document 7816 was accepted and registered."""
    return StatusPackage(
        ResponseFor=DocumentReference(
            OrganId="000.00.00.G22",
            Code="7816/VPCP-TTĐT",
            PromulgationDate=date(2015, 9, 30),
            DocumentId="000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        ),
        From=THANH_HOA,
        StaffInfo=Officer(
            Department="Phòng Hành chính - Tổ chức",
            Staff="Lê Văn Thành",
            Mobile="0987654321",
            Email="levanthanh@thanhhoa.gov.vn",
        ),
        StatusCode=DocumentStatus.accepted,
        Description="Đã tiếp nhận và vào sổ văn bản đến số 1523",
        Timestamp=at(14, 5, 9),
    )
