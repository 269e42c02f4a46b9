"""Reading packages: lenient where real packages are messy, strict where a mistake would matter.

``read_package`` reads a document package or a status package from bytes;
``read_package_with_warnings`` also says what it let pass that a strict reader would not. What a
caller may rely on:

- **Refused before parsing**: input longer than ``max_bytes`` (100 MiB unless told).
- **Refused by the parser**: any DOCTYPE (so DTDs, entity declarations, "billion laughs" and
  external entities never get a chance), references to undeclared entities, XML that is not
  well-formed. Nothing is fetched, nothing is read from disk, no DTD is loaded.
- **Both forms**: the document element ``edXML`` holding ``edXMLEnvelope`` and, beside it,
  ``AttachmentEncoded`` (QCVN 102:2016, what real agencies and lienthong write); and the older
  form with ``edXMLEnvelope`` as the document element and ``AttachmentEncoded`` inside it (what
  lienthong wrote before). Locations in errors start from the document element the package has.
- **Lenient**: elements are matched by namespace and local name, whatever their prefix (or
  none, with a default namespace); ``AttachmentEncoded`` and everything in it may also be in no
  namespace at all (un-prefixed without a default namespace); unknown elements are ignored; an
  empty element, or one holding only blanks, is read as absent (an empty ``DueDate`` is no due
  date); dates may be ``dd/MM/yyyy`` as well as ``yyyy/MM/dd``; a ``Signature`` in any namespace
  and with any prefix is passed over (verifying it is a matter for the bytes, not for this
  model); the status fields may sit in ``Status`` or directly in ``MessageHeader``; an
  attachment's ``ContentId`` may be an attribute or a child and may lack its ``cid:``; base64 may
  be broken into lines and may lack its padding.
- **Kept with a warning**: a ``TraceHeaderList/Bussiness/DocumentId`` of the right form whose date
  is not on the calendar (``2014/02/30``, seen in real packages) is kept as text, and the
  reading's ``warnings`` say so; the package is not refused for it.
- **Strict**: every other ``OrganId`` and ``DocumentId`` (the package's own in ``MessageHeader``,
  those in ``ResponseFor`` and ``ReplacementInfo``), ``StatusCode`` and ``BussinessDocType``
  must be exactly what the standard says, a package must name its sender,
  a status package the document it answers, and every manifest ``Reference`` must have its
  attachment. Each refusal is an ``EdxmlError`` naming the element
  (``/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To[2]/OrganId``) and the rule.

Cost and memory: an attachment's base64 never goes through libxml2 when it can be helped, for
libxml2 takes text a character at a time. Each large base64 text is set aside from the package's
bytes (``mappings.edxml.set_aside``) and the small document left is parsed; a
``ContentTransferEncoded`` whose whole text is the marker of one is decoded straight from the
package's bytes, in one step (``mappings.edxml.transfer.decode``). A package in which a marker
ends up anywhere else (in a comment, beside other text, in another element), or which is refused,
is parsed again whole, so that what is read and what is refused never depend on what was set
aside. Parsed whole, the parser hands ``ContentTransferEncoded`` text over in pieces, which are
decoded as they come and never enter the tree. Either way reading a package holds, beside the
input, the decoded attachments, a small tree of everything else and a buffer; the base64 text of
an attachment is never copied whole, in Python or in libxml2. No huge-tree option is needed:
libxml2's limits on a single text node do not apply to text handed over in pieces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from lxml import etree
from pydantic import ValidationError

from mappings.edxml.codes import EDXML_CODES
from mappings.edxml.dates import parse_date, parse_timestamp
from mappings.edxml.errors import EdxmlError
from mappings.edxml.identifiers import (
    check_content_id,
    check_document_id,
    check_document_id_form,
    check_organ_id,
)
from mappings.edxml.locations import location, within
from mappings.edxml.package import (
    DEFAULT_CONTENT_TYPE,
    Attachment,
    Business,
    DocumentCode,
    DocumentKind,
    DocumentReference,
    EdxmlModel,
    MessageHeader,
    Officer,
    Organisation,
    OtherDetails,
    Package,
    Promulgation,
    Receiver,
    Replacement,
    Signer,
    StatusPackage,
    Trace,
    UpdateInfo,
)
from mappings.edxml.schema import EDXML_NAMESPACE, qualified
from mappings.edxml.set_aside import SetAside, set_aside
from mappings.edxml.transfer import Base64Decoder, decode
from mappings.errors import MappingError
from mappings.national_portal.codes import CodeTable

DEFAULT_MAX_BYTES = 100 * 1024 * 1024
"""The largest package ``read_package`` parses unless told otherwise: 100 MiB."""

_ENCODED = qualified("ContentTransferEncoded")
_ENCODED_TAGS = frozenset({_ENCODED, "ContentTransferEncoded"})
"""``ContentTransferEncoded`` in the edXML namespace or, un-prefixed without a default namespace,
in none."""

M = TypeVar("M", bound=EdxmlModel)
E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ReadWarning:
    """Something a package carries that a strict reader would refuse, kept as it was sent.

    ``field`` is where, as ``EdxmlError`` names it; ``message`` what was found and what was done.
    """

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True, slots=True)
class Reading:
    """What ``read_package_with_warnings`` read: the package, and what it let pass."""

    package: Package | StatusPackage
    warnings: tuple[ReadWarning, ...] = ()


def read_package(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Package | StatusPackage:
    """The package in ``data``: a ``StatusPackage`` if it carries a status, else a ``Package``.

    ``EdxmlError`` if ``data`` is longer than ``max_bytes``, is not a safe, well-formed XML
    document, or breaks a rule this reader keeps (see the module's docstring).
    """
    return read_package_with_warnings(data, max_bytes=max_bytes).package


def read_package_with_warnings(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Reading:
    """``read_package``, with the warnings of what was kept though a strict reader would not."""
    if len(data) > max_bytes:
        raise EdxmlError(
            "/",
            f"the package is {len(data)} bytes, more than the {max_bytes} accepted; "
            "it was refused without being parsed",
        )
    root, files = _parse(data)
    envelope = _envelope(root)
    warnings: list[ReadWarning] = []
    header = _required(envelope, "edXMLHeader", "every package has a header")
    status = _child(header, "Status")
    if status is not None:
        return Reading(_status(status))
    message = _required(header, "MessageHeader", "a package has a MessageHeader or a Status")
    if _child(message, "StatusCode") is not None:
        return Reading(_status(message))
    traces = _child(header, "TraceHeaderList")
    package = _build(
        Package,
        envelope,
        header=_message_header(message),
        traces=tuple(_trace(element) for element in _children(traces, "TraceHeader")),
        business=_business(_child(traces, "Bussiness") if traces is not None else None, warnings),
        attachments=_attachments(envelope, root, files),
    )
    return Reading(package, tuple(warnings))


def _envelope(root: etree._Element) -> etree._Element:
    """The envelope: the document element ``edXML``'s child, or the document element itself in
    the older form. ``AttachmentEncoded`` is the document element's child in either form."""
    if root.tag == qualified("edXML"):
        return _required(root, "edXMLEnvelope", "the document element edXML holds the envelope")
    if root.tag == qualified("edXMLEnvelope"):
        return root
    raise EdxmlError(
        f"/{etree.QName(root).localname}",
        f"the document element must be edXML (or, in packages of the older form, edXMLEnvelope) "
        f"in the namespace {EDXML_NAMESPACE}, not {etree.QName(root).text}",
    )


class _PackageTarget:
    """Builds the tree for the parser, except ``ContentTransferEncoded``, decoded as it comes.

    Only what the reader uses is kept: elements, attributes and each element's own text (edXML
    has no mixed content; text between elements, comments and processing instructions are
    dropped). A DOCTYPE stops the parse at once. A ``ContentTransferEncoded`` that is not base64
    is noted and reported once the tree is whole, so that its location counts all its namesakes.

    Over a document with texts set aside (``aside``), a ``ContentTransferEncoded`` is held back
    while its text could still be a lone marker; one that is is decoded from the text set aside,
    and counted in ``texts_read``.
    """

    def __init__(self, aside: SetAside) -> None:
        self._aside = aside
        self._open: list[etree._Element] = []
        self._text: list[str] = []
        self._root: etree._Element | None = None
        self._encoded: etree._Element | None = None
        self._decoder: Base64Decoder | None = None
        self._held: list[str] = []
        self._held_size = 0
        self.files: dict[etree._Element, bytes] = {}
        self.problems: list[tuple[etree._Element, str]] = []
        self.texts_read = 0

    def start(self, tag: str, attrib: dict[str, str], /) -> None:
        if self._encoded is not None:
            self._refuse(self._encoded, "holds an element; it may hold base64 text only")
        self._settle_text()
        if self._open:
            element = etree.SubElement(self._open[-1], tag, attrib)
        else:
            element = self._root = etree.Element(tag, attrib)
        self._open.append(element)
        if tag in _ENCODED_TAGS and self._encoded is None:
            self._encoded = element
            self._decoder = Base64Decoder()

    def data(self, text: str, /) -> None:
        if self._encoded is None:
            self._text.append(text)
        elif self._decoder is not None:
            self._held.append(text)
            self._held_size += len(text)
            if self._held_size > self._aside.marker_length:
                self._feed_held()

    def end(self, tag: str, /) -> None:
        self._settle_text()
        element = self._open.pop()
        if element is self._encoded:
            if self._decoder is not None:
                set_aside_text = self._aside.text("".join(self._held))
                try:
                    if set_aside_text is None:
                        self._feed_held()
                        self.files[element] = self._decoder.finish()
                    else:
                        self.files[element] = decode(set_aside_text)
                        self.texts_read += 1
                except ValueError as error:
                    self._refuse(element, str(error))
            self._encoded = None
            self._decoder = None
            self._held.clear()
            self._held_size = 0

    def doctype(
        self, root_tag: str | None, public_id: str | None, system_id: str | None, /
    ) -> None:
        raise EdxmlError(
            "/",
            f"the package has a DOCTYPE ({root_tag}); packages may not carry one, because DTDs "
            "and entity declarations open the way to entity expansion and external entities",
        )

    def comment(self, text: str, /) -> None:
        return None

    def pi(self, target: str, data: str, /) -> None:
        return None

    def start_ns(self, prefix: str, uri: str, /) -> None:
        return None

    def end_ns(self, prefix: str, /) -> None:
        return None

    def close(self) -> etree._Element | None:
        """The document element; ``None`` when the parse stopped before it (the parser then
        raises what stopped it, which an exception from here would hide)."""
        return self._root

    def _settle_text(self) -> None:
        """Give the text gathered so far to the open element, if it has no child yet."""
        if self._text:
            if self._open and len(self._open[-1]) == 0:
                self._open[-1].text = "".join(self._text)
            self._text.clear()

    def _feed_held(self) -> None:
        """Hand the ``ContentTransferEncoded`` text held back so far to the decoder."""
        if self._decoder is None or self._encoded is None:
            return
        try:
            for text in self._held:
                self._decoder.feed(text)
        except ValueError as error:
            self._refuse(self._encoded, str(error))
        self._held.clear()
        self._held_size = 0

    def _refuse(self, element: etree._Element, rule: str) -> None:
        if self._decoder is not None:
            self.problems.append((element, rule))
        self._decoder = None


_NOTHING_SET_ASIDE = SetAside(b"", [])


def _parse(data: bytes) -> tuple[etree._Element, dict[etree._Element, bytes]]:
    """The package's tree and its decoded attachments: read from the small document left when
    the large base64 texts are set aside, when every one of them was a ``ContentTransferEncoded``
    and the package is taken; else, and for a package with nothing to set aside, from the whole
    package."""
    small, aside = set_aside(data)
    parsed = _parse_small(small, aside) if len(aside) else None
    if parsed is not None:
        return parsed
    root, target = _parse_document(data, _NOTHING_SET_ASIDE)
    return root, target.files


def _parse_small(
    small: bytes, aside: SetAside
) -> tuple[etree._Element, dict[etree._Element, bytes]] | None:
    """The tree and attachments read from ``small``; None when it is refused or a set-aside
    text was not the whole text of a ``ContentTransferEncoded``."""
    try:
        root, target = _parse_document(small, aside)
    except EdxmlError:
        return None
    if target.texts_read != len(aside):
        target.files.clear()
        return None
    return root, target.files


def _parse_document(data: bytes, aside: SetAside) -> tuple[etree._Element, _PackageTarget]:
    target = _PackageTarget(aside)
    parser = etree.XMLParser(
        target=target,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise EdxmlError("/", f"the package is not well-formed XML: {error.msg}") from None
    if root is None:
        raise EdxmlError("/", "the package has no document element")
    if target.problems:
        element, rule = target.problems[0]
        raise EdxmlError(location(element), rule)
    return root, target


# Finding elements. An element with no child elements and only blanks in it is absent.


def _is_empty(element: etree._Element) -> bool:
    return len(element) == 0 and not (element.text or "").strip()


def _children(parent: etree._Element | None, name: str) -> list[etree._Element]:
    if parent is None:
        return []
    return [child for child in parent.iterchildren(qualified(name)) if not _is_empty(child)]


def _child(parent: etree._Element | None, name: str) -> etree._Element | None:
    children = _children(parent, name)
    return children[0] if children else None


def _loose_children(parent: etree._Element | None, name: str) -> list[etree._Element]:
    """``_children``, in the edXML namespace or in none: for ``AttachmentEncoded`` and what it
    holds, which real packages leave un-prefixed, sometimes without a default namespace."""
    if parent is None:
        return []
    return [child for child in parent.iterchildren(qualified(name), name) if not _is_empty(child)]


def _loose_value(parent: etree._Element, name: str) -> str | None:
    children = _loose_children(parent, name)
    return children[0].text if children else None


def _required(parent: etree._Element, name: str, why: str) -> etree._Element:
    element = _child(parent, name)
    if element is None:
        raise EdxmlError(within(parent, name), f"is missing: {why}")
    return element


def _group(parent: etree._Element, name: str, read: Callable[[etree._Element], T]) -> T | None:
    element = _child(parent, name)
    return None if element is None else read(element)


def _build(model: type[M], element: etree._Element, **values: Any) -> M:
    """``model`` from values already read; a rule the reader did not check names the element."""
    try:
        return model(**values)
    except ValidationError as error:
        first = error.errors()[0]
        where = "/".join(str(part) for part in first["loc"])
        raise EdxmlError(
            f"{location(element)}/{where}" if where else location(element), first["msg"]
        ) from None


# Reading values.


def _value(parent: etree._Element, name: str) -> str | None:
    element = _child(parent, name)
    return None if element is None else element.text


def _texts(parent: etree._Element | None, name: str) -> tuple[str, ...]:
    return tuple(element.text or "" for element in _children(parent, name))


def _identifier(element: etree._Element, check: Callable[[str], str]) -> str:
    try:
        return check((element.text or "").strip())
    except ValueError as error:
        raise EdxmlError(location(element), str(error)) from None


def _organ_id(parent: etree._Element) -> str:
    element = _required(parent, "OrganId", "it identifies the organisation")
    return _identifier(element, check_organ_id)


def _document_id(parent: etree._Element) -> str | None:
    element = _child(parent, "DocumentId")
    return None if element is None else _identifier(element, check_document_id)


def _referred_document_id(parent: etree._Element, warnings: list[ReadWarning]) -> str | None:
    """``DocumentId`` naming another document: one of the right form whose date is not on the
    calendar is kept as text, with a warning, as real packages send it."""
    element = _child(parent, "DocumentId")
    if element is None:
        return None
    text = (element.text or "").strip()
    try:
        return check_document_id(text)
    except ValueError as error:
        refusal = str(error)
    try:
        check_document_id_form(text)
    except ValueError:
        raise EdxmlError(location(element), refusal) from None
    warnings.append(
        ReadWarning(
            location(element),
            f"{text!r} names a date that is not on the calendar; kept as text, as it was sent",
        )
    )
    return text


def _date(parent: etree._Element, name: str) -> date | None:
    element = _child(parent, name)
    return None if element is None else parse_date(element.text or "", location(element))


def _timestamp(parent: etree._Element, name: str) -> datetime:
    element = _required(parent, name, "it says when")
    return parse_timestamp(element.text or "", location(element))


def _amount(parent: etree._Element, name: str) -> int | None:
    element = _child(parent, name)
    if element is None:
        return None
    text = (element.text or "").strip()
    if not (text.isascii() and text.isdigit()):
        raise EdxmlError(location(element), f"{text!r} is not a whole number of 0 or more")
    return int(text)


def _flag(parent: etree._Element, name: str) -> bool | None:
    element = _child(parent, name)
    if element is None:
        return None
    text = (element.text or "").strip().lower()
    if text in {"1", "true"}:
        return True
    if text in {"0", "false"}:
        return False
    raise EdxmlError(location(element), f"{text!r} is not a flag: 1 for yes, 0 for no")


def _code(table: CodeTable[E], element: etree._Element) -> E:
    try:
        return table.value(element.text or "", location(element))
    except MappingError as error:
        raise EdxmlError(error.field, error.rule) from None


# Reading groups.


def _organisation(element: etree._Element) -> Organisation:
    return _build(
        Organisation,
        element,
        OrganId=_organ_id(element),
        OrganizationInCharge=_value(element, "OrganizationInCharge"),
        OrganName=_value(element, "OrganName"),
        OrganAdd=_value(element, "OrganAdd"),
        Email=_value(element, "Email"),
        Telephone=_value(element, "Telephone"),
        Fax=_value(element, "Fax"),
        Website=_value(element, "Website"),
    )


def _document_reference(element: etree._Element) -> DocumentReference:
    return _build(
        DocumentReference,
        element,
        OrganId=_organ_id(element),
        Code=_value(element, "Code"),
        PromulgationDate=_date(element, "PromulgationDate"),
        DocumentId=_document_id(element),
    )


def _officer(element: etree._Element) -> Officer:
    return _build(
        Officer,
        element,
        Department=_value(element, "Department"),
        Staff=_value(element, "Staff"),
        Mobile=_value(element, "Mobile"),
        Email=_value(element, "Email"),
    )


def _message_header(element: etree._Element) -> MessageHeader:
    return _build(
        MessageHeader,
        element,
        From=_organisation(_required(element, "From", "a package names its sender")),
        To=tuple(_organisation(receiver) for receiver in _children(element, "To")),
        Code=_group(element, "Code", _document_code),
        PromulgationInfo=_group(element, "PromulgationInfo", _promulgation),
        DocumentType=_group(element, "DocumentType", _document_kind),
        Subject=_value(element, "Subject"),
        Content=_value(element, "Content"),
        SignerInfo=_group(element, "SignerInfo", _signer),
        DueDate=_date(element, "DueDate"),
        ToPlaces=_texts(_child(element, "ToPlaces"), "Place"),
        OtherInfo=_group(element, "OtherInfo", _other_details),
        ResponseFor=tuple(_document_reference(e) for e in _children(element, "ResponseFor")),
        SteeringType=_value(element, "SteeringType"),
        DocumentId=_document_id(element),
    )


def _document_code(element: etree._Element) -> DocumentCode:
    return _build(
        DocumentCode,
        element,
        CodeNumber=_value(element, "CodeNumber"),
        CodeNotation=_value(element, "CodeNotation"),
    )


def _promulgation(element: etree._Element) -> Promulgation:
    return _build(
        Promulgation,
        element,
        Place=_value(element, "Place"),
        PromulgationDate=_date(element, "PromulgationDate"),
    )


def _document_kind(element: etree._Element) -> DocumentKind:
    return _build(
        DocumentKind,
        element,
        Type=_value(element, "Type"),
        TypeDetail=_value(element, "TypeDetail"),
        TypeName=_value(element, "TypeName"),
    )


def _signer(element: etree._Element) -> Signer:
    return _build(
        Signer,
        element,
        Competence=_value(element, "Competence"),
        Position=_value(element, "Position"),
        FullName=_value(element, "FullName"),
    )


def _other_details(element: etree._Element) -> OtherDetails:
    return _build(
        OtherDetails,
        element,
        Priority=_amount(element, "Priority"),
        SphereOfPromulgation=_value(element, "SphereOfPromulgation"),
        TyperNotation=_value(element, "TyperNotation"),
        PromulgationAmount=_amount(element, "PromulgationAmount"),
        PageAmount=_amount(element, "PageAmount"),
        Appendixes=_texts(_child(element, "Appendixes"), "Appendix"),
    )


def _trace(element: etree._Element) -> Trace:
    return _build(
        Trace, element, OrganId=_organ_id(element), Timestamp=_timestamp(element, "Timestamp")
    )


def _business(element: etree._Element | None, warnings: list[ReadWarning]) -> Business:
    if element is None:
        return Business()
    doc_type = _child(element, "BussinessDocType")
    values: dict[str, Any] = {}
    if doc_type is not None:
        values["BussinessDocType"] = _code(EDXML_CODES.business_doc_type, doc_type)
    return _build(
        Business,
        element,
        **values,
        BussinessDocReason=_value(element, "BussinessDocReason"),
        BussinessDocumentInfo=_group(element, "BussinessDocumentInfo", _update_info),
        DocumentId=_referred_document_id(element, warnings),
        Paper=_flag(element, "Paper"),
        StaffInfo=_group(element, "StaffInfo", _officer),
        ReplacementInfoList=tuple(
            _replacement(item)
            for item in _children(_child(element, "ReplacementInfoList"), "ReplacementInfo")
        ),
    )


def _update_info(element: etree._Element) -> UpdateInfo:
    return _build(
        UpdateInfo,
        element,
        DocumentInfo=_flag(element, "DocumentInfo"),
        DocumentReceiver=_flag(element, "DocumentReceiver"),
        ReceiverList=tuple(
            _build(
                Receiver,
                receiver,
                OrganId=_organ_id(receiver),
                ReceiverType=_value(receiver, "ReceiverType"),
            )
            for receiver in _children(_child(element, "ReceiverList"), "Receiver")
        ),
    )


def _replacement(element: etree._Element) -> Replacement:
    replaced = _required(element, "DocumentId", "it names the replaced document")
    organisations = _required(
        element, "OrganIdList", "a replacement names who received the replaced document"
    )
    return _build(
        Replacement,
        element,
        DocumentId=_identifier(replaced, check_document_id),
        OrganIdList=tuple(
            _identifier(organ, check_organ_id) for organ in _children(organisations, "OrganId")
        ),
    )


def _status(element: etree._Element) -> StatusPackage:
    code = _required(element, "StatusCode", "a status package says what became of the document")
    return _build(
        StatusPackage,
        element,
        ResponseFor=_document_reference(
            _required(element, "ResponseFor", "a status package names the document it answers")
        ),
        From=_organisation(_required(element, "From", "a status package names its sender")),
        StaffInfo=_group(element, "StaffInfo", _officer),
        StatusCode=_code(EDXML_CODES.status, code),
        Description=_value(element, "Description"),
        Timestamp=_timestamp(element, "Timestamp"),
    )


# Attachments.


def _content_id(text: str, where: str) -> str:
    value = text.strip().removeprefix("<").removesuffix(">")
    if not value.startswith("cid:"):
        value = f"cid:{value}"
    try:
        return check_content_id(value)
    except ValueError as error:
        raise EdxmlError(where, str(error)) from None


def _attachments(
    envelope: etree._Element, root: etree._Element, files: dict[etree._Element, bytes]
) -> tuple[Attachment, ...]:
    """The manifest's references joined to the encoded attachments, in the attachments' order.

    The manifest is in ``envelope``'s body, ``AttachmentEncoded`` is ``root``'s child (the same
    element in the older form). The manifest's name, type and description win over the
    attachment's own; an attachment the manifest does not list is still read, from what it says
    of itself.
    """
    manifest = _child(_child(envelope, "edXMLBody"), "edXMLManifest")
    references: dict[str, etree._Element] = {}
    for reference in _children(manifest, "Reference"):
        content_id = _required(reference, "ContentId", "it joins the reference to its file")
        key = _content_id(content_id.text or "", location(content_id))
        if key in references:
            raise EdxmlError(location(content_id), f"{key} is listed twice in the manifest")
        references[key] = reference
    attachments: list[Attachment] = []
    for encoded_list in _loose_children(root, "AttachmentEncoded")[:1]:
        for element in _loose_children(encoded_list, "Attachment"):
            attachments.append(_attachment(element, references, files))
    if references:
        key, reference = next(iter(references.items()))
        raise EdxmlError(
            within(reference, "ContentId"),
            f"{key} has no Attachment under AttachmentEncoded: the file is missing",
        )
    return tuple(attachments)


def _attachment(
    element: etree._Element,
    references: dict[str, etree._Element],
    files: dict[etree._Element, bytes],
) -> Attachment:
    """One ``Attachment``, joined to (and taken out of) ``references`` by its ``ContentId``."""
    attribute = element.get("ContentId")
    children = _loose_children(element, "ContentId")
    if attribute is not None and attribute.strip():
        key = _content_id(attribute, f"{location(element)}/@ContentId")
    elif children:
        key = _content_id(children[0].text or "", location(children[0]))
    else:
        raise EdxmlError(
            location(element), "has no ContentId (attribute or child): it cannot be joined"
        )
    encoded = next(element.iterchildren(*_ENCODED_TAGS), None)
    if encoded is None:
        raise EdxmlError(within(element, "ContentTransferEncoded"), "is missing: the file")
    listed = references.pop(key, None)

    def described(name: str) -> str | None:
        own = _loose_value(element, name)
        return (_value(listed, name) if listed is not None else None) or own

    name = described("AttachmentName")
    if name is None:
        raise EdxmlError(within(element, "AttachmentName"), "is missing: every file is named")
    return _build(
        Attachment,
        element,
        ContentId=key,
        AttachmentName=name,
        ContentType=described("ContentType") or DEFAULT_CONTENT_TYPE,
        Description=described("Description"),
        content=files.pop(encoded, b""),
    )
