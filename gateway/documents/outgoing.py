"""Documents and status packages the province sends: from the one-stop system's request to a
signed edXML package queued for the axis.

The request speaks English; the package speaks QCVN 102. The package is written (and checked
against the XSD) and signed here, before the request is answered: what cannot become a valid
package is refused with a 422 naming the field, and what was accepted is sent byte for byte.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Base64Bytes,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from gateway.documents import records
from gateway.documents.records import Event
from gateway.store import Connection
from mappings.canonical import Date, checked_text
from mappings.dossier import VIETNAM
from mappings.edxml.codes import BusinessDocType, DocumentStatus
from mappings.edxml.identifiers import DocumentIdentifier, check_document_id, check_organ_id
from mappings.edxml.package import (
    Attachment,
    Business,
    DocumentCode,
    DocumentKind,
    DocumentReference,
    MessageHeader,
    Officer,
    Organisation,
    OtherDetails,
    Package,
    Promulgation,
    Signer,
    StatusPackage,
)
from mappings.edxml.signature import sign_package
from mappings.edxml.writer import write_package, write_status
from mappings.identifiers import UNIT_ID_PATTERN

XML_TEXT_PATTERN = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]*$"
XML_TEXT_RULE = (
    "text in an edXML package holds no control characters but tab, line feed and carriage return"
)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ORGAN_ID_PATTERN = UNIT_ID_PATTERN
"""An OrganId has the form of a unit identifier (``mappings.edxml.identifiers``)."""
DOCUMENT_ID_PATTERN = (
    f"{ORGAN_ID_PATTERN[:-1]},[0-9]{{4}}/(?:0[1-9]|1[0-2])/(?:0[1-9]|[12][0-9]|3[01]),"
    "[^,/ \\x00-\\x1F\\uFFFE\\uFFFF]+/[^, \\x00-\\x1F\\uFFFE\\uFFFF]"
    "(?:[^,\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]*[^, \\x00-\\x1F\\uFFFE\\uFFFF])?$"
)
"""``DOCUMENT_ID_RULE`` of ``mappings.edxml.identifiers`` as a JSON Schema pattern (a day past
the month's end, 30 February, is refused by the check, not the pattern)."""
CODE_NUMBER_PATTERN = "^[^,/ \\x00-\\x1F\\uFFFE\\uFFFF]+$"
CODE_NOTATION_PATTERN = (
    "^[^, \\x00-\\x1F\\uFFFE\\uFFFF]"
    "(?:[^,\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\uFFFE\\uFFFF]*[^, \\x00-\\x1F\\uFFFE\\uFFFF])?$"
)
"""The number and notation as JSON Schema patterns: they become the end of the document's
DocumentId, ``{number}/{notation}``, whose parts a comma separates (``mappings.edxml``)."""
_CODE_NUMBER = re.compile(r"[^,/\s]+")
_CODE_NOTATION = re.compile(r"[^,\s](?:[^,]*[^,\s])?")


def _code_number(value: str) -> str:
    if not _CODE_NUMBER.fullmatch(value):
        raise ValueError(
            f"{value[:60]!r} is not a document number: it holds no comma, slash or blank, which "
            "separate the parts of its DocumentId {OrganId},{yyyy/MM/dd},{number}/{notation}"
        )
    return value


def _code_notation(value: str) -> str:
    if not _CODE_NOTATION.fullmatch(value):
        raise ValueError(
            f"{value[:60]!r} is not a notation: it holds no comma, which separates the parts "
            "of its DocumentId {OrganId},{yyyy/MM/dd},{number}/{notation}"
        )
    return value


OrganId = Annotated[
    str,
    AfterValidator(check_organ_id),
    Field(json_schema_extra={"pattern": ORGAN_ID_PATTERN}, examples=["000.00.00.H49"]),
]
DocumentId = Annotated[
    str,
    AfterValidator(check_document_id),
    Field(json_schema_extra={"pattern": DOCUMENT_ID_PATTERN}),
]


def _xml_text_schema(schema: dict[str, Any]) -> None:
    for field in schema.get("properties", {}).values():
        for branch in [field, *field.get("anyOf", [])]:
            if branch.get("type") == "string" and not {"pattern", "format", "enum"} & set(branch):
                branch["pattern"] = XML_TEXT_PATTERN


class Request(BaseModel):
    """A request about documents: its text must fit in an edXML package (``XML_TEXT_RULE``)
    and be well-formed Unicode, each refusal naming the field."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        frozen=True,
        json_schema_extra=_xml_text_schema,
    )

    @model_validator(mode="before")
    @classmethod
    def _text_fits_xml(cls, data: Any) -> Any:
        data = checked_text(data, normalise=False)
        if not isinstance(data, dict):
            return data
        errors = [
            InitErrorDetails(
                type=PydanticCustomError("xml_text", XML_TEXT_RULE), loc=(key,), input=value
            )
            for key, value in data.items()
            if isinstance(value, str) and _NOT_XML.search(value)
        ]
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return data


class Receiver(Request):
    organ_id: OrganId
    name: str = Field(min_length=1, max_length=500, description="OrganName, required by edXML")


class SignerIn(Request):
    full_name: str = Field(min_length=1, max_length=200)
    position: str | None = Field(default=None, max_length=200)
    competence: str | None = Field(default=None, max_length=200)


class StaffIn(Request):
    department: str | None = Field(default=None, max_length=200)
    staff: str | None = Field(default=None, max_length=200)
    mobile: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=200)


class AttachmentIn(Request):
    name: str = Field(min_length=1, max_length=500)
    content_type: str = Field(default="application/pdf", max_length=200)
    description: str | None = Field(default=None, max_length=1000)
    content: Base64Bytes = Field(description="The file, base64.")


EXAMPLE_DOCUMENT: dict[str, Any] = {
    "to": [{"organ_id": "000.00.00.H49", "name": "Ủy ban nhân dân tỉnh Quảng Ninh"}],
    "number": "1234",
    "notation": "UBND-VX",
    "promulgated_on": "2026-11-20",
    "type": "CV",
    "subject": "V/v phối hợp giải quyết thủ tục hành chính",
    "attachments": [{"name": "cv.pdf", "content": "JVBERi0xLjc="}],
}


class DocumentToSend(Request):
    """An official document for other organisations, with its files. Its DocumentId is made of
    the province's OrganId, the date, the number and the notation: sending the same one twice
    is a conflict (409), not a second document."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_DOCUMENT]})

    to: list[Receiver] = Field(min_length=1, max_length=500)
    number: Annotated[str, AfterValidator(_code_number)] = Field(
        min_length=1,
        max_length=50,
        description="CodeNumber, e.g. 7816",
        json_schema_extra={"pattern": CODE_NUMBER_PATTERN},
    )
    notation: Annotated[str, AfterValidator(_code_notation)] = Field(
        min_length=1,
        max_length=100,
        description="CodeNotation, e.g. VPCP-TTĐT",
        json_schema_extra={"pattern": CODE_NOTATION_PATTERN},
    )
    promulgated_on: Date
    place: str | None = Field(default=None, max_length=200)
    type: str = Field(
        min_length=1, max_length=50, description="DocumentType/Type: the kind of document's code"
    )
    type_name: str | None = Field(default=None, max_length=200)
    subject: str = Field(min_length=1, max_length=2000)
    content: str | None = Field(default=None, max_length=20000)
    signer: SignerIn | None = None
    due_date: Date | None = None
    priority: int | None = Field(default=None, ge=0, le=9)
    steering_type: str | None = Field(default=None, max_length=50)
    business: Literal["new", "recall", "update", "replace"] = "new"
    business_reason: str | None = Field(default=None, max_length=2000)
    about_document_id: DocumentId | None = Field(
        default=None, description="The DocumentId a recall, update or replacement acts on."
    )
    staff: StaffIn | None = None
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=100)


AnswerStatus = Literal[
    "accepted",
    "refused",
    "assigned",
    "processing",
    "done",
    "recall_or_update_agreed",
    "recall_or_update_refused",
]


class StatusToSend(Request):
    """Our answer about a received document, as the sender will see it in its timeline."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "accepted", "description": "Đã tiếp nhận"}]}
    )

    status: AnswerStatus
    description: str | None = Field(default=None, max_length=2000)
    staff: StaffIn | None = None


class RecallToSend(Request):
    """Asking the receivers of a document we sent to give it back (status 13)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "Sai sót số liệu"}]})

    reason: str | None = Field(default=None, max_length=2000)
    staff: StaffIn | None = None


def _officer(staff: StaffIn | None) -> Officer | None:
    if staff is None:
        return None
    return Officer(
        Department=staff.department, Staff=staff.staff, Mobile=staff.mobile, Email=staff.email
    )


def compose(document: DocumentToSend, sender: Organisation) -> tuple[Package, str]:
    """The edXML package for ``document`` from ``sender``, and its DocumentId."""
    identifier = str(
        DocumentIdentifier(
            sender.OrganId, document.promulgated_on, document.number, document.notation
        )
    )
    header = MessageHeader(
        From=sender,
        To=tuple(Organisation(OrganId=r.organ_id, OrganName=r.name) for r in document.to),
        Code=DocumentCode(CodeNumber=document.number, CodeNotation=document.notation),
        PromulgationInfo=Promulgation(
            Place=document.place, PromulgationDate=document.promulgated_on
        ),
        DocumentType=DocumentKind(Type=document.type, TypeName=document.type_name),
        Subject=document.subject,
        Content=document.content,
        SignerInfo=Signer(
            Competence=document.signer.competence,
            Position=document.signer.position,
            FullName=document.signer.full_name,
        )
        if document.signer
        else None,
        DueDate=document.due_date,
        OtherInfo=OtherDetails(Priority=document.priority),
        SteeringType=document.steering_type,
        DocumentId=identifier,
    )
    business = Business(
        BussinessDocType=BusinessDocType(document.business),
        BussinessDocReason=document.business_reason,
        DocumentId=document.about_document_id,
        StaffInfo=_officer(document.staff),
    )
    attachments = tuple(
        Attachment(
            ContentId=f"cid:{number}@{identifier.split(',')[-1]}".replace("/", "-"),
            AttachmentName=a.name,
            ContentType=a.content_type,
            Description=a.description,
            content=a.content,
        )
        for number, a in enumerate(document.attachments, start=1)
    )
    return Package(header=header, business=business, attachments=attachments), identifier


def status_package(
    answered: DocumentReference,
    sender: Organisation,
    status: DocumentStatus,
    *,
    description: str | None,
    staff: StaffIn | None,
    now: datetime,
) -> StatusPackage:
    return StatusPackage(
        ResponseFor=answered,
        From=sender,
        StaffInfo=_officer(staff),
        StatusCode=status,
        Description=description,
        Timestamp=now.astimezone(VIETNAM).replace(microsecond=0),
    )


class Signing(BaseModel):
    key_pem: bytes
    cert_pem: bytes

    def sign(self, package: bytes) -> bytes:
        return sign_package(package, key_pem=self.key_pem, cert_pem=self.cert_pem)


class AlreadySent(Exception):
    """A document with this DocumentId was sent before: ``existing`` is the gateway's id of it."""

    def __init__(self, identifier: str, existing: str) -> None:
        super().__init__(
            f"a document with DocumentId {identifier!r} was already sent (its id is "
            f"{existing}); a new document needs a new number, notation or date"
        )
        self.identifier, self.existing = identifier, existing


def queue_document(
    connection: Connection, document: DocumentToSend, sender: Organisation, signing: Signing
) -> tuple[str, str, int]:
    """Write, sign, store and queue ``document``; returns its id, DocumentId and outbox row.
    ``AlreadySent`` if a document with its DocumentId was sent before."""
    package, identifier = compose(document, sender)
    sent = records.find_by_national_id(connection, "outgoing", identifier)
    if sent is not None:
        raise AlreadySent(identifier, sent.id)
    signed = signing.sign(write_package(package))
    document_id, row = records.queue_outgoing(
        connection,
        national_id=identifier,
        from_organ=sender.OrganId,
        to_organs=[r.organ_id for r in document.to],
        code=f"{document.number}/{document.notation}",
        subject=document.subject,
        business=document.business,
        package=signed,
        payload=base64.b64encode(signed).decode(),
    )
    return document_id, identifier, row


def queue_answer(
    connection: Connection,
    record: records.DocumentRecord,
    sender: Organisation,
    signing: Signing,
    status: DocumentStatus,
    *,
    description: str | None,
    staff: StaffIn | None,
) -> int:
    """Answer ``record`` with a status package (ours about theirs, or a recall of ours)."""
    now = datetime.now(UTC)
    identifier = DocumentIdentifier.parse(record.national_id)
    answered = DocumentReference(
        OrganId=identifier.OrganId,
        Code=f"{identifier.CodeNumber}/{identifier.CodeNotation}",
        PromulgationDate=identifier.PromulgationDate,
        DocumentId=record.national_id,
    )
    package = status_package(
        answered, sender, status, description=description, staff=staff, now=now
    )
    signed = signing.sign(write_status(package))
    event = Event(status.value, now.timestamp(), organ_id=sender.OrganId, description=description)
    return records.queue_status(connection, record.id, event, base64.b64encode(signed).decode())
