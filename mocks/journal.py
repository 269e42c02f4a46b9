"""The request journal of a mock: what a client sent and what the mock answered, in order.

Integration tests read it (``GET /__admin/journal``) to verify what the gateway really sent,
not what it meant to send. The journal is bounded: past ``capacity`` entries the oldest are
forgotten, so a long benchmark run cannot exhaust memory.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

DEFAULT_CAPACITY = 5000


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One exchange with a mock.

    ``request`` is the parsed body (JSON, or the fields of a form), ``None`` when there was none
    or it could not be parsed. ``fault`` describes the fault injected into this exchange, if any.
    The bodies are the objects the mock handled, not copies: callers must not change them.
    """

    id: int
    time: datetime
    method: str
    path: str
    service: str | None
    request: Any
    status: int
    reply: Any
    fault: dict[str, Any] | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "time": self.time.isoformat(timespec="milliseconds"),
            "method": self.method,
            "path": self.path,
            "service": self.service,
            "request": self.request,
            "status": self.status,
            "reply": self.reply,
            "fault": self.fault,
        }


class Journal:
    """An in-memory, bounded, append-only list of exchanges; ids increase across clears."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self._entries: deque[JournalEntry] = deque(maxlen=capacity)
        self._ids = itertools.count(1)

    def record(
        self,
        *,
        method: str,
        path: str,
        service: str | None,
        request: Any,
        status: int,
        reply: Any,
        fault: dict[str, Any] | None = None,
    ) -> JournalEntry:
        entry = JournalEntry(
            id=next(self._ids),
            time=datetime.now(UTC),
            method=method,
            path=path,
            service=service,
            request=request,
            status=status,
            reply=reply,
            fault=fault,
        )
        self._entries.append(entry)
        return entry

    def entries(
        self, *, service: str | None = None, limit: int | None = None
    ) -> list[JournalEntry]:
        """Entries in arrival order; only those of ``service`` if given; the last ``limit``."""
        selected = [e for e in self._entries if service is None or e.service == service]
        if limit is not None:
            selected = selected[-limit:] if limit > 0 else []
        return selected

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
