"""The form of a package: what lienthong writes is what real receivers parse, and what real
senders (and lienthong before) wrote still reads."""

from __future__ import annotations

import base64
from datetime import date, datetime

import pytest
from edxml_samples import PDF, golden_path
from lxml import etree

from mappings.dossier import VIETNAM
from mappings.edxml import (
    Attachment,
    Business,
    BusinessDocType,
    DocumentCode,
    DocumentKind,
    EdxmlError,
    MessageHeader,
    Organisation,
    Package,
    Promulgation,
    ReadWarning,
    Trace,
    read_package,
    read_package_with_warnings,
    write_package,
)

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


def test_a_receiver_knowing_only_the_standard_finds_everything_with_plain_lxml(
    full_package: Package,
) -> None:
    """Read as a receiver that knows NATIONAL-SYSTEMS.md section 2 and nothing of lienthong
    would: root edXML, its child edXMLEnvelope with the header and the manifest, and beside it
    AttachmentEncoded/Attachment, whose base64 decodes to the file, joined by ContentId."""
    root = etree.fromstring(write_package(full_package))
    ns = {"e": NS}

    assert root.tag == f"{{{NS}}}edXML"
    (envelope,) = root.xpath("e:edXMLEnvelope", namespaces=ns)
    assert envelope.xpath("string(e:edXMLHeader/e:MessageHeader/e:From/e:OrganId)", namespaces=ns)
    assert envelope.xpath("string(e:edXMLHeader/e:MessageHeader/e:DocumentId)", namespaces=ns) == (
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
    )
    manifest = {
        reference.xpath("string(e:ContentId)", namespaces=ns): reference.xpath(
            "string(e:AttachmentName)", namespaces=ns
        )
        for reference in envelope.xpath("e:edXMLBody/e:edXMLManifest/e:Reference", namespaces=ns)
    }
    files = {
        attachment.xpath("string(e:ContentId)", namespaces=ns): base64.b64decode(
            attachment.xpath("string(e:ContentTransferEncoded)", namespaces=ns)
        )
        for attachment in root.xpath("e:AttachmentEncoded/e:Attachment", namespaces=ns)
    }
    assert [etree.QName(child).localname for child in root] == [
        "edXMLEnvelope",
        "AttachmentEncoded",
    ]
    assert manifest == {a.ContentId: a.AttachmentName for a in full_package.attachments}
    assert files == {a.ContentId: a.content for a in full_package.attachments}


def test_a_receiver_matching_prefixes_finds_the_envelope_prefixed() -> None:
    """Receivers known to refuse un-prefixed children look for ``edXML:`` by name."""
    text = golden_path("full_package.xml").read_text(encoding="utf-8")

    assert '<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">' in text
    assert "<edXML:edXMLEnvelope " in text
    assert "<edXML:MessageHeader>" in text
    assert "\n  <AttachmentEncoded>\n    <Attachment>\n      <ContentId>cid:7816-1</ContentId>" in (
        text
    )
    assert "<edXML:ContentTransferEncoded " in text


def test_a_package_of_the_older_form_still_reads_as_the_same_model(
    full_package: Package,
) -> None:
    """What lienthong wrote before: the envelope as the document element, the attachments in
    it with an attribute ContentId."""
    older = golden_path("older_form_package.xml").read_bytes()
    assert etree.fromstring(older).tag == f"{{{NS}}}edXMLEnvelope"

    assert read_package(older) == full_package


def test_a_real_hub_package_reads_with_a_warning_for_the_impossible_date() -> None:
    reading = read_package_with_warnings(golden_path("messy_real_hub_package.xml").read_bytes())

    assert reading.package == Package(
        header=MessageHeader(
            From=Organisation(OrganId="000.00.00.G22", OrganName="Văn phòng Chính phủ"),
            To=(Organisation(OrganId="000.00.00.H56", OrganName="UBND tỉnh Thanh Hóa"),),
            Code=DocumentCode(CodeNumber="12", CodeNotation="VPCP-TTĐT"),
            PromulgationInfo=Promulgation(Place="Hà Nội", PromulgationDate=date(2014, 3, 3)),
            DocumentType=DocumentKind(Type="1", TypeName="Công văn"),
            Subject="V/v đính chính văn bản số 12/VPCP-TTĐT",
            DocumentId="000.00.00.G22,2014/03/03,12/VPCP-TTĐT",
        ),
        traces=(
            Trace(
                OrganId="000.00.00.G22",
                Timestamp=datetime(2014, 3, 3, 16, 20, 5, tzinfo=VIETNAM),
            ),
        ),
        business=Business(
            BussinessDocType=BusinessDocType.new,
            DocumentId="000.00.00.G22,2014/02/30,12/VPCP-TTĐT",
        ),
        attachments=(
            Attachment(
                ContentId="cid:12-1",
                AttachmentName="12-VPCP-TTĐT.pdf",
                ContentType="application/pdf",
                Description="Công văn số 12/VPCP-TTĐT",
                content=PDF,
            ),
            Attachment(
                ContentId="cid:12-2",
                AttachmentName="don-vi-nhan.txt",
                ContentType="text/plain",
                content="Danh sách đơn vị nhận".encode(),
            ),
        ),
    )
    assert reading.warnings == (
        ReadWarning(
            "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/DocumentId",
            "'000.00.00.G22,2014/02/30,12/VPCP-TTĐT' names a date that is not on the calendar; "
            "kept as text, as it was sent",
        ),
    )


def test_a_clean_package_reads_without_warnings(full_package: Package) -> None:
    reading = read_package_with_warnings(write_package(full_package))

    assert reading.package == full_package
    assert reading.warnings == ()


def messy(old: str, new: str) -> bytes:
    text = golden_path("messy_real_hub_package.xml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    return text.replace(old, new).encode()


def test_an_impossible_date_in_the_package_s_own_document_id_is_still_refused() -> None:
    data = messy(
        "<edXML:DocumentId>000.00.00.G22,2014/03/03,",
        "<edXML:DocumentId>000.00.00.G22,2014/02/30,",
    )

    with pytest.raises(EdxmlError) as caught:
        read_package(data)

    assert caught.value.field == "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/DocumentId"
    assert "not on the calendar" in caught.value.rule


def test_a_business_document_id_that_is_not_one_is_still_refused() -> None:
    data = messy("G22,2014/02/30,12/VPCP-TTĐT", "G22,30/02/2014,12/VPCP-TTĐT")

    with pytest.raises(EdxmlError) as caught:
        read_package(data)

    assert caught.value.field == (
        "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/DocumentId"
    )
    assert "is not a DocumentId" in caught.value.rule


def test_the_writer_refuses_a_document_id_off_the_calendar_it_was_given(
    full_package: Package,
) -> None:
    """A model may hold such a Bussiness/DocumentId, read from a real package; it is never
    written."""
    business = full_package.business.model_copy(
        update={"DocumentId": "000.00.00.G22,2014/02/30,12/VPCP-TTĐT"}
    )

    with pytest.raises(EdxmlError) as caught:
        write_package(full_package.model_copy(update={"business": business}))

    assert caught.value.field == (
        "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/DocumentId"
    )
    assert "not on the calendar" in caught.value.rule


def test_attachments_in_no_namespace_at_all_are_read() -> None:
    """Un-prefixed without a default namespace: the document element prefixed, the
    attachments in no namespace."""
    data = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<edXML:edXML xmlns:edXML="{NS}"><edXML:edXMLEnvelope><edXML:edXMLHeader>'
        "<edXML:MessageHeader><edXML:From><edXML:OrganId>000.00.00.G22</edXML:OrganId>"
        "</edXML:From></edXML:MessageHeader></edXML:edXMLHeader><edXML:edXMLBody>"
        "<edXML:edXMLManifest><edXML:Reference><edXML:ContentId>cid:1</edXML:ContentId>"
        "<edXML:AttachmentName>a.pdf</edXML:AttachmentName></edXML:Reference>"
        "</edXML:edXMLManifest></edXML:edXMLBody></edXML:edXMLEnvelope>"
        "<AttachmentEncoded><Attachment><ContentId>cid:1</ContentId>"
        f"<ContentTransferEncoded>{base64.b64encode(PDF).decode()}</ContentTransferEncoded>"
        "</Attachment></AttachmentEncoded></edXML:edXML>"
    ).encode()

    package = read_package(data)

    assert isinstance(package, Package)
    assert package.attachments == (
        Attachment(ContentId="cid:1", AttachmentName="a.pdf", content=PDF),
    )


def test_a_document_element_edxml_without_an_envelope_is_refused() -> None:
    with pytest.raises(EdxmlError) as caught:
        read_package(f'<edXML xmlns="{NS}"><AttachmentEncoded/></edXML>'.encode())

    assert caught.value.field == "/edXML/edXMLEnvelope"
    assert "is missing" in caught.value.rule
