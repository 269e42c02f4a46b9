"""Where reading and writing refuse a package, and that the refusal names the element."""

from __future__ import annotations

import re

import pytest
from edxml_samples import golden_path

from mappings.edxml import (
    Business,
    BusinessDocType,
    EdxmlError,
    MessageHeader,
    Organisation,
    Package,
    read_package,
    write_package,
)
from mappings.errors import MappingError

HEADER = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader"
OLDER_FORM_HEADER = "/edXMLEnvelope/edXMLHeader/MessageHeader"
"""In the hand-written messy packages, of the older form (the envelope as document element)."""


def golden(name: str, old: str, new: str, count: int = 1) -> bytes:
    """The golden file ``name`` with the ``count``-th occurrence of ``old`` made ``new``."""
    text = golden_path(name).read_text(encoding="utf-8")
    starts = [match.start() for match in re.finditer(re.escape(old), text)]
    at = starts[count - 1]
    return (text[:at] + new + text[at + len(old) :]).encode()


def refusal(data: bytes) -> EdxmlError:
    with pytest.raises(EdxmlError) as caught:
        read_package(data)
    return caught.value


# Reading.


def test_bad_organ_id_of_the_second_receiver_is_refused_naming_it() -> None:
    error = refusal(golden("full_package.xml", "000.00.00.H40", "00.00.00.H40"))

    assert error.field == f"{HEADER}/To[2]/OrganId"
    assert "'00.00.00.H40' is not an OrganId" in error.rule


def test_organ_id_with_non_ascii_digits_is_refused() -> None:
    error = refusal(golden("full_package.xml", "000.00.00.G22", "٠٠٠.00.00.G22"))

    assert error.field == f"{HEADER}/From/OrganId"


def test_missing_organ_id_is_refused() -> None:
    error = refusal(golden("full_package.xml", "<edXML:OrganId>000.00.00.G22</edXML:OrganId>", ""))

    assert error.field == f"{HEADER}/From/OrganId"
    assert "missing" in error.rule


def test_bad_organ_id_in_a_replacement_list_is_refused() -> None:
    error = refusal(golden("full_package.xml", "000.00.00.H40", "000.00.00.h40", count=4))

    assert error.field == (
        "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/ReplacementInfoList"
        "/ReplacementInfo/OrganIdList/OrganId[2]"
    )


def test_unknown_status_code_is_refused_naming_it() -> None:
    error = refusal(golden("status_package.xml", ">03<", ">07<"))

    assert error.field == "/edXML/edXMLEnvelope/edXMLHeader/Status/StatusCode"
    assert "'07' is not a StatusCode code" in error.rule
    assert "06 = done" in error.rule


def test_status_code_without_its_leading_zero_is_refused() -> None:
    error = refusal(golden("status_package.xml", ">03<", ">3<"))

    assert error.field == "/edXML/edXMLEnvelope/edXMLHeader/Status/StatusCode"


def test_unknown_status_code_in_the_message_header_is_refused() -> None:
    error = refusal(golden("messy_status_in_message_header.xml", " 06 ", "14"))

    assert error.field == f"{OLDER_FORM_HEADER}/StatusCode"


def test_unknown_business_doc_type_is_refused() -> None:
    error = refusal(golden("full_package.xml", "DocType>2<", "DocType>4<"))

    assert (
        error.field == "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/BussinessDocType"
    )


def test_document_id_with_a_day_first_date_is_refused_naming_it() -> None:
    error = refusal(
        golden("full_package.xml", "000.00.00.G22,2015/09/30,", "000.00.00.G22,30/09/2015,")
    )

    assert error.field == f"{HEADER}/DocumentId"
    assert "{OrganId},{yyyy/MM/dd},{number}/{notation}" in error.rule


def test_document_id_of_a_day_that_does_not_exist_is_refused() -> None:
    error = refusal(golden("full_package.xml", "H56,2015/09/01,", "H56,2015/02/30,"))

    assert error.field == f"{HEADER}/ResponseFor[1]/DocumentId"
    assert "not on the calendar" in error.rule


def test_document_id_without_a_notation_is_refused() -> None:
    error = refusal(
        golden(
            "status_package.xml",
            "7816/VPCP-TTĐT</edXML:DocumentId>",
            "7816</edXML:DocumentId>",
        )
    )

    assert error.field == "/edXML/edXMLEnvelope/edXMLHeader/Status/ResponseFor/DocumentId"


def test_timestamp_that_is_not_one_is_refused() -> None:
    error = refusal(golden("full_package.xml", "2015/09/30 08:30:15", "2015/09/30 8h30"))

    assert error.field == "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/TraceHeader/Timestamp"


def test_date_that_is_not_on_the_calendar_is_refused() -> None:
    error = refusal(golden("full_package.xml", "2015/10/15", "2015/02/29"))

    assert error.field == f"{HEADER}/DueDate"


def test_package_without_a_sender_is_refused() -> None:
    text = golden_path("messy_default_namespace.xml").read_text(encoding="utf-8")
    start, end = text.index("<From>"), text.index("</From>") + len("</From>")

    error = refusal((text[:start] + text[end:]).encode())

    assert error.field == f"{OLDER_FORM_HEADER}/From"


def test_status_package_without_the_document_it_answers_is_refused() -> None:
    text = golden_path("status_package.xml").read_text(encoding="utf-8")
    start = text.index("<edXML:ResponseFor>")
    end = text.index("</edXML:ResponseFor>") + len("</edXML:ResponseFor>")

    error = refusal((text[:start] + text[end:]).encode())

    assert error.field == "/edXML/edXMLEnvelope/edXMLHeader/Status/ResponseFor"


def test_manifest_reference_without_its_attachment_is_refused() -> None:
    error = refusal(golden("full_package.xml", "<ContentId>cid:7816-2<", "<ContentId>cid:other<"))

    assert error.field == "/edXML/edXMLEnvelope/edXMLBody/edXMLManifest/Reference[2]/ContentId"
    assert "cid:7816-2 has no Attachment" in error.rule


def test_attachment_that_is_not_base64_is_refused_naming_it() -> None:
    error = refusal(golden("full_package.xml", "JVBERi0x", "JVBE*i0x"))

    assert error.field == "/edXML/AttachmentEncoded/Attachment[1]/ContentTransferEncoded"
    assert "not base64" in error.rule


def test_attachment_with_an_element_inside_its_base64_is_refused() -> None:
    error = refusal(golden("full_package.xml", "JVBERi0x", "JVBE<edXML:x/>Ri0x"))

    assert error.field == "/edXML/AttachmentEncoded/Attachment[1]/ContentTransferEncoded"


def test_base64_without_its_padding_is_read() -> None:
    read = read_package(golden("full_package.xml", "RU9GCg==<", "RU9GCg<"))

    assert isinstance(read, Package)
    assert read.attachments[0].content.endswith(b"%%EOF\n")


def test_document_element_in_another_namespace_is_refused() -> None:
    error = refusal(
        golden(
            "full_package.xml",
            "http://www.mic.gov.vn/TBT/QCVN_102_2016",
            "http://example.test/edxml",
        )
    )

    assert error.field == "/edXML"
    assert "namespace http://www.mic.gov.vn/TBT/QCVN_102_2016" in error.rule


def test_reading_errors_are_permanent_mapping_errors() -> None:
    error = refusal(golden("status_package.xml", ">03<", ">07<"))

    assert isinstance(error, MappingError)
    assert str(error).startswith("/edXML/edXMLEnvelope/edXMLHeader/Status/StatusCode: ")


# Writing.


def test_writer_refuses_a_package_without_receivers_naming_where_one_was_due(
    full_package: Package,
) -> None:
    lonely = full_package.model_copy(
        update={"header": full_package.header.model_copy(update={"To": ()})}
    )

    with pytest.raises(EdxmlError) as caught:
        write_package(lonely)

    assert caught.value.field == f"{HEADER}/Code"
    assert caught.value.rule.startswith("This element is not expected. Expected is ( edXML:To )")
    assert "edxml.xsd" in caught.value.rule


def test_writer_refuses_a_receiver_without_a_name_naming_it(full_package: Package) -> None:
    unnamed = Organisation(OrganId="000.00.00.H40")
    header = full_package.header.model_copy(update={"To": (full_package.header.To[0], unnamed)})

    with pytest.raises(EdxmlError) as caught:
        write_package(full_package.model_copy(update={"header": header}))

    assert caught.value.field == f"{HEADER}/To[2]"
    assert "edXML:OrganName" in caught.value.rule


def test_writer_checks_the_schema_even_for_a_model_built_without_validation(
    full_package: Package,
) -> None:
    forged = Organisation.model_construct(OrganId="H56", OrganName="UBND tỉnh Thanh Hóa")
    header = full_package.header.model_copy(update={"From": forged})

    with pytest.raises(EdxmlError) as caught:
        write_package(full_package.model_copy(update={"header": header}))

    assert caught.value.field == f"{HEADER}/From/OrganId"
    assert "pattern" in caught.value.rule


def test_writer_refuses_a_recall_that_does_not_name_the_recalled_document() -> None:
    package = Package(
        header=MessageHeader(From=Organisation(OrganId="000.00.00.H56", OrganName="UBND")),
        business=Business(BussinessDocType=BusinessDocType.recall),
    )

    with pytest.raises(EdxmlError) as caught:
        write_package(package)

    assert (
        caught.value.field
        == "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/DocumentId"
    )
    assert "recall" in caught.value.rule


def test_writer_refuses_text_xml_cannot_carry_naming_the_element(full_package: Package) -> None:
    header = full_package.header.model_copy(update={"Subject": "Báo cáo\x01"})

    with pytest.raises(EdxmlError) as caught:
        write_package(full_package.model_copy(update={"header": header}))

    assert caught.value.field == f"{HEADER}/Subject"
