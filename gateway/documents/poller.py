"""The inbound poller: documents waiting on the axis are fetched, verified, stored once, confirmed.

The order is the guarantee: a package is confirmed to the axis only after the transaction that
stored it has committed, so a crash between the two means the axis offers it again, and it is
stored once: keyed by its ``DocumentId`` (a status by document, code, sender and time), not by
the axis's id, since a sender's redelivery reaches us under a new axis id.

A package that cannot be read or whose signature does not verify is stored as rejected, with the
reason, and confirmed too: offering it again would not change it, and an operator sees it in the
inbox. A package taken in carries on its timeline, after ``received``, its signature state and
anything the reading noticed (a legacy algorithm, a value kept as text). A status package
answering one of our documents adds an event to that document's timeline: one we sent (its
receiver's answers) or one we received (its sender asking to recall or update it). A new
document is answered "arrived" (01) in the transaction that stores it (``on_arrival``), as
receivers do.

Of several replicas, one polls at a time: the one that holds the poller's lead
(``gateway.store.leader``); the others check at each tick and take over once it is free.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from adapters.document_axis import DocumentAxis, FetchedDocument
from gateway.documents import records
from gateway.documents.reading import Incoming, Unreadable
from gateway.polling import Polling
from gateway.store import Connection, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PollerConfig:
    interval: float = 5.0
    batch: int = 50


class InboundPoller(Polling):
    """The loop, the lead and the quiet failures are ``gateway.polling``'s; ``failing_since``
    says since when polling fails, for ``/readyz``."""

    what = "the document axis"

    def __init__(
        self,
        store: Store,
        axis: DocumentAxis,
        read: Callable[[bytes, str], Incoming],
        config: PollerConfig | None = None,
        *,
        on_arrival: Callable[[Connection, str], None] | None = None,
    ) -> None:
        self._config = config or PollerConfig()
        super().__init__(store, "document-axis-poller", self._config.interval)
        self._axis = axis
        self._read = read
        self._on_arrival = on_arrival

    async def poll_once(self) -> int:
        """Take in every package waiting now; returns how many were newly stored."""
        stored = 0
        for document_id in await self._axis.pending_documents(self._config.batch):
            fetched = await self._axis.fetch_document(document_id)
            if await self._store.write(partial(self._keep, fetched=fetched)):
                stored += 1
            await self._axis.confirm_received(document_id)
        return stored

    def _keep(self, connection: Connection, fetched: FetchedDocument) -> bool:
        try:
            incoming = self._read(fetched.package, fetched.kind)
            reason = None
        except Unreadable as error:
            incoming, reason = error.partial, str(error)
        new = records.store_incoming(
            connection,
            kind=fetched.kind,
            national_id=incoming.key or fetched.document_id,
            from_organ=incoming.from_organ,
            to_organs=incoming.to_organs,
            code=incoming.code,
            subject=incoming.subject,
            business=incoming.business,
            package=fetched.package,
            reason=reason,
            notes=incoming.notes,
        )
        if new is None or reason is not None:
            return new is not None
        if incoming.status is None:
            if self._on_arrival is not None:
                self._on_arrival(connection, new)
            return True
        status = incoming.status
        answered = records.find_by_national_id(
            connection, "outgoing", status.document_id
        ) or records.find_by_national_id(connection, "incoming", status.document_id)
        if answered is None:
            log.warning("a status package answers %s, unknown here", status.document_id)
            return True
        records.record_event(connection, answered.id, status.event)
        return True
