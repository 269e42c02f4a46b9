"""Land dossiers between the one-stop system and the land office: forwarded, followed, answered.

- **Forwarding.** Every dossier the gateway holds whose procedure is a land procedure
  (``LandRegistryConfig.procedures``) becomes a land dossier once: its ``TiepNhanHoSo`` is made
  from its snapshot and queued in the outbox in the transaction that records it, so nothing
  accepted is lost (``forward_new``, run by the poller; a dossier accepted before the land system
  was configured is picked up the same way). One the land system's format cannot carry is kept
  ``unforwardable`` with the reason, visible to operators and the one-stop system.
- **Following.** The poller asks the land office about each forwarded dossier it has not
  finished with (``pull``), least recently asked first: a change of status, of what it asks the
  applicant for, or of its results is a new version in the inbox and an event of the dossier's
  timeline, and queues a webhook in the same transaction.
- **Answering.** The one-stop system reports that the applicant supplied what was asked
  (``supplement``) and that the result was handed over (``handover``); each is queued behind
  what was sent before for that dossier.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from functools import partial

from sqlalchemy import Connection

from adapters.errors import PermanentError
from adapters.land_registry import LandRegistry, LandRegistryConfig
from gateway.land import records
from gateway.land.records import HANDOVER, SUPPLEMENT, LandRecord, LandState
from gateway.store import Store
from gateway.webhooks import InboxEvent, Webhooks
from mappings.dossier import Dossier
from mappings.errors import MappingError
from mappings.land_registry import (
    Handover,
    LandProgress,
    LandStatus,
    Supplement,
    receipt_of,
    to_wire_handover,
    to_wire_intake,
    to_wire_supplement,
)

log = logging.getLogger(__name__)

INBOX = "/v1/inbox/land"


class LandRefused(Exception):
    """What the one-stop system asked cannot be done for ``code``; the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class UnknownLandDossier(LandRefused):
    def __init__(self, code: str) -> None:
        super().__init__(
            code,
            f"the gateway holds no land dossier {code!r}: push a dossier of a land procedure "
            "with POST /v1/dossiers first",
        )


class NotInStatus(LandRefused):
    def __init__(self, code: str, what: str, wanted: LandStatus, status: LandStatus | None) -> None:
        now = status.value if status else "no status yet"
        super().__init__(
            code,
            f"land dossier {code!r} takes a {what} only while the land office's status is "
            f"{wanted.value}; it is {now}",
        )


@dataclass(slots=True)
class PullReport:
    """What one poll did, by dossier code."""

    forwarded: list[str] = field(default_factory=list)
    unforwardable: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def inbox_event(record: LandRecord) -> InboxEvent:
    return InboxEvent(
        type="land.status_changed",
        kind="land",
        item=record.code,
        link=f"{INBOX}/{record.code}",
        data={
            "status": record.status.value if record.status else None,
            "procedure_code": record.procedure_code,
            "version": record.version,
        },
    )


class LandDossiers:
    def __init__(
        self, store: Store, land: LandRegistry, config: LandRegistryConfig, webhooks: Webhooks
    ) -> None:
        self._store = store
        self._land = land
        self.config = config
        self._webhooks = webhooks

    async def forward_new(self, report: PullReport) -> None:
        """Queue the ``TiepNhanHoSo`` of every land dossier not forwarded yet (a batch)."""
        procedures = self.config.procedure_codes()
        batch = self.config.poll_batch
        found = await self._store.read(lambda c: records.unforwarded(c, procedures, batch))
        if found:
            await self._store.write(partial(self._forward, found=found, report=report))

    def _forward(
        self, connection: Connection, found: list[tuple[str, str]], report: PullReport
    ) -> None:
        office = self.config.office()
        for code, snapshot in found:
            dossier = Dossier.model_validate_json(snapshot)
            receipt = receipt_of(dossier)
            try:
                payload = to_wire_intake(dossier, office).model_dump_json(exclude_none=True)
            except MappingError as error:
                reason = f"the land system cannot take it: {error}"
                if records.set_unforwardable(
                    connection, code, dossier.procedure.code, receipt, reason
                ):
                    report.unforwardable.append(code)
                continue
            if records.queue_forward(connection, code, dossier.procedure.code, receipt, payload):
                report.forwarded.append(code)

    async def pull(self, report: PullReport) -> None:
        """Ask the land office about the dossiers it has not finished with (a batch)."""
        due = await self._store.read(lambda c: records.due_for_check(c, self.config.poll_batch))
        for held in due:
            try:
                progress = await self._land.progress(held.receipt)
            except PermanentError as error:
                reason = error.reason
                report.unreadable.append(held.code)
                log.warning(
                    "the land office's answer about %s cannot be read: %s", held.code, reason
                )
                await self._store.write(partial(self._unreadable, code=held.code, reason=reason))
                continue
            if progress is None:
                report.unknown.append(held.code)
                log.warning("the land office holds no dossier %s (%s)", held.code, held.receipt)
                await self._store.write(partial(records.checked, codes=[held.code], at=time.time()))
                continue
            changed = await self._store.write(partial(self._pulled, held=held, progress=progress))
            if changed is not None:
                report.changed.append(held.code)

    def _unreadable(self, connection: Connection, code: str, reason: str) -> None:
        records.note_unreadable(connection, code, reason)
        records.checked(connection, [code], time.time())

    def _pulled(
        self, connection: Connection, held: LandRecord, progress: LandProgress
    ) -> LandRecord | None:
        records.checked(connection, [held.code], time.time())
        changed = records.pulled(connection, held, progress)
        if changed is not None:
            self._webhooks.queue(connection, inbox_event(changed))
        return changed

    def supplement(self, connection: Connection, code: str, supplement: Supplement) -> int:
        """Queue the applicant's supplement of land dossier ``code``; its outbox row."""
        held = self._answerable(connection, code, "supplement", LandStatus.supplement_requested)
        wire = to_wire_supplement(held.receipt, supplement)
        described = (
            f"{len(supplement.documents)} documents; due {supplement.new_due_at.isoformat()}"
        )
        return records.queue_command(
            connection, held, SUPPLEMENT, wire.model_dump_json(exclude_none=True), described
        )

    def handover(self, connection: Connection, code: str, handover: Handover) -> int:
        """Queue the handover of land dossier ``code``'s result; its outbox row."""
        held = self._answerable(connection, code, "handover", LandStatus.resolved)
        wire = to_wire_handover(held.receipt, handover.at)
        return records.queue_command(
            connection,
            held,
            HANDOVER,
            wire.model_dump_json(exclude_none=True),
            f"handed over {handover.at.isoformat()}",
        )

    def _answerable(
        self, connection: Connection, code: str, what: str, wanted: LandStatus
    ) -> LandRecord:
        held = records.find(connection, code)
        if held is None:
            raise UnknownLandDossier(code)
        if held.state is LandState.unforwardable:
            raise LandRefused(
                code, f"land dossier {code!r} was not forwarded: {held.reason or 'no reason kept'}"
            )
        if held.status is not wanted:
            raise NotInStatus(code, what, wanted, held.status)
        return held
