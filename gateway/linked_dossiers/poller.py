"""The poller of inter-connected submissions: listed, fetched, stored once, then acknowledged.

The order is the guarantee: a submission is acknowledged to the national system only after the
transaction that stored it has committed, so a gateway killed between the two finds it listed
again at its next poll, already held, and acknowledges it then: nothing lost, nothing stored
twice (the DVCLT code is the key). For each submission listed:

- not held: fetched, judged (``mappings.linked_services``: its module, procedure and unit
  against ``LinkedServicesConfig``, then its form and attachments read), stored; one the gateway
  cannot take is kept aside with the reason, visible to operators, and **not** acknowledged, so
  the national system keeps offering it;
- held and waiting for a supplement (the province reported ``supplement_requested``): this is
  the citizen's resubmission; fetched again, the new content replaces the old (the province's
  code stays), the submission is back in the inbox, and it is acknowledged (content identical
  to what is held is only acknowledged again);
- held and set aside: judged again from what is stored, so a submission the configuration now
  allows is taken (and acknowledged) without being fetched again;
- held otherwise: an earlier acknowledgement was lost; acknowledged again.

A submission newly in the inbox (new or resubmitted) queues a webhook in the transaction that
stores it (``gateway.webhooks``). A failure of the national system ends the poll; the next one
picks up where it stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from adapters.errors import PermanentError
from adapters.linked_services import LinkedServices
from gateway.linked_dossiers import records
from gateway.linked_dossiers.records import LinkedRecord, LinkedState, Taken
from gateway.polling import Polling
from gateway.store import Connection, Store
from gateway.webhooks import InboxEvent, Webhooks
from mappings.errors import MappingError
from mappings.linked_services import (
    Acceptance,
    ListedSubmission,
    SubmissionDetail,
    attachment_content,
    read_submission,
)

log = logging.getLogger(__name__)

JOB = "linked-services-poller"


@dataclass(slots=True)
class PollReport:
    """What one poll did, by submission code."""

    stored: list[str] = field(default_factory=list)
    resubmitted: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)


def judge(detail: SubmissionDetail, acceptance: Acceptance) -> Taken:
    """``detail`` as the gateway takes it, or with the reason it cannot."""
    reason = acceptance.refusal(module=detail.module, procedure=detail.maTTHC, unit=detail.maDonVi)
    if reason is None:
        try:
            submission, contents = read_submission(detail)
        except MappingError as error:
            reason = f"the submission cannot be read: {error}"
        else:
            return Taken(detail, submission, contents)
    return Taken(detail, None, _raw_contents(detail), reason)


def _raw_contents(detail: SubmissionDetail) -> list[bytes]:
    """The attachments' bytes as far as they are base64; one that is not is kept empty."""
    found = []
    for index, file in enumerate(detail.fileDinhKem):
        try:
            found.append(attachment_content(file.duLieuTepDinhKem, f"fileDinhKem[{index}]"))
        except MappingError:
            found.append(b"")
    return found


def inbox_event(record: LinkedRecord, kind: str) -> InboxEvent:
    return InboxEvent(
        type=f"dossier.{kind}",
        kind="dossier",
        item=record.code,
        link=f"/v1/inbox/dossiers/{record.code}",
        data={
            "module": record.module,
            "procedure_code": record.procedure_code,
            "unit_code": record.unit_code,
            "version": record.version,
        },
    )


class LinkedPoller(Polling):
    what = "inter-connected submissions"

    def __init__(
        self,
        store: Store,
        linked: LinkedServices,
        acceptance: Callable[[], Acceptance],
        webhooks: Webhooks,
        *,
        interval: float = 5.0,
    ) -> None:
        super().__init__(store, JOB, interval)
        self._linked = linked
        self._acceptance = acceptance
        self._webhooks = webhooks

    async def poll_once(self) -> PollReport:
        """Take in every submission listed now."""
        report = PollReport()
        for listed in await self._linked.pending():
            if await self._take(listed, report):
                await self._acknowledge(listed.maHoSo, report)
        return report

    async def _take(self, listed: ListedSubmission, report: PollReport) -> bool:
        """Store what ``listed`` brings, if anything; whether to acknowledge it."""
        held = await self._store.read(lambda c: records.find(c, listed.maHoSo))
        if held is not None and held.state is LinkedState.set_aside:
            stored = await self._store.read(partial(records.stored_detail, held=held))
            taken = judge(stored, self._acceptance())
            if taken.reason is not None:
                return False
            kept = await self._store.write(partial(self._replace, held=held, taken=taken))
            if kept is not None:
                report.stored.append(listed.maHoSo)
            return kept is not None
        if held is not None and not held.awaiting_supplement:
            return True
        detail = await self._linked.fetch(listed.id)
        if detail is None:
            log.info("%s was listed but is no longer there", listed.maHoSo)
            return False
        if detail.maHoSo != listed.maHoSo:
            log.warning("the detail of %s is of %s; left for later", listed.maHoSo, detail.maHoSo)
            return False
        if held is not None:
            stored = await self._store.read(partial(records.stored_detail, held=held))
            if stored == detail:
                return True
        taken = judge(detail, self._acceptance())
        if held is None:
            kept = await self._store.write(
                partial(self._store_new, submission_id=listed.id, taken=taken)
            )
            if kept is None:
                return True
            (report.set_aside if taken.reason else report.stored).append(listed.maHoSo)
            if taken.reason:
                log.warning("submission %s set aside: %s", listed.maHoSo, taken.reason)
            return taken.reason is None
        kept = await self._store.write(partial(self._replace, held=held, taken=taken))
        if kept is None:
            return False
        (report.set_aside if taken.reason else report.resubmitted).append(listed.maHoSo)
        return taken.reason is None

    def _store_new(
        self, connection: Connection, submission_id: str, taken: Taken
    ) -> LinkedRecord | None:
        stored = records.store_new(connection, submission_id, taken)
        if stored is not None and stored.state is LinkedState.new:
            self._webhooks.queue(connection, inbox_event(stored, "received"))
        return stored

    def _replace(
        self, connection: Connection, held: LinkedRecord, taken: Taken
    ) -> LinkedRecord | None:
        stored = records.replace(connection, held, taken)
        if stored is not None and stored.state is LinkedState.new:
            kind = "received" if held.state is LinkedState.set_aside else "resubmitted"
            self._webhooks.queue(connection, inbox_event(stored, kind))
        return stored

    async def _acknowledge(self, code: str, report: PollReport) -> None:
        try:
            answer = await self._linked.acknowledge(code)
        except PermanentError as error:
            refused = f"the system refused it: {error.reason}"
            log.warning("the acknowledgement of %s was refused: %s", code, error.reason)
            await self._store.write(
                lambda c: records.event(c, code, "acknowledged", description=refused)
            )
            return
        await self._store.write(
            lambda c: records.national_acknowledged(c, code, answer.said, answer.final)
        )
        report.acknowledged.append(code)
