"""A poller's loop: poll, wait, poll again, one replica at a time, quiet through an outage.

A poller of something the nation holds for the province (inter-connected submissions, say)
subclasses ``Polling`` with its ``poll_once`` and its ``what`` (for the log). What every poller
then does alike, and a caller may rely on:

- of several replicas, only the one that holds the poller's lead polls
  (``gateway.store.leader``); the others check at each tick and take over once it is free;
- a poll that fails (``AdapterError`` or anything unforeseen) is logged once when polling starts
  failing, not at every tick of an outage; ``failing_since`` (monotonic) says since when, for
  ``/readyz``; it is None again after a poll that works;
- ``stop()`` ends the loop at its next wait; the lead is given up on the way out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from abc import ABC, abstractmethod
from typing import ClassVar

from adapters.errors import AdapterError
from gateway.store import Store
from gateway.store.leader import Leadership

log = logging.getLogger(__name__)


class Polling(ABC):
    what: ClassVar[str]
    """What is polled, for the log: "inter-connected submissions"."""

    def __init__(self, store: Store, job: str, interval: float) -> None:
        self._store = store
        self.interval = interval
        self._stopping = asyncio.Event()
        self.leadership = Leadership(store, job)
        self.failing_since: float | None = None
        """When polling started failing (monotonic), None while it works."""

    @abstractmethod
    async def poll_once(self) -> object:
        """Take in what waits now; what it returns is for tests and the log."""

    async def run(self) -> None:
        try:
            while not self._stopping.is_set():
                if await self.leadership.lead():
                    await self.tick()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.interval)
        finally:
            await self.leadership.resign()

    async def tick(self) -> None:
        try:
            await self.poll_once()
        except AdapterError as error:
            self._failed(str(error))
        except Exception as error:
            log.exception("polling %s failed; trying again later", self.what)
            self._failed(f"{type(error).__name__}: {error}")
        else:
            if self.failing_since is not None:
                log.info("%s can be polled again", self.what)
            self.failing_since = None

    async def stop(self) -> None:
        self._stopping.set()

    def _failed(self, reason: str) -> None:
        if self.failing_since is None:
            self.failing_since = time.monotonic()
            log.warning("cannot poll %s: %s; trying again quietly", self.what, reason)
