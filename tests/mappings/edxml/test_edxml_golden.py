"""Packages written for known models, held against reviewed golden files, and read back."""

from __future__ import annotations

from datetime import date, datetime

from edxml_samples import DOCX, GOVERNMENT_OFFICE, PDF, THANH_HOA, at, check_golden, golden_path
from lxml import etree

from mappings.dossier import VIETNAM
from mappings.edxml import (
    EDXML_NAMESPACE,
    Attachment,
    Business,
    DocumentCode,
    DocumentKind,
    DocumentReference,
    DocumentStatus,
    MessageHeader,
    Officer,
    Organisation,
    Package,
    Promulgation,
    StatusPackage,
    Trace,
    read_package,
    write_package,
    write_status,
)

ED = "{http://www.mic.gov.vn/TBT/QCVN_102_2016}"


def test_full_package_writes_the_golden_file(full_package: Package) -> None:
    check_golden(write_package(full_package), "full_package.xml")


def test_status_package_writes_the_golden_file(status_package: StatusPackage) -> None:
    check_golden(write_status(status_package), "status_package.xml")


def test_golden_full_package_reads_back_as_the_model(full_package: Package) -> None:
    assert read_package(golden_path("full_package.xml").read_bytes()) == full_package


def test_golden_status_package_reads_back_as_the_model(status_package: StatusPackage) -> None:
    assert read_package(golden_path("status_package.xml").read_bytes()) == status_package


def test_prefixes_are_those_of_real_packages_and_the_declaration_is_utf8(
    full_package: Package,
) -> None:
    """The document element un-prefixed in the default namespace, every element of the envelope
    ``edXML:``, the attachments un-prefixed but for ``edXML:ContentTransferEncoded``."""
    written = write_package(full_package)

    assert written.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n')
    root = etree.fromstring(written)
    assert (root.prefix, root.tag) == (None, f"{ED}edXML")
    envelope, encoded = root
    assert {element.prefix for element in envelope.iter()} == {"edXML"}
    assert {etree.QName(element).localname: element.prefix for element in encoded.iter()} == {
        "AttachmentEncoded": None,
        "Attachment": None,
        "ContentId": None,
        "AttachmentName": None,
        "Description": None,
        "ContentType": None,
        "ContentTransferEncoded": "edXML",
    }
    assert {etree.QName(element).namespace for element in root.iter()} == {EDXML_NAMESPACE}


def test_attachments_join_the_manifest_by_content_id(full_package: Package) -> None:
    root = etree.fromstring(write_package(full_package))

    listed = [e.text for e in root.iter(f"{ED}Reference") for e in e.iter(f"{ED}ContentId")]
    encoded = [e.findtext(f"{ED}ContentId") for e in root.iter(f"{ED}Attachment")]
    assert listed == encoded == ["cid:7816-1", "cid:7816-2"]


def test_status_is_written_in_a_status_element_without_a_body(
    status_package: StatusPackage,
) -> None:
    root = etree.fromstring(write_status(status_package))

    assert root.tag == f"{ED}edXML"
    assert [child.tag for child in root] == [f"{ED}edXMLEnvelope"]
    assert [child.tag for child in root[0]] == [f"{ED}edXMLHeader"]
    assert [child.tag for child in root[0][0]] == [f"{ED}Status"]


def test_writing_the_same_package_twice_gives_the_same_bytes(full_package: Package) -> None:
    assert write_package(full_package) == write_package(full_package)


# Messy packages, written by hand after what real packages carry.


def test_reads_day_first_dates_empty_elements_and_an_unprefixed_signature() -> None:
    read = read_package(golden_path("messy_dates_and_empty_elements.xml").read_bytes())

    assert read == Package(
        header=MessageHeader(
            From=Organisation(OrganId="000.00.00.G22", OrganName="Văn phòng Chính phủ"),
            To=(Organisation(OrganId="000.00.00.H56", OrganName="UBND tỉnh Thanh Hóa"),),
            Code=DocumentCode(CodeNumber="7816", CodeNotation="VPCP-TTĐT"),
            PromulgationInfo=Promulgation(Place="Hà Nội", PromulgationDate=date(2015, 9, 30)),
            DocumentType=DocumentKind(Type="1", TypeName="Công văn"),
            Subject="V/v triển khai liên thông văn bản điện tử",
            DueDate=date(2015, 10, 5),
        ),
        traces=(Trace(OrganId="000.00.00.G22", Timestamp=at(8, 30, 15)),),
        attachments=(
            Attachment(
                ContentId="cid:7816-1",
                AttachmentName="7816-VPCP-TTĐT.pdf",
                ContentType="application/pdf",
                content=PDF,
            ),
        ),
    )


def test_reads_status_fields_put_directly_in_the_message_header() -> None:
    read = read_package(golden_path("messy_status_in_message_header.xml").read_bytes())

    assert read == StatusPackage(
        ResponseFor=DocumentReference(
            OrganId="000.00.00.G22",
            Code="7816/VPCP-TTĐT",
            PromulgationDate=date(2015, 9, 30),
            DocumentId="000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
        ),
        From=Organisation(OrganId="000.00.00.H56", OrganName="UBND tỉnh Thanh Hóa"),
        StaffInfo=Officer(Staff="Lê Văn Thành"),
        StatusCode=DocumentStatus.done,
        Description="Đã xử lý xong",
        Timestamp=datetime(2015, 10, 2, 16, 45, tzinfo=VIETNAM),
    )


def test_reads_a_package_in_the_default_namespace_without_prefixes() -> None:
    read = read_package(golden_path("messy_default_namespace.xml").read_bytes())

    assert read == Package(
        header=MessageHeader(
            From=Organisation(OrganId="000.00.00.H56", OrganName=THANH_HOA.OrganName),
            To=(Organisation(OrganId="000.00.00.G22", OrganName=GOVERNMENT_OFFICE.OrganName),),
            Code=DocumentCode(CodeNumber="125", CodeNotation="UBND-VP"),
            PromulgationInfo=Promulgation(Place="Thanh Hóa", PromulgationDate=date(2015, 10, 1)),
            DocumentType=DocumentKind(Type="1", TypeName="Báo cáo"),
            Subject="Báo cáo kết quả triển khai <liên thông> văn bản",
            Content="Nội dung có ký tự & và <thẻ>",
            ResponseFor=(
                DocumentReference(
                    OrganId="000.00.00.G22",
                    Code="7816/VPCP-TTĐT",
                    PromulgationDate=date(2015, 9, 30),
                    DocumentId="000.00.00.G22,2015/09/30,7816/VPCP-TTĐT",
                ),
            ),
            DocumentId="000.00.00.H56,2015/10/01,125/UBND-VP",
        ),
        business=Business(),
        attachments=(
            Attachment(
                ContentId="cid:bao-cao",
                AttachmentName="Phụ lục.docx",
                Description="Phụ lục kèm báo cáo",
                content=DOCX,
            ),
        ),
    )
