"""Accounts and edXML packages for the document axis adapter's tests, written by hand.

Packages follow the skeleton of ``openapi/national/document_axis/README.md`` (the document element
``edXML`` holding the envelope and, beside it, the attachments); the adapter treats them as opaque
bytes, so what matters is that the mock's schema accepts (or refuses) them.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from xml.sax.saxutils import escape

from adapters.document_axis import SoapDocumentAxis

AXIS_URL = "http://axis.test/document-axis/"
PASSWORD = "lienthong-dev"
THANH_HOA = "000.00.00.H56"
NGHE_AN = "000.00.00.H41"
EDXML_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"

MakeAxis = Callable[..., SoapDocumentAxis]
"""Builds an adapter: ``transport`` goes to the adapter, other keywords to ``AxisConfig``."""


def _organ(tag: str, organ_id: str) -> str:
    return (
        f"<edXML:{tag}><edXML:OrganId>{organ_id}</edXML:OrganId>"
        f"<edXML:OrganName>Cơ quan {organ_id}</edXML:OrganName></edXML:{tag}>"
    )


def document(
    sender: str = THANH_HOA,
    receivers: Sequence[str] = (NGHE_AN,),
    *,
    number: str = "125",
    subject: str = "V/v phối hợp giải quyết thủ tục hành chính liên thông",
    attachment: bytes = b"%PDF-1.7 c\xc3\xb4ng v\xc4\x83n",
) -> bytes:
    """A document package from ``sender`` to ``receivers``, with one attachment.

    Its ``DocumentId`` is ``document_id(sender, number)``; whitespace and the (unsigned)
    signature-shaped element are there to show that the axis carries bytes, not a tree.
    """
    receivers_xml = "".join(_organ("To", receiver) for receiver in receivers)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<edXML xmlns="{EDXML_NS}">\n'
        f'  <edXML:edXMLEnvelope xmlns:edXML="{EDXML_NS}">\n'
        "  <edXML:edXMLHeader>\n"
        f"    <edXML:MessageHeader>{_organ('From', sender)}{receivers_xml}"
        f"<edXML:Code><edXML:CodeNumber>{number}</edXML:CodeNumber>"
        "<edXML:CodeNotation>UBND-VX</edXML:CodeNotation></edXML:Code>"
        "<edXML:PromulgationInfo><edXML:Place>Thanh Hóa</edXML:Place>"
        "<edXML:PromulgationDate>2025/03/01</edXML:PromulgationDate></edXML:PromulgationInfo>"
        "<edXML:DocumentType><edXML:Type>1</edXML:Type>"
        "<edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>"
        f"<edXML:Subject>{escape(subject)}</edXML:Subject>"
        "<edXML:SignerInfo><edXML:Position>Chủ tịch</edXML:Position>"
        "<edXML:FullName>Nguyễn Văn An</edXML:FullName></edXML:SignerInfo>"
        f"<edXML:DocumentId>{document_id(sender, number)}</edXML:DocumentId>"
        "</edXML:MessageHeader>\n"
        "    <edXML:TraceHeaderList><edXML:TraceHeader>"
        f"<edXML:OrganId>{sender}</edXML:OrganId>"
        "<edXML:Timestamp>2025/03/01 09:30:00</edXML:Timestamp></edXML:TraceHeader>"
        "<edXML:Bussiness><edXML:BussinessDocType>0</edXML:BussinessDocType></edXML:Bussiness>"
        "</edXML:TraceHeaderList>\n"
        '    <Signature xmlns="http://www.w3.org/2000/09/xmldsig#">\t</Signature>\n'
        "  </edXML:edXMLHeader>\n"
        "  <edXML:edXMLBody><edXML:edXMLManifest><edXML:Reference>"
        "<edXML:ContentId>cid:1</edXML:ContentId>"
        "<edXML:ContentType>application/pdf</edXML:ContentType>"
        "<edXML:AttachmentName>cong-van.pdf</edXML:AttachmentName>"
        "</edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>\n"
        "  </edXML:edXMLEnvelope>\n"
        "  <AttachmentEncoded><Attachment><ContentId>cid:1</ContentId>"
        "<AttachmentName>cong-van.pdf</AttachmentName>"
        f'<edXML:ContentTransferEncoded xmlns:edXML="{EDXML_NS}">'
        f"{base64.b64encode(attachment).decode()}"
        "</edXML:ContentTransferEncoded></Attachment></AttachmentEncoded>\n"
        "</edXML>\n"
    ).encode()


def document_id(sender: str = THANH_HOA, number: str = "125") -> str:
    """The ``DocumentId`` that ``document(sender, number=number)`` carries."""
    return f"{sender},2025/03/01,{number}/UBND-VX"


def status(
    sender: str,
    answered: str,
    code: str = "03",
    *,
    issuer: str = THANH_HOA,
    description: str = "Đã tiếp nhận văn bản",
) -> bytes:
    """A status package from ``sender`` about document ``answered``, sent by ``issuer``."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<edXML xmlns="{EDXML_NS}"><edXML:edXMLEnvelope xmlns:edXML="{EDXML_NS}">'
        "<edXML:edXMLHeader><edXML:Status>"
        f"<edXML:ResponseFor><edXML:OrganId>{issuer}</edXML:OrganId>"
        "<edXML:Code>125/UBND-VX</edXML:Code>"
        "<edXML:PromulgationDate>2025/03/01</edXML:PromulgationDate>"
        f"<edXML:DocumentId>{answered}</edXML:DocumentId></edXML:ResponseFor>"
        f"{_organ('From', sender)}<edXML:StatusCode>{code}</edXML:StatusCode>"
        f"<edXML:Description>{escape(description)}</edXML:Description>"
        "<edXML:Timestamp>2025/03/02 08:15:00</edXML:Timestamp>"
        "</edXML:Status></edXML:edXMLHeader></edXML:edXMLEnvelope></edXML>\n"
    ).encode()
