"""edXML packages and raw SOAP calls for the axis mock's tests, built here by hand.

The tests build their own envelopes and packages so that they exercise the mock's reading of the
contract, not any client library's.
"""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

import httpx
from lxml import etree

AXIS = "urn:lienthong:document-axis"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
PROFILE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
EDXML = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PASSWORD = "lienthong-dev"

THANH_HOA = "000.00.00.H56"
THANH_HOA_JUSTICE = "000.00.03.H56"
NGHE_AN = "000.00.00.H41"
GOVERNMENT_OFFICE = "000.00.00.G22"
FINANCE = "000.00.00.G12"


def _organ(tag: str, organ_id: str) -> str:
    return (
        f"<edXML:{tag}><edXML:OrganId>{organ_id}</edXML:OrganId>"
        f"<edXML:OrganName>Cơ quan {organ_id}</edXML:OrganName></edXML:{tag}>"
    )


def _package(header: str, attachments: str = "", *, older_form: bool) -> bytes:
    """A package around ``header`` (the envelope's content) and ``attachments`` (the
    ``AttachmentEncoded`` element): the document element edXML with the attachments beside the
    envelope, or, ``older_form``, the envelope as document element with the attachments inside."""
    if older_form:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<edXML:edXMLEnvelope xmlns:edXML="{EDXML}">\n'
            f"{header}{attachments}"
            "</edXML:edXMLEnvelope>\n"
        ).encode()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<edXML xmlns="{EDXML}">\n'
        f'<edXML:edXMLEnvelope xmlns:edXML="{EDXML}">\n'
        f"{header}"
        "</edXML:edXMLEnvelope>\n"
        f"{attachments}"
        "</edXML>\n"
    ).encode()


def document(
    sender: str = THANH_HOA,
    receivers: Sequence[str] = (NGHE_AN,),
    *,
    document_id: str | None = "000.00.00.H56,2025/03/01,125/UBND-VX",
    subject: str = "V/v phối hợp giải quyết thủ tục hành chính liên thông",
    extra_header: str = "",
    signature: bool = True,
    attachment: bytes | None = None,
    older_form: bool = False,
) -> bytes:
    """A document package after the README's skeleton, signature-shaped bytes included, with
    ``attachment`` as its one file if given; ``older_form`` is the envelope as document element.
    The MessageHeader is on line 5 (line 4 in the older form)."""
    receivers_xml = "".join(_organ("To", r) for r in receivers)
    id_xml = f"<edXML:DocumentId>{document_id}</edXML:DocumentId>" if document_id else ""
    signature_xml = (
        '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">\n'
        "    <SignedInfo>  <Reference URI=''/> </SignedInfo>\n"
        "    <SignatureValue>AAECAw==</SignatureValue>\n  </Signature>"
        if signature
        else ""
    )
    header = (
        "  <edXML:edXMLHeader>\n"
        f"    <edXML:MessageHeader>{_organ('From', sender)}{receivers_xml}"
        "<edXML:Code><edXML:CodeNumber>125</edXML:CodeNumber>"
        "<edXML:CodeNotation>UBND-VX</edXML:CodeNotation></edXML:Code>"
        "<edXML:PromulgationInfo><edXML:Place>Thanh Hóa</edXML:Place>"
        "<edXML:PromulgationDate>2025/03/01</edXML:PromulgationDate></edXML:PromulgationInfo>"
        "<edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName>"
        f"</edXML:DocumentType><edXML:Subject>{escape(subject)}</edXML:Subject>"
        f"{extra_header}{id_xml}</edXML:MessageHeader>\n"
        f"  {signature_xml}\n"
        "  </edXML:edXMLHeader>\n"
    )
    if attachment is None:
        return _package(header, older_form=older_form)
    header += (
        "  <edXML:edXMLBody><edXML:edXMLManifest><edXML:Reference>"
        "<edXML:ContentId>cid:1</edXML:ContentId>"
        "<edXML:ContentType>application/pdf</edXML:ContentType>"
        "<edXML:AttachmentName>cong-van.pdf</edXML:AttachmentName>"
        "</edXML:Reference></edXML:edXMLManifest></edXML:edXMLBody>\n"
    )
    encoded = base64.b64encode(attachment).decode()
    attachments = (
        '  <edXML:AttachmentEncoded><edXML:Attachment ContentId="cid:1">'
        f"<edXML:ContentTransferEncoded>{encoded}</edXML:ContentTransferEncoded>"
        "</edXML:Attachment></edXML:AttachmentEncoded>\n"
        if older_form
        else "  <AttachmentEncoded><Attachment><ContentId>cid:1</ContentId>"
        f'<edXML:ContentTransferEncoded xmlns:edXML="{EDXML}">{encoded}'
        "</edXML:ContentTransferEncoded></Attachment></AttachmentEncoded>\n"
    )
    return _package(header, attachments, older_form=older_form)


def status(
    sender: str,
    document_id: str | None,
    code: str,
    *,
    issuer: str = THANH_HOA,
    description: str = "Đã tiếp nhận văn bản",
    timestamp: str = "2025/03/02 08:15:00",
    older_form: bool = False,
) -> bytes:
    """A status package (``Status`` in ``edXMLHeader``) answering ``document_id``."""
    id_xml = f"<edXML:DocumentId>{document_id}</edXML:DocumentId>" if document_id else ""
    header = (
        "<edXML:edXMLHeader><edXML:Status>"
        f"<edXML:ResponseFor><edXML:OrganId>{issuer}</edXML:OrganId>"
        "<edXML:Code>125/UBND-VX</edXML:Code>"
        f"<edXML:PromulgationDate>2025/03/01</edXML:PromulgationDate>{id_xml}</edXML:ResponseFor>"
        f"{_organ('From', sender)}<edXML:StatusCode>{code}</edXML:StatusCode>"
        f"<edXML:Description>{escape(description)}</edXML:Description>"
        f"<edXML:Timestamp>{timestamp}</edXML:Timestamp>"
        "</edXML:Status></edXML:edXMLHeader>\n"
    )
    return _package(header, older_form=older_form)


def envelope(
    operation: str,
    params: Sequence[tuple[str, str | bytes]] = (),
    *,
    username: str | None = THANH_HOA,
    password: str = PASSWORD,
    digest: bool = False,
) -> bytes:
    """A SOAP 1.1 request of ``operation`` with a UsernameToken; bytes params go as base64."""
    root = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"s": SOAP})
    if username is not None:
        header = etree.SubElement(root, f"{{{SOAP}}}Header")
        security = etree.SubElement(header, f"{{{WSSE}}}Security", nsmap={"wsse": WSSE})
        token = etree.SubElement(security, f"{{{WSSE}}}UsernameToken")
        etree.SubElement(token, f"{{{WSSE}}}Username").text = username
        secret = etree.SubElement(token, f"{{{WSSE}}}Password")
        if digest:
            nonce = os.urandom(16)
            created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            hashed = hashlib.sha1(nonce + created.encode() + password.encode()).digest()  # noqa: S324
            secret.text = base64.b64encode(hashed).decode()
            secret.set("Type", f"{PROFILE}#PasswordDigest")
            etree.SubElement(token, f"{{{WSSE}}}Nonce").text = base64.b64encode(nonce).decode()
            etree.SubElement(token, f"{{{WSU}}}Created", nsmap={"wsu": WSU}).text = created
        else:
            secret.text = password
            secret.set("Type", f"{PROFILE}#PasswordText")
    body = etree.SubElement(root, f"{{{SOAP}}}Body")
    call = etree.SubElement(body, f"{{{AXIS}}}{operation}", nsmap={"a": AXIS})
    for name, value in params:
        text = base64.b64encode(value).decode() if isinstance(value, bytes) else value
        etree.SubElement(call, f"{{{AXIS}}}{name}").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@dataclass(frozen=True)
class Fault:
    http_status: int
    code: str
    string: str
    reason: str
    element: str | None
    line: str | None


@dataclass(frozen=True)
class Answer:
    """A successful reply: the ``<operation>Response`` element."""

    element: etree._Element

    def texts(self, name: str) -> list[str]:
        return [e.text or "" for e in self.element.findall(f"{{{AXIS}}}{name}")]

    def text(self, name: str) -> str:
        (found,) = self.texts(name)
        return found

    def records(self, name: str) -> list[dict[str, str]]:
        return [
            {etree.QName(c).localname: c.text or "" for c in record}
            for record in self.element.findall(f"{{{AXIS}}}{name}")
        ]


class Caller:
    """One organisation's raw SOAP calls to the axis mock."""

    def __init__(
        self, http: httpx.AsyncClient, organ_id: str, path: str = "/", password: str = PASSWORD
    ) -> None:
        self.http = http
        self.organ_id = organ_id
        self.path = path
        self.password = password

    async def post(self, operation: str, *params: tuple[str, str | bytes]) -> httpx.Response:
        body = envelope(operation, params, username=self.organ_id, password=self.password)
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f"{AXIS}/{operation}"}
        return await self.http.post(self.path, content=body, headers=headers)

    async def call(self, operation: str, *params: tuple[str, str | bytes]) -> Answer:
        response = await self.post(operation, *params)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/xml")
        return answer(response, operation)

    async def refused(self, operation: str, *params: tuple[str, str | bytes]) -> Fault:
        return fault(await self.post(operation, *params))

    async def send(self, package: bytes) -> tuple[str, list[str]]:
        sent = await self.call("SendDocument", ("package", package))
        return sent.text("documentId"), sent.texts("receivers")

    async def pending(self, limit: int | None = None) -> list[str]:
        params = [] if limit is None else [("limit", str(limit))]
        return (await self.call("GetPendingDocumentIds", *params)).texts("documentId")

    async def fetch(self, document_id: str) -> tuple[bytes, str]:
        got = await self.call("GetDocument", ("documentId", document_id))
        return base64.b64decode(got.text("package")), got.text("kind")

    async def confirm(self, document_id: str) -> str:
        return (await self.call("ConfirmReceived", ("documentId", document_id))).text("confirmed")

    async def send_status(self, package: bytes) -> str:
        return (await self.call("SendStatus", ("package", package))).text("accepted")

    async def traces(self, document_id: str) -> list[dict[str, str]]:
        return (await self.call("GetTraces", ("documentId", document_id))).records("trace")


def answer(response: httpx.Response, operation: str) -> Answer:
    body = etree.fromstring(response.content).find(f"{{{SOAP}}}Body")
    assert body is not None
    (element,) = list(body)
    assert element.tag == f"{{{AXIS}}}{operation}Response"
    return Answer(element)


def fault(response: httpx.Response) -> Fault:
    assert response.status_code == 500, response.text
    root = etree.fromstring(response.content)
    node = root.find(f"{{{SOAP}}}Body/{{{SOAP}}}Fault")
    assert node is not None, response.text
    detail = node.find(f"detail/{{{AXIS}}}AxisFault")
    assert detail is not None
    code = node.findtext("faultcode") or ""
    prefix, _, local = code.partition(":")
    namespace = node.nsmap.get(prefix)
    return Fault(
        http_status=response.status_code,
        code=f"{{{namespace}}}{local}",
        string=node.findtext("faultstring") or "",
        reason=detail.findtext(f"{{{AXIS}}}reason") or "",
        element=detail.findtext(f"{{{AXIS}}}element"),
        line=detail.findtext(f"{{{AXIS}}}line"),
    )


async def admin(http: httpx.AsyncClient, path: str, base: str = "") -> Any:
    response = await http.get(f"{base}/__admin/{path}")
    assert response.status_code == 200, response.text
    return response.json()


def journal_requests(entries: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return [(e["service"], e["request"]["caller"]) for e in entries]
