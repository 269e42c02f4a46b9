"""What the gateway needs to know of a received package, read and verified by ``mappings.edxml``.

``Incoming`` is the part of a package the store keeps beside its bytes (who, to whom, which
document, about what), for a status package the event it adds to a timeline, and the notes that
go on the received document's own timeline: its signature state (``signature_verified``,
``signature_unsigned``, ``signature_unverifiable``, ``signature_not_checked``), the legacy
algorithms it was signed with (``signature_legacy``) and what the reader kept though a strict
reader would not (``read_warning``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from gateway.documents.records import Event, Note
from mappings.edxml.codes import EDXML_CODES
from mappings.edxml.package import Package, StatusPackage
from mappings.edxml.reader import ReadWarning, read_package_with_warnings
from mappings.edxml.signature import SignatureMode, Verification, verify_package
from mappings.errors import MappingError

SIGNATURE_LEGACY = "signature_legacy"
"""The timeline's note that a package was signed with legacy (SHA-1) algorithms."""
READ_WARNING = "read_warning"
"""The timeline's note of something the reader kept that a strict reader would refuse."""


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
    notes: tuple[Note, ...] = ()
    """For the received package's own timeline, after ``received``."""


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


def signature_notes(verification: Verification) -> tuple[Note, ...]:
    """The signature's state, and the weak algorithms it uses, as timeline notes."""
    state = verification.state
    detail = verification.signer if verification.verified else verification.unverifiable
    notes = [Note(f"signature_{state.value}", detail)]
    if verification.weak_algorithms:
        notes.append(
            Note(
                SIGNATURE_LEGACY,
                "signed with legacy algorithms: " + ", ".join(verification.weak_algorithms),
            )
        )
    return tuple(notes)


def warning_notes(warnings: tuple[ReadWarning, ...]) -> tuple[Note, ...]:
    return tuple(Note(READ_WARNING, str(warning)) for warning in warnings)


def package_reader(
    *,
    trust_anchors: Sequence[bytes],
    mode: SignatureMode,
    max_bytes: int,
    allow_legacy: bool,
) -> Callable[[bytes, str], Incoming]:
    """Read, then verify, a received package; ``Unreadable`` says why one is refused.

    ``allow_legacy`` accepts signatures made with SHA-1 (legacy senders), noting it on the
    timeline; an unverifiable signature (its certificate unreadable) is kept as such under
    ``verify_if_present`` and refused under ``required``.
    """

    def read(package: bytes, kind: str) -> Incoming:
        try:
            reading = read_package_with_warnings(package, max_bytes=max_bytes)
            incoming = summarise(reading.package)
        except MappingError as error:
            raise Unreadable(f"not a valid edXML {kind} package: {error}") from None
        try:
            verification = verify_package(
                package, trust_anchors=trust_anchors, mode=mode, allow_legacy=allow_legacy
            )
        except MappingError as error:
            raise Unreadable(f"signature refused: {error}", incoming) from None
        notes = signature_notes(verification) + warning_notes(reading.warnings)
        return replace(incoming, notes=notes)

    return read
