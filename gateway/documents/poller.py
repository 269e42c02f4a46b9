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

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from adapters.document_axis import DocumentAxis, FetchedDocument
from adapters.errors import AdapterError
from gateway.documents import records
from gateway.documents.reading import Incoming, Unreadable
from gateway.store import Connection, Store
from gateway.store.leader import Leadership

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PollerConfig:
    interval: float = 5.0
    batch: int = 50


class InboundPoller:
    def __init__(
        self,
        store: Store,
        axis: DocumentAxis,
        read: Callable[[bytes, str], Incoming],
        config: PollerConfig | None = None,
        *,
        on_arrival: Callable[[Connection, str], None] | None = None,
    ) -> None:
        self._store = store
        self._axis = axis
        self._read = read
        self._on_arrival = on_arrival
        self._config = config or PollerConfig()
        self._stopping = asyncio.Event()
        self.leadership = Leadership(store, "document-axis-poller")
        self.failing_since: float | None = None
        """When polling started failing (monotonic), None while it works: for ``/readyz``."""

    async def run(self) -> None:
        try:
            while not self._stopping.is_set():
                if await self.leadership.lead():
                    await self._tick()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self._config.interval)
        finally:
            await self.leadership.resign()

    async def _tick(self) -> None:
        try:
            await self.poll_once()
        except AdapterError as error:
            self._failed(str(error))
        except Exception as error:
            log.exception("polling the document axis failed; trying again later")
            self._failed(f"{type(error).__name__}: {error}")
        else:
            if self.failing_since is not None:
                log.info("the document axis answers again; polling goes on")
            self.failing_since = None

    async def stop(self) -> None:
        self._stopping.set()

    def _failed(self, reason: str) -> None:
        """Say so once when polling starts failing, not at every poll of an outage."""
        if self.failing_since is None:
            self.failing_since = time.monotonic()
            log.warning("cannot poll the document axis: %s; trying again quietly", reason)

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
