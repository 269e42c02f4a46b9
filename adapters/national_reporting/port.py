"""What the gateway needs from the national reporting system, in its own verbs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from mappings.national_reporting import BaoCao

SYSTEM = "national_reporting"
"""How errors of this adapter name the national system (``AdapterError.system``)."""


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the system gave for a report it took: its id of the submission, how many reports
    of that template, period and unit it has taken (1 for the first), and when."""

    id: str
    submission: int
    received_at: datetime
    request_id: str = ""


class NationalReporting(Protocol):
    """The national reporting system, as the province's client sees it.

    Every method raises only ``adapters.errors`` errors: ``TransientError`` when trying again
    later may succeed (an outage, 5xx, 429, or a reply it cannot read; also while the circuit
    breaker is open), ``AuthError`` when it refuses the client, ``RefusedError`` (permanent)
    when it refuses the report's content, naming the field and the rule it gave.
    """

    async def submit_report(self, report: BaoCao) -> Receipt:
        """Submit one report. Sending the same ``MaYeuCau`` again is safe: the system answers
        the receipt it gave the first time."""
        ...

    async def receipts(self, unit: str | None = None) -> list[Receipt]:
        """The receipts of the reports the system holds (of ``unit``, when given)."""
        ...

    async def aclose(self) -> None:
        """Release the connection pool; the adapter cannot be used afterwards."""
        ...
