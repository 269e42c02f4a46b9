"""Reporting the province's handling of a submission back: recorded and queued in one
transaction, delivered in order by the worker (``gateway.delivery.linked_services``).

A status is refused here, before anything is queued, when it cannot be sent: the gateway does
not hold the submission (``UnknownDossier``), it set it aside (``SetAside``), a final status
(handed over, refused) was reported before (``AlreadyFinal``), or the one-stop system's own code
is not known (``ProvinceCodeNeeded``) or differs from the one it gave first
(``ProvinceCodeDiffers``). The first status needs ``province_code``; the gateway keeps it for
the later ones and across a resubmission. Reporting a status takes a submission still waiting in
the inbox, as an acknowledgement would.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection

from gateway import outbox
from gateway.linked_dossiers import records
from gateway.linked_dossiers.records import LinkedState
from mappings.linked_services import Handling, StatusReport, to_wire_status

TARGET = "linked_services"
STATUS = "status"


class StatusRefused(Exception):
    """A status that cannot be sent for ``code``; the message says why and what to do."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class UnknownDossier(StatusRefused):
    def __init__(self, code: str) -> None:
        super().__init__(code, f"the gateway holds no inter-connected submission {code!r}")


class SetAside(StatusRefused):
    def __init__(self, code: str, reason: str | None) -> None:
        super().__init__(
            code, f"submission {code!r} was set aside, not taken: {reason or 'no reason kept'}"
        )


class AlreadyFinal(StatusRefused):
    def __init__(self, code: str, status: str) -> None:
        super().__init__(
            code, f"submission {code!r} already has its final status ({status}); none may follow"
        )


class ProvinceCodeNeeded(StatusRefused):
    def __init__(self, code: str) -> None:
        super().__init__(
            code,
            f"the first status of {code!r} needs province_code, the one-stop system's own code",
        )


class ProvinceCodeDiffers(StatusRefused):
    def __init__(self, code: str, kept: str, given: str) -> None:
        super().__init__(
            code,
            f"submission {code!r} is known to the national system as the province's {kept!r}, "
            f"not {given!r}",
        )
        self.kept = kept


@dataclass(frozen=True, slots=True)
class Queued:
    code: str
    status: Handling
    queued: int
    province_code: str


def report_status(
    connection: Connection, code: str, report: StatusReport, *, handling_agency: int
) -> Queued:
    """Record ``report`` about submission ``code`` and queue its national row."""
    held = records.find(connection, code)
    if held is None:
        raise UnknownDossier(code)
    if held.state is LinkedState.set_aside:
        raise SetAside(code, held.reason)
    if held.status is not None and Handling(held.status).final:
        raise AlreadyFinal(code, held.status)
    province_code = held.province_code or report.province_code
    if province_code is None:
        raise ProvinceCodeNeeded(code)
    if report.province_code is not None and report.province_code != province_code:
        raise ProvinceCodeDiffers(code, province_code, report.province_code)
    at = report.at or datetime.now(UTC)
    wire = to_wire_status(
        code=code,
        procedure_code=held.procedure_code,
        province_code=province_code,
        report=report,
        at=at,
        handling_agency=handling_agency,
    )
    if held.state is LinkedState.new:
        records.take(connection, code)
    (row,) = outbox.enqueue(
        connection,
        [
            outbox.NewEvent(
                TARGET,
                STATUS,
                code,
                wire.model_dump_json(exclude_none=True),
                f"{TARGET}:{code}:{STATUS}:{uuid.uuid4().hex}",
            )
        ],
    )
    records.reported(
        connection,
        held,
        status=report.status.value,
        province_code=province_code,
        supplement=report.status is Handling.supplement_requested,
        outbox_event=row,
        at=at.timestamp(),
        note=report.note,
    )
    return Queued(code, report.status, row, province_code)
