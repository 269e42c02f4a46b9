"""The question poller: questions citizens sent on the portal are fetched and stored once.

The portal has no acknowledgement for questions (``LayDanhSachHoiDapGuiTuDVCQG`` lists those
waiting for an answer until they are answered), so each is stored once, keyed by its
``HOIDAPID``: a question polled again, by this replica or another, changes nothing, and a crash
between fetching and storing only means it is fetched again. A new question is told to the
one-stop system (``on_new``: a webhook event) in the transaction that stores it, so the two
commit together or not at all. A question the gateway cannot read (no id, no text) is left out
with a warning, once per poller, and polling goes on.

Of several replicas, one polls at a time: the one that holds the poller's lead
(``gateway.store.leader``); the others check at each tick and take over once it is free.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pydantic import ValidationError

from adapters.errors import AdapterError
from adapters.national_portal import NationalPortal
from gateway.questions import records
from gateway.store import Connection, Store
from gateway.store.leader import Leadership
from mappings.errors import MappingError
from mappings.national_portal import from_portal_question
from mappings.questions import Question

log = logging.getLogger(__name__)

NewQuestion = Callable[[Connection, Question], None]


@dataclass(frozen=True, slots=True)
class QuestionPollerConfig:
    interval: float = 60.0


class QuestionPoller:
    def __init__(
        self,
        store: Store,
        portal: NationalPortal,
        config: QuestionPollerConfig | None = None,
        *,
        on_new: NewQuestion | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._portal = portal
        self._config = config or QuestionPollerConfig()
        self._on_new = on_new
        self._clock = clock
        self._stopping = asyncio.Event()
        self._unreadable: set[str] = set()
        self.leadership = Leadership(store, "portal-question-poller")
        self.failing_since: float | None = None
        """When polling started failing (monotonic), None while it works."""

    async def run(self) -> None:
        try:
            while not self._stopping.is_set():
                if await self.leadership.lead():
                    await self._tick()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self._config.interval)
        finally:
            await self.leadership.resign()

    async def stop(self) -> None:
        self._stopping.set()

    async def _tick(self) -> None:
        try:
            await self.poll_once()
        except AdapterError as error:
            self._failed(str(error))
        except Exception as error:
            log.exception("polling the portal's questions failed; trying again later")
            self._failed(f"{type(error).__name__}: {error}")
        else:
            if self.failing_since is not None:
                log.info("the portal answers again; polling its questions goes on")
            self.failing_since = None

    def _failed(self, reason: str) -> None:
        if self.failing_since is None:
            self.failing_since = time.monotonic()
            log.warning("cannot poll the portal's questions: %s; trying again quietly", reason)

    async def poll_once(self) -> int:
        """Take in every question waiting now; returns how many were newly stored."""
        fetched = await self._portal.list_questions()
        readable = []
        for portal_question in fetched:
            try:
                readable.append(from_portal_question(portal_question))
            except (MappingError, ValidationError) as error:
                if portal_question.HOIDAPID not in self._unreadable:
                    self._unreadable.add(portal_question.HOIDAPID)
                    log.warning(
                        "a question the portal sent cannot be read, left out: %s",
                        str(error).splitlines()[0],
                    )
        if not readable:
            return 0
        now = self._clock()
        return await self._store.write(lambda c: self._keep(c, readable, now))

    def _keep(self, connection: Connection, found: Sequence[Question], now: float) -> int:
        stored = 0
        for question in found:
            if records.store_question(connection, question, now=now):
                stored += 1
                if self._on_new is not None:
                    self._on_new(connection, question)
        return stored
