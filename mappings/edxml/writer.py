"""Writing packages: strict, so that the strictest receiver on the axis accepts what is written.

What a caller may rely on, for ``write_package`` and ``write_status``:

- The result is UTF-8 with an XML declaration, in the form QCVN 102:2016 and every public
  implementation use: the document element ``edXML`` (in the edXML namespace, as the default
  namespace, without a prefix) holds ``edXML:edXMLEnvelope`` and, beside it, ``AttachmentEncoded``.
  Every element of the envelope carries the ``edXML:`` prefix (receivers are known to refuse
  un-prefixed children), declared on the envelope; ``AttachmentEncoded``, each ``Attachment`` and
  its ``ContentId``, ``AttachmentName``, ``Description`` and ``ContentType`` are un-prefixed, in
  the default namespace, as in real packages, and each ``edXML:ContentTransferEncoded`` is
  prefixed, declaring the prefix itself (it is outside the envelope).
- Dates are ``yyyy/MM/dd`` and timestamps ``yyyy/MM/dd HH:mm:ss`` on the Asia/Ho_Chi_Minh clock.
- Every package has been checked against ``edxml.xsd`` before it is returned; one that fails
  raises ``EdxmlError`` naming the element and what the schema expected there, and nothing is
  returned. A recall, update or replacement must also name the document it acts on
  (``Bussiness/DocumentId``), and every ``DocumentId`` written must have a date on the calendar,
  which the schema cannot say.
- A status package is the same ``edXML`` root holding an envelope whose header has only a
  ``Status`` (its fields are never put in ``MessageHeader``), and no body and no attachments.
- No ``Signature`` is written: signing takes the written bytes and adds it as the last child of
  ``edXMLHeader``. The same package always writes the same bytes.
- Attachments: the manifest lists each file by ``ContentId`` (``cid:...``) and
  ``AttachmentEncoded`` carries it as base64 under the same ``ContentId`` (a child element), in
  the same order.

Memory: the attachments are not put into the XML tree. The tree is built and checked with each
``ContentTransferEncoded`` empty (the schema's base64 type admits an empty value, and base64
written by ``mappings.edxml.transfer`` is valid by construction), serialised, and the base64 is
then encoded straight into the output beside it. Writing costs the output and a small buffer.
"""

from __future__ import annotations

import io
from datetime import date

from lxml import etree

from mappings.edxml.codes import EDXML_CODES, BusinessDocType
from mappings.edxml.dates import format_date, format_timestamp
from mappings.edxml.errors import EdxmlError
from mappings.edxml.identifiers import check_document_id
from mappings.edxml.locations import location, within
from mappings.edxml.package import (
    Attachment,
    Business,
    DocumentReference,
    MessageHeader,
    Officer,
    Organisation,
    Package,
    StatusPackage,
)
from mappings.edxml.schema import EDXML_NAMESPACE, EDXML_PREFIX, check_against_schema, qualified
from mappings.edxml.transfer import encode_into, encoded_size

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_ENCODED = "ContentTransferEncoded"
_PREFIX_DECLARATION = f'xmlns:{EDXML_PREFIX}="{EDXML_NAMESPACE}"'
_EMPTY_ENCODED = f"<{EDXML_PREFIX}:{_ENCODED} {_PREFIX_DECLARATION}/>".encode()
_OPEN_ENCODED = f"<{EDXML_PREFIX}:{_ENCODED} {_PREFIX_DECLARATION}>".encode()
_CLOSE_ENCODED = f"</{EDXML_PREFIX}:{_ENCODED}>".encode()


def write_package(package: Package) -> bytes:
    """``package`` as an edXML document package; ``EdxmlError`` if it is not a valid one."""
    root, envelope = _package()
    header = _element(envelope, "edXMLHeader")
    _message_header(header, package.header)
    traces = _element(header, "TraceHeaderList")
    for trace in package.traces:
        element = _element(traces, "TraceHeader")
        _text(element, "OrganId", trace.OrganId)
        _text(element, "Timestamp", format_timestamp(trace.Timestamp))
    _business(traces, package.business)
    manifest = _element(_element(envelope, "edXMLBody"), "edXMLManifest")
    for attachment in package.attachments:
        _reference(manifest, attachment)
    if package.attachments:
        encoded = _element(root, "AttachmentEncoded")
        for attachment in package.attachments:
            element = _element(encoded, "Attachment")
            _text(element, "ContentId", attachment.ContentId)
            _text(element, "AttachmentName", attachment.AttachmentName)
            _text(element, "Description", attachment.Description)
            _text(element, "ContentType", attachment.ContentType)
            etree.SubElement(element, qualified(_ENCODED), nsmap=_PREFIXED)
    check_against_schema(root)
    return _with_attachments(_serialise(root), package.attachments)


def write_status(status: StatusPackage) -> bytes:
    """``status`` as an edXML status package; ``EdxmlError`` if it is not a valid one."""
    root, envelope = _package()
    element = _element(_element(envelope, "edXMLHeader"), "Status")
    _document_reference(element, "ResponseFor", status.ResponseFor)
    _organisation(element, "From", status.From)
    _officer(element, status.StaffInfo)
    _text(element, "StatusCode", EDXML_CODES.status.code(status.StatusCode, "StatusCode"))
    _text(element, "Description", status.Description)
    _text(element, "Timestamp", format_timestamp(status.Timestamp))
    check_against_schema(root)
    return DECLARATION + _serialise(root)


_PREFIXED = {EDXML_PREFIX: EDXML_NAMESPACE}


def _package() -> tuple[etree._Element, etree._Element]:
    """The document element ``edXML`` and its ``edXML:edXMLEnvelope``.

    lxml gives a new element the innermost prefix in scope for its namespace: inside the
    envelope, which declares ``edXML:``, that is ``edXML:``; beside it, where only the document
    element's default namespace is in scope, none.
    """
    root = etree.Element(qualified("edXML"), nsmap={None: EDXML_NAMESPACE})
    return root, etree.SubElement(root, qualified("edXMLEnvelope"), nsmap=_PREFIXED)


def _element(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, qualified(name))


def _text(parent: etree._Element, name: str, value: str | None) -> None:
    if value is None:
        return
    element = _element(parent, name)
    try:
        element.text = value
    except ValueError:
        raise EdxmlError(
            location(element),
            "holds a character XML 1.0 cannot carry (a control character or a lone surrogate)",
        ) from None


def _document_id(parent: etree._Element, value: str | None) -> None:
    """``DocumentId``, checked in full: a model read from a real package may hold one whose
    date is not on the calendar (kept as it was sent), which is never written."""
    if value is None:
        return
    try:
        check_document_id(value)
    except ValueError as error:
        raise EdxmlError(within(parent, "DocumentId"), str(error)) from None
    _text(parent, "DocumentId", value)


def _date(value: date | None) -> str | None:
    return None if value is None else format_date(value)


def _flag(value: bool | None) -> str | None:
    return None if value is None else str(int(value))


def _number(value: int | None) -> str | None:
    return None if value is None else str(value)


def _list(parent: etree._Element, name: str, item: str, values: tuple[str, ...]) -> None:
    if values:
        element = _element(parent, name)
        for value in values:
            _text(element, item, value)


def _organisation(parent: etree._Element, name: str, organisation: Organisation) -> None:
    element = _element(parent, name)
    _text(element, "OrganId", organisation.OrganId)
    _text(element, "OrganizationInCharge", organisation.OrganizationInCharge)
    _text(element, "OrganName", organisation.OrganName)
    _text(element, "OrganAdd", organisation.OrganAdd)
    _text(element, "Email", organisation.Email)
    _text(element, "Telephone", organisation.Telephone)
    _text(element, "Fax", organisation.Fax)
    _text(element, "Website", organisation.Website)


def _document_reference(parent: etree._Element, name: str, reference: DocumentReference) -> None:
    element = _element(parent, name)
    _text(element, "OrganId", reference.OrganId)
    _text(element, "Code", reference.Code)
    _text(element, "PromulgationDate", _date(reference.PromulgationDate))
    _document_id(element, reference.DocumentId)


def _officer(parent: etree._Element, officer: Officer | None) -> None:
    if officer is None:
        return
    element = _element(parent, "StaffInfo")
    _text(element, "Department", officer.Department)
    _text(element, "Staff", officer.Staff)
    _text(element, "Mobile", officer.Mobile)
    _text(element, "Email", officer.Email)


def _message_header(parent: etree._Element, header: MessageHeader) -> None:
    element = _element(parent, "MessageHeader")
    _organisation(element, "From", header.From)
    for receiver in header.To:
        _organisation(element, "To", receiver)
    if header.Code is not None:
        code = _element(element, "Code")
        _text(code, "CodeNumber", header.Code.CodeNumber)
        _text(code, "CodeNotation", header.Code.CodeNotation)
    if header.PromulgationInfo is not None:
        promulgation = _element(element, "PromulgationInfo")
        _text(promulgation, "Place", header.PromulgationInfo.Place)
        _text(promulgation, "PromulgationDate", _date(header.PromulgationInfo.PromulgationDate))
    if header.DocumentType is not None:
        kind = _element(element, "DocumentType")
        _text(kind, "Type", header.DocumentType.Type)
        _text(kind, "TypeDetail", header.DocumentType.TypeDetail)
        _text(kind, "TypeName", header.DocumentType.TypeName)
    _text(element, "Subject", header.Subject)
    _text(element, "Content", header.Content)
    if header.SignerInfo is not None:
        signer = _element(element, "SignerInfo")
        _text(signer, "Competence", header.SignerInfo.Competence)
        _text(signer, "Position", header.SignerInfo.Position)
        _text(signer, "FullName", header.SignerInfo.FullName)
    _text(element, "DueDate", _date(header.DueDate))
    _list(element, "ToPlaces", "Place", header.ToPlaces)
    if header.OtherInfo is not None:
        other = _element(element, "OtherInfo")
        _text(other, "Priority", _number(header.OtherInfo.Priority))
        _text(other, "SphereOfPromulgation", header.OtherInfo.SphereOfPromulgation)
        _text(other, "TyperNotation", header.OtherInfo.TyperNotation)
        _text(other, "PromulgationAmount", _number(header.OtherInfo.PromulgationAmount))
        _text(other, "PageAmount", _number(header.OtherInfo.PageAmount))
        _list(other, "Appendixes", "Appendix", header.OtherInfo.Appendixes)
    for reference in header.ResponseFor:
        _document_reference(element, "ResponseFor", reference)
    _text(element, "SteeringType", header.SteeringType)
    _document_id(element, header.DocumentId)


def _business(parent: etree._Element, business: Business) -> None:
    element = _element(parent, "Bussiness")
    doc_type = business.BussinessDocType
    _text(element, "BussinessDocType", EDXML_CODES.business_doc_type.code(doc_type, "Bussiness"))
    if doc_type is not BusinessDocType.new and business.DocumentId is None:
        raise EdxmlError(
            within(element, "DocumentId"),
            f"a {doc_type} package (BussinessDocType "
            f"{EDXML_CODES.business_doc_type.code(doc_type, 'Bussiness')}) must name the "
            "document it acts on",
        )
    _text(element, "BussinessDocReason", business.BussinessDocReason)
    update = business.BussinessDocumentInfo
    if update is not None:
        info = _element(element, "BussinessDocumentInfo")
        _text(info, "DocumentInfo", _flag(update.DocumentInfo))
        _text(info, "DocumentReceiver", _flag(update.DocumentReceiver))
        if update.ReceiverList:
            receivers = _element(info, "ReceiverList")
            for receiver in update.ReceiverList:
                item = _element(receivers, "Receiver")
                _text(item, "OrganId", receiver.OrganId)
                _text(item, "ReceiverType", receiver.ReceiverType)
    _document_id(element, business.DocumentId)
    _text(element, "Paper", _flag(business.Paper))
    _officer(element, business.StaffInfo)
    if business.ReplacementInfoList:
        replacements = _element(element, "ReplacementInfoList")
        for replacement in business.ReplacementInfoList:
            item = _element(replacements, "ReplacementInfo")
            _document_id(item, replacement.DocumentId)
            _list(item, "OrganIdList", "OrganId", replacement.OrganIdList)


def _reference(manifest: etree._Element, attachment: Attachment) -> None:
    element = _element(manifest, "Reference")
    _text(element, "ContentId", attachment.ContentId)
    _text(element, "ContentType", attachment.ContentType)
    _text(element, "Description", attachment.Description)
    _text(element, "AttachmentName", attachment.AttachmentName)


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)


def _with_attachments(skeleton: bytes, attachments: tuple[Attachment, ...]) -> bytes:
    """The declaration and ``skeleton`` with each empty ``ContentTransferEncoded`` filled.

    The empty elements are found by their serialised form (``<edXML:ContentTransferEncoded
    xmlns:edXML="..."/>``): text and attribute values are escaped, so it cannot occur in them,
    and the n-th one is the n-th attachment's, as the tree was built in that order.

    The output's size is known before it is written, so its buffer is made once at that size: a
    buffer grown as it is written is copied each time it grows, which cost more than encoding.
    """
    size = len(DECLARATION) + len(skeleton)
    for attachment in attachments:
        size += len(_OPEN_ENCODED) + encoded_size(len(attachment.content)) + len(_CLOSE_ENCODED)
        size -= len(_EMPTY_ENCODED)
    out = io.BytesIO()
    out.seek(size - 1)
    out.write(b"\0")
    out.seek(0)
    out.write(DECLARATION)
    view = memoryview(skeleton)
    start = 0
    for attachment in attachments:
        at = skeleton.index(_EMPTY_ENCODED, start)
        out.write(view[start:at])
        out.write(_OPEN_ENCODED)
        encode_into(out, attachment.content)
        out.write(_CLOSE_ENCODED)
        start = at + len(_EMPTY_ENCODED)
    out.write(view[start:])
    view.release()
    if out.tell() != size:
        raise AssertionError(f"{out.tell()} bytes written in a package of {size}")
    return out.getvalue()
