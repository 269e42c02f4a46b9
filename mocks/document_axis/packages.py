"""What the axis reads from an edXML package: who sends it, to whom, which document it answers.

Fields are found by namespace, never by prefix, and by descendant search rather than full
paths, so the mock depends on the package's nesting no further than the schema does: the same
searches read both forms ``edxml.xsd`` admits, the document element ``edXML`` holding the
envelope and the attachments beside it (QCVN 102:2016), and the older form with the envelope as
document element, which the axis still accepts as a tolerant hub does. Packages are read only
after they pass ``edxml.xsd``, which puts a status package's fields in its ``Status`` element
(the variant of real packages with status fields in ``MessageHeader`` is refused by the schema
before it gets here). Text is stripped and NFC-normalised; an empty
element counts as absent.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from lxml import etree

from mocks.document_axis.contract import EDXML_NS

_NS = {"e": EDXML_NS}


def _compiled(path: str) -> etree.XPath:
    return etree.XPath(path, namespaces=_NS)


_STATUS = _compiled("//e:Status")
_FROM = _compiled("//e:From/e:OrganId")
_TO = _compiled("//e:To/e:OrganId")
_DOCUMENT_ID = _compiled("//e:MessageHeader/e:DocumentId")
_STATUS_FIELD = {
    name: _compiled(f"//e:Status/e:{name}") for name in ("StatusCode", "Description", "Timestamp")
}
_RESPONSE_FOR = {
    name: _compiled(f"//e:Status/e:ResponseFor/e:{name}")
    for name in ("DocumentId", "OrganId", "Code", "PromulgationDate")
}


def _texts(path: etree.XPath, root: etree._Element) -> list[str]:
    found = path(root)
    assert isinstance(found, list)
    texts: list[str] = []
    for node in found:
        if isinstance(node, etree._Element):
            text = unicodedata.normalize("NFC", "".join(node.itertext()).strip())
            if text:
                texts.append(text)
    return texts


def _first(path: etree.XPath, root: etree._Element) -> str | None:
    texts = _texts(path, root)
    return texts[0] if texts else None


def is_status_package(root: etree._Element) -> bool:
    """Whether the package is a status package (its header holds a ``Status``)."""
    found = _STATUS(root)
    return isinstance(found, list) and bool(found)


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """The routing facts of a document package."""

    sender: str | None
    receivers: tuple[str, ...]
    document_id: str | None


@dataclass(frozen=True, slots=True)
class StatusFacts:
    """The facts of a status package: who says what about which document."""

    sender: str | None
    status_code: str | None
    description: str | None
    timestamp: str | None
    response_for_document_id: str | None
    response_for_organ_id: str | None
    response_for_code: str | None
    response_for_date: str | None

    @property
    def answered(self) -> str | None:
        """The id of the document answered: ``ResponseFor/DocumentId``, or else the one its
        issuer, promulgation date and code make (``{OrganId},{yyyy/MM/dd},{number}/{notation}``).
        """
        if self.response_for_document_id is not None:
            return self.response_for_document_id
        parts = (self.response_for_organ_id, self.response_for_date, self.response_for_code)
        if any(part is None for part in parts):
            return None
        return ",".join(part for part in parts if part is not None)


def document_facts(root: etree._Element) -> DocumentFacts:
    """Sender, receivers (each once, in package order) and ``DocumentId`` of a document."""
    receivers = tuple(dict.fromkeys(_texts(_TO, root)))
    return DocumentFacts(
        sender=_first(_FROM, root), receivers=receivers, document_id=_first(_DOCUMENT_ID, root)
    )


def status_facts(root: etree._Element) -> StatusFacts:
    return StatusFacts(
        sender=_first(_FROM, root),
        status_code=_first(_STATUS_FIELD["StatusCode"], root),
        description=_first(_STATUS_FIELD["Description"], root),
        timestamp=_first(_STATUS_FIELD["Timestamp"], root),
        response_for_document_id=_first(_RESPONSE_FOR["DocumentId"], root),
        response_for_organ_id=_first(_RESPONSE_FOR["OrganId"], root),
        response_for_code=_first(_RESPONSE_FOR["Code"], root),
        response_for_date=_first(_RESPONSE_FOR["PromulgationDate"], root),
    )
