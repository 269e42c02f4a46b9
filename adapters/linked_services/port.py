"""What the gateway needs from the inter-connected services (DVCLT), in its own verbs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mappings.linked_services import ListedSubmission, SubmissionDetail, WireStatus

SYSTEM = "linked_services"
"""How errors of this adapter name the national system (``AdapterError.system``)."""


@dataclass(frozen=True, slots=True)
class Answer:
    """What the national system said to an acknowledgement or a status, when it is done with
    it: ``said`` as it wrote it; ``final`` when it was not a success but a verdict that repeating
    cannot change (the dossier is refused, already exists, does not exist, already has its
    result)."""

    said: str
    final: bool = False


class LinkedServices(Protocol):
    """The inter-connected services, as the province's account sees them.

    Every method raises only ``adapters.errors`` errors: ``TransientError`` when trying again
    later may succeed (an outage, a reply saying to retry, or any reply it cannot tell; also
    while the circuit breaker is open), ``AuthError`` when it refuses the account,
    ``PermanentError`` when it refuses the content (``logic xử lý không hợp lệ``).
    """

    async def pending(self) -> list[ListedSubmission]:
        """The submissions waiting for the province: those it has not acknowledged."""
        ...

    async def fetch(self, submission_id: str) -> SubmissionDetail | None:
        """One submission in full (form and attachments), by the list's ``id``; None when the
        system no longer holds it."""
        ...

    async def acknowledge(self, code: str) -> Answer:
        """Tell the system the province has submission ``code`` (the DVCLT code) safely."""
        ...

    async def send_status(self, status: WireStatus) -> Answer:
        """Report one step of the province's handling."""
        ...

    async def aclose(self) -> None:
        """Release the connection pool; the adapter cannot be used afterwards."""
        ...
