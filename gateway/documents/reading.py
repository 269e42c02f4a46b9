"""What the gateway needs to know of a received package, read and verified by ``mappings.edxml``.

``Incoming`` is the part of a package the store keeps beside its bytes (who, to whom, which
document, about what) and, for a status package, the event it adds to a timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from gateway.documents.records import Event
from mappings.edxml.codes import EDXML_CODES
from mappings.edxml.package import Package, StatusPackage
from mappings.edxml.reader import read_package
from mappings.edxml.signature import SignatureMode, verify_package
from mappings.errors import MappingError


@dataclass(frozen=True, slots=True)
class StatusInfo:
    document_id: str
    """The DocumentId of the document the status is about."""
    event: Event


@dataclass(frozen=True, slots=True)
class Incoming:
    key: str | None = None
    """What makes this package the same as one received before, whatever id the axis gave it:
    a document's ``DocumentId``; for a status, the document, code, sender and time."""
    from_organ: str = ""
    to_organs: list[str] = field(default_factory=list)
    code: str = ""
    subject: str = ""
    business: str = "new"
    status: StatusInfo | None = None


class Unreadable(ValueError):
    """A package that cannot be taken in: malformed, invalid, or its signature refused.
    ``partial`` holds what could be read of it, for the record of the rejection."""

    def __init__(self, reason: str, partial: Incoming | None = None) -> None:
        super().__init__(reason)
        self.partial = partial or Incoming()


def display_status(status: str) -> str:
    """The timeline's word for a stored status: the answers to a recall read as such."""
    return {
        "recall_or_update_agreed": "recalled",
        "recall_or_update_refused": "recall_refused",
    }.get(status, status)


def summarise(package: Package | StatusPackage) -> Incoming:
    if isinstance(package, StatusPackage):
        answered = package.ResponseFor
        code = EDXML_CODES.status.code(package.StatusCode, "StatusCode")
        stamp = package.Timestamp.isoformat()
        return Incoming(
            key=f"{answered.DocumentId}#{code}#{package.From.OrganId}#{stamp}",
            from_organ=package.From.OrganId,
            to_organs=[answered.OrganId],
            code=answered.Code or "",
            subject=f"{package.StatusCode.value} ({code}) about {answered.DocumentId}",
            status=StatusInfo(
                document_id=answered.DocumentId or "",
                event=Event(
                    package.StatusCode.value,
                    package.Timestamp.timestamp(),
                    code=code,
                    organ_id=package.From.OrganId,
                    description=package.Description,
                ),
            ),
        )
    header = package.header
    numbered = header.Code
    return Incoming(
        key=header.DocumentId,
        from_organ=header.From.OrganId,
        to_organs=[to.OrganId for to in header.To],
        code=f"{numbered.CodeNumber or ''}/{numbered.CodeNotation or ''}" if numbered else "",
        subject=header.Subject or "",
        business=package.business.BussinessDocType.value,
    )


def package_reader(
    *, trust_anchors: Sequence[bytes], mode: SignatureMode, max_bytes: int
) -> Callable[[bytes, str], Incoming]:
    """Read, then verify, a received package; ``Unreadable`` says why one is refused."""

    def read(package: bytes, kind: str) -> Incoming:
        try:
            incoming = summarise(read_package(package, max_bytes=max_bytes))
        except MappingError as error:
            raise Unreadable(f"not a valid edXML {kind} package: {error}") from None
        try:
            verify_package(package, trust_anchors=trust_anchors, mode=mode)
        except MappingError as error:
            raise Unreadable(f"signature refused: {error}", incoming) from None
        return incoming

    return read
