"""Sending, listing, fetching and confirming documents between organisations."""

from __future__ import annotations

import httpx
import pytest

from tests.mocks.document_axis.samples import (
    FINANCE,
    NGHE_AN,
    THANH_HOA,
    THANH_HOA_JUSTICE,
    Caller,
    document,
    envelope,
    fault,
)


async def test_a_document_travels_from_one_province_to_another(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    package = document(THANH_HOA, [NGHE_AN])

    document_id, receivers = await thanh_hoa.send(package)

    assert document_id == "000.00.00.H56,2025/03/01,125/UBND-VX"
    assert receivers == [NGHE_AN]
    assert await nghe_an.pending() == [document_id]
    assert await thanh_hoa.pending() == []
    assert await nghe_an.fetch(document_id) == (package, "document")


async def test_a_package_comes_back_byte_for_byte(thanh_hoa: Caller, nghe_an: Caller) -> None:
    package = document(signature=True).replace(b"<edXML:Subject>", b"\n\t <edXML:Subject>")

    document_id, _ = await thanh_hoa.send(package)

    fetched, _ = await nghe_an.fetch(document_id)
    assert fetched == package


async def test_a_document_stays_pending_until_its_receiver_confirms(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document())
    await nghe_an.fetch(document_id)
    assert await nghe_an.pending() == [document_id]

    assert await nghe_an.confirm(document_id) == "true"

    assert await nghe_an.pending() == []
    assert await nghe_an.confirm(document_id) == "true"
    assert await nghe_an.fetch(document_id) == (document(), "document")


async def test_each_receiver_confirms_for_itself(
    thanh_hoa: Caller, nghe_an: Caller, http: httpx.AsyncClient
) -> None:
    finance = Caller(http, FINANCE)
    document_id, receivers = await thanh_hoa.send(document(receivers=[NGHE_AN, FINANCE, NGHE_AN]))

    await nghe_an.confirm(document_id)

    assert receivers == [NGHE_AN, FINANCE]
    assert await nghe_an.pending() == []
    assert await finance.pending() == [document_id]


async def test_pending_lists_are_oldest_first_and_honour_the_limit(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    ids = [
        (await thanh_hoa.send(document(document_id=f"000.00.00.H56,2025/03/01,{n}/UBND")))[0]
        for n in (3, 1, 2)
    ]

    assert await nghe_an.pending() == ids
    assert await nghe_an.pending(limit=2) == ids[:2]
    refused = await nghe_an.refused("GetPendingDocumentIds", ("limit", "0"))
    assert refused.reason == "malformed-request"


async def test_a_department_receives_under_its_own_identifier(
    nghe_an: Caller, justice: Caller
) -> None:
    document_id, _ = await nghe_an.send(
        document(NGHE_AN, [THANH_HOA_JUSTICE], document_id="000.00.00.H41,2025/03/01,9/UBND")
    )

    assert await justice.pending() == [document_id]


async def test_the_axis_assigns_an_id_when_the_package_has_none_or_a_taken_one(
    thanh_hoa: Caller,
) -> None:
    first, _ = await thanh_hoa.send(document(document_id=None))
    taken, _ = await thanh_hoa.send(document())
    again, _ = await thanh_hoa.send(document())

    assert first == "000.00.00.H56,2025/03/01,1/TRUC"
    assert taken == "000.00.00.H56,2025/03/01,125/UBND-VX"
    assert again not in {first, taken}
    assert again.startswith("000.00.00.H56,2025/03/01,")


async def test_an_organisation_sends_only_its_own_documents(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    refused = await nghe_an.refused("SendDocument", ("package", document(THANH_HOA, [NGHE_AN])))

    assert refused.code == "{http://schemas.xmlsoap.org/soap/envelope/}Client"
    assert refused.reason == "not-sender"
    assert "From/OrganId 000.00.00.H56" in refused.string
    assert await nghe_an.pending() == []


async def test_an_unknown_receiver_is_refused_by_name(thanh_hoa: Caller) -> None:
    package = document(receivers=[NGHE_AN, "000.00.99.H41"])

    refused = await thanh_hoa.refused("SendDocument", ("package", package))

    assert refused.reason == "unknown-receiver"
    assert "000.00.99.H41" in refused.string
    assert NGHE_AN not in refused.string


async def test_a_package_that_breaks_the_schema_is_refused_naming_element_and_line(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    package = document(extra_header="<edXML:Bogus>?</edXML:Bogus>")

    refused = await thanh_hoa.refused("SendDocument", ("package", package))

    assert refused.code == "{http://schemas.xmlsoap.org/soap/envelope/}Client"
    assert refused.reason == "invalid-package"
    assert "Bogus" in refused.string
    assert "not expected" in refused.string
    assert refused.element is not None
    assert "MessageHeader" in refused.element
    assert refused.line == "5"
    assert await nghe_an.pending() == []


async def test_a_package_and_its_attachment_travel_in_the_edxml_form(
    thanh_hoa: Caller, nghe_an: Caller
) -> None:
    package = document(attachment=b"%PDF-1.7 c\xc3\xb4ng v\xc4\x83n")
    assert package.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns=')

    document_id, _ = await thanh_hoa.send(package)

    assert await nghe_an.fetch(document_id) == (package, "document")


@pytest.mark.parametrize("attachment", [None, b"%PDF-1.4"], ids=["bare", "with-attachment"])
async def test_a_package_of_the_older_form_is_still_accepted_as_a_tolerant_hub_does(
    thanh_hoa: Caller, nghe_an: Caller, attachment: bytes | None
) -> None:
    package = document(attachment=attachment, older_form=True)
    assert b"\n<edXML:edXMLEnvelope " in package

    document_id, receivers = await thanh_hoa.send(package)

    assert receivers == [NGHE_AN]
    assert await nghe_an.fetch(document_id) == (package, "document")


async def test_attachments_inside_the_envelope_of_an_edxml_package_are_refused(
    thanh_hoa: Caller,
) -> None:
    """Once the document element is edXML, AttachmentEncoded goes beside the envelope."""
    package = document(attachment=b"%PDF-1.4")
    start, end = package.index(b"  <AttachmentEncoded>"), package.index(b"</edXML>")
    attachments = package[start:end]
    misplaced = (package[:start] + package[end:]).replace(
        b"</edXML:edXMLEnvelope>", attachments + b"</edXML:edXMLEnvelope>"
    )

    refused = await thanh_hoa.refused("SendDocument", ("package", misplaced))

    assert refused.reason == "invalid-package"
    assert "AttachmentEncoded" in refused.string


@pytest.mark.parametrize(
    ("package", "words"),
    [
        (b"<edXML:edXMLEnvelope", "not well-formed"),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DOCTYPE"),
    ],
)
async def test_a_package_that_is_not_plain_xml_is_refused(
    thanh_hoa: Caller, package: bytes, words: str
) -> None:
    refused = await thanh_hoa.refused("SendDocument", ("package", package))

    assert refused.reason == "invalid-package"
    assert words in refused.string


async def test_a_package_that_is_not_base64_is_refused(thanh_hoa: Caller) -> None:
    refused = await thanh_hoa.refused("SendDocument", ("package", "not base64!"))

    assert refused.reason == "malformed-request"
    assert "base64" in refused.string


async def test_only_the_parties_see_a_document(
    thanh_hoa: Caller, justice: Caller, nghe_an: Caller
) -> None:
    document_id, _ = await thanh_hoa.send(document())

    for operation in ("GetDocument", "ConfirmReceived", "GetTraces"):
        refused = await justice.refused(operation, ("documentId", document_id))
        assert refused.reason == "unknown-document", operation
    sender_confirms = await thanh_hoa.refused("ConfirmReceived", ("documentId", document_id))
    assert sender_confirms.reason == "unknown-document"
    assert await nghe_an.pending() == [document_id]


async def test_an_envelope_that_is_not_soap_is_a_client_fault(http: httpx.AsyncClient) -> None:
    for body in (b"<nonsense/>", b"{}", envelope("Launch", [])):
        refused = fault(await http.post("/", content=body))
        assert refused.code == "{http://schemas.xmlsoap.org/soap/envelope/}Client"
        assert refused.reason == "malformed-request"
