"""The request journal of a mock: what a client sent and what the mock answered, in order.

Integration tests read it (``GET /__admin/journal``) to verify what the gateway really sent,
not what it meant to send. Each entry says when the request arrived (``received_at``) and when
the mock was done with it (``finished_at``: the reply handed to the server, the connection
dropped, or a hang given up), so a chaos test can line the mock's side up with the client's
time-outs. It keeps the headers that identify a caller (``User-Agent``, ``X-Request-Id`` and
every ``X-Lienthong-*``, e.g. ``X-Lienthong-Replica``), so a test can tell which gateway replica
or which attempt sent a request.

The journal is bounded: past ``capacity`` entries the oldest are forgotten, so a long benchmark
run cannot exhaust memory (``create_mocks_app(journal_capacity=N)`` and
``lienthong mocks --journal-capacity N`` set it).
"""

from __future__ import annotations

import itertools
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

DEFAULT_CAPACITY = 5000

_IDENTIFYING = frozenset({b"user-agent", b"x-request-id"})
_LIENTHONG_PREFIX = b"x-lienthong-"


def identifying_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """The headers of an ASGI scope that identify a caller, by lower-case name.

    ASGI servers hand header names over in lower case; a repeated header keeps its last value.
    """
    return {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in raw
        if name in _IDENTIFYING or name.startswith(_LIENTHONG_PREFIX)
    }


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One exchange with a mock.

    ``request`` is the parsed body (JSON, or the fields of a form), ``None`` when there was none
    or it could not be parsed. ``fault`` describes the fault injected into this exchange, if any;
    ``story`` the story rules that fired on it (``mocks.stories``), listed only when some did.
    ``received_at`` and ``finished_at`` are seconds since the epoch. ``status`` is what was
    answered; ``None`` when nothing was (the connection was dropped or the client gave up).
    The bodies are the objects the mock handled, not copies: callers must not change them.
    """

    id: int
    received_at: float
    finished_at: float
    method: str
    path: str
    service: str | None
    headers: dict[str, str]
    request: Any
    status: int | None
    reply: Any
    fault: dict[str, Any] | None
    story: list[dict[str, Any]] | None = None

    def as_json(self) -> dict[str, Any]:
        received = _iso(self.received_at)
        found: dict[str, Any] = {
            "id": self.id,
            "time": received,
            "received_at": received,
            "finished_at": _iso(self.finished_at),
            "method": self.method,
            "path": self.path,
            "service": self.service,
            "headers": self.headers,
            "request": self.request,
            "status": self.status,
            "reply": self.reply,
            "fault": self.fault,
        }
        if self.story:
            found["story"] = self.story
        return found


class Journal:
    """An in-memory, bounded, append-only list of exchanges; ids increase across clears."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError(f"capacity: must be at least 1, not {capacity}")
        self.capacity = capacity
        self._entries: deque[JournalEntry] = deque(maxlen=capacity)
        self._ids = itertools.count(1)

    def record(
        self,
        *,
        method: str,
        path: str,
        service: str | None,
        request: Any,
        status: int | None,
        reply: Any,
        fault: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        received_at: float | None = None,
        finished_at: float | None = None,
        story: list[dict[str, Any]] | None = None,
    ) -> JournalEntry:
        """Append one exchange; ``received_at`` and ``finished_at`` default to now (epoch s)."""
        now = time.time()
        entry = JournalEntry(
            id=next(self._ids),
            received_at=now if received_at is None else received_at,
            finished_at=now if finished_at is None else finished_at,
            method=method,
            path=path,
            service=service,
            headers={} if headers is None else headers,
            request=request,
            status=status,
            reply=reply,
            fault=fault,
            story=story,
        )
        self._entries.append(entry)
        return entry

    def entries(
        self, *, service: str | None = None, limit: int | None = None
    ) -> list[JournalEntry]:
        """Entries in the order they ended; only those of ``service`` if given; the last ``limit``.

        A request held open by a fault is journaled when it ends, so it may follow requests that
        arrived after it: ``received_at`` tells arrival.
        """
        selected = [e for e in self._entries if service is None or e.service == service]
        if limit is not None:
            selected = selected[-limit:] if limit > 0 else []
        return selected

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)
