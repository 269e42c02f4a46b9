"""edXML's values one by one: DocumentId, dates and timestamps, codes, the models' rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from mappings.dossier import VIETNAM
from mappings.edxml import (
    EDXML_CODES,
    BusinessDocType,
    DocumentIdentifier,
    DocumentStatus,
    EdxmlError,
    MessageHeader,
    Organisation,
    Package,
    Signer,
    Trace,
    format_date,
    format_timestamp,
    parse_date,
    parse_timestamp,
)
from mappings.edxml.package import Attachment
from mappings.errors import MappingError


def test_document_id_is_taken_apart_and_put_back() -> None:
    identifier = DocumentIdentifier.parse("000.00.00.G22,2015/09/30,7816/VPCP-TTĐT")

    assert identifier == DocumentIdentifier("000.00.00.G22", date(2015, 9, 30), "7816", "VPCP-TTĐT")
    assert str(identifier) == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"


def test_document_id_notation_may_hold_a_slash_the_number_may_not() -> None:
    identifier = DocumentIdentifier.parse("000.00.00.G14,2016/06/10,10/2016/TT-BTTTT")

    assert (identifier.CodeNumber, identifier.CodeNotation) == ("10", "2016/TT-BTTTT")
    with pytest.raises(ValueError, match="is not a DocumentId"):
        DocumentIdentifier("000.00.00.G14", date(2016, 6, 10), "10/2016", "TT-BTTTT")


@pytest.mark.parametrize(
    "text",
    [
        "000.00.00.G22,30/09/2015,7816/VPCP-TTĐT",
        "000.00.00.G22,2015/09/30,7816",
        "000.00.00.G22,2015/09/30,/VPCP",
        "000.00.00.G22, 2015/09/30,7816/VPCP",
        "000.00.00.G22,2015/09/30,7816/VPCP,",
        "000.00.00.G22,2015/13/01,7816/VPCP",
        "000.00.00.G22,2015/02/29,7816/VPCP",
        "00.00.00.G22,2015/09/30,7816/VPCP",
        "000.00.00.G22,2015/09/30,7816/VPCP\n",
    ],
)
def test_document_ids_out_of_form_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="DocumentId"):
        DocumentIdentifier.parse(text)


def test_dates_are_written_year_first_and_read_either_way() -> None:
    assert format_date(date(2015, 9, 3)) == "2015/09/03"
    assert parse_date("2015/09/03", "PromulgationDate") == date(2015, 9, 3)
    assert parse_date(" 03/09/2015 ", "PromulgationDate") == date(2015, 9, 3)
    assert parse_date("3/9/2015", "PromulgationDate") == date(2015, 9, 3)


@pytest.mark.parametrize("text", ["2015-09-03", "09/2015", "2015/02/29", "", "2015/09/03 08:00"])
def test_dates_out_of_form_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(EdxmlError) as caught:
        parse_date(text, "/edXMLEnvelope/edXMLHeader/MessageHeader/DueDate")

    assert caught.value.field == "/edXMLEnvelope/edXMLHeader/MessageHeader/DueDate"


def test_timestamps_are_written_on_the_vietnamese_clock() -> None:
    assert format_timestamp(datetime(2015, 9, 30, 1, 30, 15, 999, tzinfo=UTC)) == (
        "2015/09/30 08:30:15"
    )
    with pytest.raises(ValueError, match="no time zone"):
        format_timestamp(datetime(2015, 9, 30, 8, 30))


def test_timestamps_are_read_in_either_form_as_vietnamese_time() -> None:
    expected = datetime(2015, 9, 30, 8, 30, 15, tzinfo=VIETNAM)

    assert parse_timestamp("2015/09/30 08:30:15", "Timestamp") == expected
    assert parse_timestamp("30/09/2015 08:30:15", "Timestamp") == expected
    assert parse_timestamp("2015/09/30T08:30:15", "Timestamp") == expected
    with pytest.raises(EdxmlError):
        parse_timestamp("2015/09/30 24:00:00", "Timestamp")


def test_every_status_and_business_type_has_a_code() -> None:
    assert {EDXML_CODES.status.code(status, "StatusCode") for status in DocumentStatus} == {
        "01", "02", "03", "04", "05", "06", "13", "15", "16"
    }  # fmt: skip
    assert EDXML_CODES.status.value("13", "StatusCode") is DocumentStatus.recall_requested
    assert EDXML_CODES.business_doc_type.value("3", "BussinessDocType") is (
        BusinessDocType.replacement
    )
    assert BusinessDocType("replace") is BusinessDocType.replacement


def test_models_refuse_bad_identifiers() -> None:
    with pytest.raises(ValidationError, match="is not an OrganId"):
        Organisation(OrganId="000.00.00.g22")
    with pytest.raises(ValidationError, match="is not a ContentId"):
        Attachment(ContentId="part 1", AttachmentName="a.pdf", content=b"")


def test_models_keep_text_in_nfc_and_blank_text_as_none() -> None:
    decomposed = "Thanh Ho\u0301a"

    organisation = Organisation(OrganId="000.00.00.H56", OrganName=decomposed, OrganAdd="  ")

    assert organisation.OrganName == "Thanh Hóa"
    assert organisation.OrganAdd is None


def test_empty_groups_are_absent_and_fractions_of_a_second_dropped() -> None:
    header = MessageHeader(From=Organisation(OrganId="000.00.00.H56"), SignerInfo=Signer())
    trace = Trace(OrganId="000.00.00.H56", Timestamp=datetime(2025, 3, 1, 8, 0, 0, 500, UTC))

    assert header.SignerInfo is None
    assert trace.Timestamp.microsecond == 0


def test_two_attachments_may_not_share_a_content_id() -> None:
    twice = Attachment(ContentId="cid:1", AttachmentName="a.pdf", content=b"a")

    with pytest.raises(ValidationError, match="two attachments have ContentId cid:1"):
        Package(
            header=MessageHeader(From=Organisation(OrganId="000.00.00.H56")),
            attachments=(twice, twice),
        )


def test_attachment_content_stays_out_of_its_repr() -> None:
    attachment = Attachment(ContentId="cid:1", AttachmentName="a.pdf", content=b"x" * 10_000)

    assert "xxxx" not in repr(attachment)


def test_edxml_errors_are_mapping_errors() -> None:
    assert issubclass(EdxmlError, MappingError)
