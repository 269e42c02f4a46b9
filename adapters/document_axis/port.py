"""What the gateway needs from the national document exchange axis, in its own verbs.

Packages are opaque bytes here: edXML documents and status packages, written, signed, read and
verified by ``mappings.edxml``. The axis carries them byte for byte, so a signature made before
``send_document`` still verifies after ``fetch_document`` on the other side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

SYSTEM = "document_axis"
"""How errors of this adapter name the national system (``AdapterError.system``)."""

PackageKind = Literal["document", "status"]


@dataclass(frozen=True, slots=True)
class SentDocument:
    """What the axis made of a sent package: the ``document_id`` it is known by from now on
    (``{OrganId},{yyyy/MM/dd},{number}/{notation}``) and the ``receivers`` (``OrganId``) it was
    routed to, in the axis's order."""

    document_id: str
    receivers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FetchedDocument:
    """A package waiting for us, exactly as its sender signed it.

    ``kind`` says whether ``package`` is an edXML document or a status package answering one
    of ours; ``document_id`` is the id to confirm it by.
    """

    document_id: str
    package: bytes
    kind: PackageKind


@dataclass(frozen=True, slots=True)
class Trace:
    """One step in a document's trail on the axis, as the organisation ``organ_id`` reported it:
    an edXML ``status_code`` (``"01"`` arrived ... ``"06"`` done), its ``description`` and when
    (``timestamp``, ``yyyy/MM/dd HH:mm:ss`` Vietnam time, kept as the axis wrote it)."""

    organ_id: str
    status_code: str
    description: str
    timestamp: str


@dataclass(frozen=True, slots=True)
class AxisOrganisation:
    """One organisation in the axis's directory; ``parent_id`` is None for a top-level body."""

    organ_id: str
    name: str
    parent_id: str | None


class DocumentAxis(Protocol):
    """One organisation's account on the axis.

    Every method raises only ``adapters.errors`` errors: ``PermanentError`` when the axis
    refused what was sent (a package failing the XSD names the element, an unknown receiver or
    document), ``TransientError`` when trying again later may succeed, ``AuthError`` when the
    account is refused.
    """

    async def send_document(self, package: bytes) -> SentDocument:
        """Send a signed edXML package from our organisation to every receiver it names."""
        ...

    async def pending_documents(self, limit: int | None = None) -> list[str]:
        """Ids of documents and status packages waiting for us, oldest first (at most
        ``limit``). They stay pending until confirmed, so asking again is safe."""
        ...

    async def fetch_document(self, document_id: str) -> FetchedDocument:
        """One waiting package, byte for byte as sent; fetching does not confirm it."""
        ...

    async def confirm_received(self, document_id: str) -> None:
        """Tell the axis we have stored ``document_id``: it is no longer pending for us.

        Call it only after the package is durably stored; confirming twice is harmless.
        """
        ...

    async def send_status(self, package: bytes) -> None:
        """Send a status package to the organisation whose document it answers."""
        ...

    async def traces(self, document_id: str) -> list[Trace]:
        """The status trail of one of our documents, oldest first."""
        ...

    async def organisations(self) -> list[AxisOrganisation]:
        """The directory of organisations connected to the axis."""
        ...

    async def aclose(self) -> None:
        """Release the connection pool; the adapter cannot be used afterwards."""
        ...
