"""The identifiers of edXML: organisations, documents and attachments.

These are where a reader is strict: a package routed, answered or joined by a wrong identifier
goes to the wrong place silently. Each check returns the value unchanged or raises ``ValueError``
whose message is the rule, so that pydantic reports it against the field, and the reader turns it
into an ``EdxmlError`` naming the element. Digits are ASCII only and a value matches in full; the
patterns are the ones ``edxml.xsd`` declares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from mappings.edxml.dates import format_date

ORGAN_ID_RULE = "an OrganId has the form V1V2V3.Z1Z2.Y1Y2.Hnn, e.g. 000.00.00.G22"
DOCUMENT_ID_RULE = (
    "a DocumentId has the form {OrganId},{yyyy/MM/dd},{number}/{notation}, "
    "e.g. 000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"
)
CONTENT_ID_RULE = "a ContentId has the form cid:{id}, without blanks, e.g. cid:3f2a"

_ORGAN_ID = r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}"
_ORGAN_ID_RE = re.compile(_ORGAN_ID)
_DOCUMENT_ID_RE = re.compile(
    rf"(?P<organ>{_ORGAN_ID}),(?P<year>[0-9]{{4}})/(?P<month>[0-9]{{2}})/(?P<day>[0-9]{{2}}),"
    r"(?P<number>[^,/ \t\n\r]+)/(?P<notation>[^, \t\n\r](?:[^,]*[^, \t\n\r])?)"
)
_CONTENT_ID_RE = re.compile(r"cid:[^ \t\n\r]+")


def check_organ_id(value: str) -> str:
    if not _ORGAN_ID_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not an OrganId: {ORGAN_ID_RULE}")
    return value


def check_document_id(value: str) -> str:
    DocumentIdentifier.parse(value)
    return value


def check_document_id_form(value: str) -> str:
    """``value`` if it has the form of a ``DocumentId``, its date on the calendar or not.

    Real packages carry identifiers such as ``000.00.00.G22,2014/02/30,12/VPCP``: what they name
    is still clear, and a reader may keep them as text where they only refer to another document.
    Anywhere an identifier is made or written, ``check_document_id`` applies.
    """
    if not _DOCUMENT_ID_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a DocumentId: {DOCUMENT_ID_RULE}")
    return value


def check_content_id(value: str) -> str:
    if not _CONTENT_ID_RE.fullmatch(value):
        raise ValueError(f"{value!r} is not a ContentId: {CONTENT_ID_RULE}")
    return value


@dataclass(frozen=True)
class DocumentIdentifier:
    """A ``DocumentId`` taken apart: who sent the document, when it was promulgated, its code.

    ``str()`` gives the ``DocumentId`` back, so ``DocumentIdentifier.parse(text)`` round-trips
    every valid identifier.
    """

    OrganId: str
    PromulgationDate: date
    CodeNumber: str
    CodeNotation: str

    def __post_init__(self) -> None:
        match = _DOCUMENT_ID_RE.fullmatch(str(self))
        if match is None or (match["number"], match["notation"]) != (
            self.CodeNumber,
            self.CodeNotation,
        ):
            raise ValueError(f"{str(self)!r} is not a DocumentId: {DOCUMENT_ID_RULE}")

    @classmethod
    def parse(cls, text: str) -> DocumentIdentifier:
        """The parts of ``text``; ``ValueError`` with the rule if it is not a ``DocumentId``."""
        match = _DOCUMENT_ID_RE.fullmatch(text)
        if match is None:
            raise ValueError(f"{text!r} is not a DocumentId: {DOCUMENT_ID_RULE}")
        try:
            promulgated = date(int(match["year"]), int(match["month"]), int(match["day"]))
        except ValueError:
            raise ValueError(
                f"{text!r} is not a DocumentId: its date is not on the calendar; {DOCUMENT_ID_RULE}"
            ) from None
        return cls(match["organ"], promulgated, match["number"], match["notation"])

    def __str__(self) -> str:
        return (
            f"{self.OrganId},{format_date(self.PromulgationDate)},"
            f"{self.CodeNumber}/{self.CodeNotation}"
        )
