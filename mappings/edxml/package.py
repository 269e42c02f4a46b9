"""The content of edXML packages: a document package and a status package.

Fields carry the element names of QCVN 102:2016 exactly (``OrganId``, ``PromulgationDate``, the
standard's ``Bussiness``), so that a model can be held against a package by eye; classes have
English names, because several elements share a name with their type (``SignerInfo`` is a
``Signer``) and a pydantic field may not shadow its own type. Five fields are not elements:
``Package.header``, ``traces``, ``business`` and ``attachments`` group the elements of
``MessageHeader``, ``TraceHeaderList/TraceHeader``, ``TraceHeaderList/Bussiness`` and the
manifest with its attachments; ``Attachment.content`` is ``ContentTransferEncoded`` decoded.

What a caller may rely on:

- Models are frozen and compare by value; text is Unicode NFC; blank text is ``None``; a group
  with nothing in it (``Signer()``) is ``None``, as the reader reads an empty element.
- Identifiers are checked (``OrganId``, ``DocumentId``, ``ContentId``) and codes are enums, so a
  model always holds what a strict receiver accepts there, with one exception:
  ``Business.DocumentId`` need only have the form of a ``DocumentId`` (its date may be off the
  calendar, as real packages send it); the writer checks it in full. Structure (which elements a
  package needs) is ``edxml.xsd``'s to say and is checked when a package is written: a model read
  from a messy package may lack what the writer requires.
- Timestamps are aware and whole seconds (a fraction is dropped: the format has none).
- One ``Attachment`` is one manifest ``Reference`` and its ``AttachmentEncoded/Attachment``
  joined by ``ContentId``: the model cannot hold one without the other.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Annotated, TypeVar

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from mappings.edxml.codes import BusinessDocType, DocumentStatus
from mappings.edxml.identifiers import (
    check_content_id,
    check_document_id,
    check_document_id_form,
    check_organ_id,
)

DEFAULT_CONTENT_TYPE = "application/octet-stream"


def _optional_text(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return unicodedata.normalize("NFC", value)


def _entry(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be blank")
    return unicodedata.normalize("NFC", value)


def _whole_seconds(value: datetime) -> datetime:
    return value.replace(microsecond=0)


Text = Annotated[str | None, AfterValidator(_optional_text)]
"""Free text, NFC; blank text is no text."""
Entry = Annotated[str, AfterValidator(_entry)]
"""Free text that must be there: a place, an appendix, a file name."""
OrganIdText = Annotated[str, AfterValidator(check_organ_id)]
DocumentIdText = Annotated[str, AfterValidator(check_document_id)]
DocumentIdFormText = Annotated[str, AfterValidator(check_document_id_form)]
"""A ``DocumentId`` whose date may be off the calendar, as real packages send it (the writer
refuses to write one)."""
ContentIdText = Annotated[str, AfterValidator(check_content_id)]
WholeSeconds = Annotated[AwareDatetime, AfterValidator(_whole_seconds)]
Amount = Annotated[int, Field(ge=0)]


class EdxmlModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def is_empty(self) -> bool:
        """Whether nothing is in this group: every field ``None`` or an empty list."""
        return all(value is None or value == () for value in self.__dict__.values())


M = TypeVar("M", bound=EdxmlModel)


def _absent_if_empty(value: M | None) -> M | None:
    return None if value is not None and value.is_empty() else value


Group = AfterValidator(_absent_if_empty)
"""Marks an optional group whose every field is optional: an empty one is read as absent."""


class Organisation(EdxmlModel):
    """``From``, each ``To``, and ``Status/From``."""

    OrganId: OrganIdText
    OrganizationInCharge: Text = None
    OrganName: Text = None
    OrganAdd: Text = None
    Email: Text = None
    Telephone: Text = None
    Fax: Text = None
    Website: Text = None


class DocumentCode(EdxmlModel):
    """``Code``: the document's number and notation, as in 7816/VPCP-TTĐT."""

    CodeNumber: Text = None
    CodeNotation: Text = None


class Promulgation(EdxmlModel):
    """``PromulgationInfo``."""

    Place: Text = None
    PromulgationDate: date | None = None


class DocumentKind(EdxmlModel):
    """``DocumentType``."""

    Type: Text = None
    TypeDetail: Text = None
    TypeName: Text = None


class Signer(EdxmlModel):
    """``SignerInfo``."""

    Competence: Text = None
    Position: Text = None
    FullName: Text = None


class OtherDetails(EdxmlModel):
    """``OtherInfo``."""

    Priority: Amount | None = None
    SphereOfPromulgation: Text = None
    TyperNotation: Text = None
    PromulgationAmount: Amount | None = None
    PageAmount: Amount | None = None
    Appendixes: tuple[Entry, ...] = ()
    """The ``Appendix`` elements of ``Appendixes``."""


class DocumentReference(EdxmlModel):
    """``ResponseFor``: a document answered or referred to.

    ``Code`` is that document's code as one value, ``{number}/{notation}``.
    """

    OrganId: OrganIdText
    Code: Text = None
    PromulgationDate: date | None = None
    DocumentId: DocumentIdText | None = None


class MessageHeader(EdxmlModel):
    """``MessageHeader`` of a document package: who sends what to whom."""

    From: Organisation
    To: tuple[Organisation, ...] = ()
    Code: Annotated[DocumentCode | None, Group] = None
    PromulgationInfo: Annotated[Promulgation | None, Group] = None
    DocumentType: Annotated[DocumentKind | None, Group] = None
    Subject: Text = None
    Content: Text = None
    SignerInfo: Annotated[Signer | None, Group] = None
    DueDate: date | None = None
    ToPlaces: tuple[Entry, ...] = ()
    """The ``Place`` elements of ``ToPlaces``."""
    OtherInfo: Annotated[OtherDetails | None, Group] = None
    ResponseFor: tuple[DocumentReference, ...] = ()
    SteeringType: Text = None
    DocumentId: DocumentIdText | None = None


class Trace(EdxmlModel):
    """``TraceHeader``: an organisation the package passed through, and when."""

    OrganId: OrganIdText
    Timestamp: WholeSeconds


class Officer(EdxmlModel):
    """``StaffInfo``: the officer in charge, to contact about the package."""

    Department: Text = None
    Staff: Text = None
    Mobile: Text = None
    Email: Text = None


class Receiver(EdxmlModel):
    """``ReceiverList/Receiver`` of an update. ``ReceiverType`` is carried, not interpreted."""

    OrganId: OrganIdText
    ReceiverType: Text = None


class UpdateInfo(EdxmlModel):
    """``BussinessDocumentInfo``: what an update changes."""

    DocumentInfo: bool | None = None
    """Whether the document's information changed."""
    DocumentReceiver: bool | None = None
    """Whether its receivers changed."""
    ReceiverList: tuple[Receiver, ...] = ()


class Replacement(EdxmlModel):
    """``ReplacementInfoList/ReplacementInfo``: a document replaced and who had received it."""

    DocumentId: DocumentIdText
    OrganIdList: tuple[OrganIdText, ...]


class Business(EdxmlModel):
    """``Bussiness``: what the package does to the exchange; a new document by default."""

    BussinessDocType: BusinessDocType = BusinessDocType.new
    BussinessDocReason: Text = None
    BussinessDocumentInfo: Annotated[UpdateInfo | None, Group] = None
    DocumentId: DocumentIdFormText | None = None
    """The document a recall, update or replacement acts on. Its date may be off the calendar
    (``2014/02/30``), as real packages carry it: the reader keeps it with a warning; the writer
    refuses it."""
    Paper: bool | None = None
    """Whether a paper copy is also sent."""
    StaffInfo: Annotated[Officer | None, Group] = None
    ReplacementInfoList: tuple[Replacement, ...] = ()


class Attachment(EdxmlModel):
    """One file: its manifest ``Reference`` and its encoded ``Attachment``, by ``ContentId``."""

    ContentId: ContentIdText
    AttachmentName: Entry
    ContentType: Entry = DEFAULT_CONTENT_TYPE
    Description: Text = None
    content: bytes = Field(repr=False)
    """The file: ``ContentTransferEncoded``, decoded."""


class Package(EdxmlModel):
    """A document package: an official document, its trace and its files."""

    header: MessageHeader
    traces: tuple[Trace, ...] = ()
    """``TraceHeaderList/TraceHeader``, in order."""
    business: Business = Business()
    """``TraceHeaderList/Bussiness``."""
    attachments: tuple[Attachment, ...] = ()

    @model_validator(mode="after")
    def _content_ids_are_unique(self) -> Package:
        seen: set[str] = set()
        for attachment in self.attachments:
            if attachment.ContentId in seen:
                raise ValueError(
                    f"two attachments have ContentId {attachment.ContentId}; "
                    "each joins one manifest Reference"
                )
            seen.add(attachment.ContentId)
        return self


class StatusPackage(EdxmlModel):
    """A status package: what became of a document at one receiver (``Status``)."""

    ResponseFor: DocumentReference
    From: Organisation
    StaffInfo: Annotated[Officer | None, Group] = None
    StatusCode: DocumentStatus
    Description: Text = None
    Timestamp: WholeSeconds
