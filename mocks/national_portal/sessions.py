"""Session-style authentication: ``POST /login`` hands out a session that expires when idle.

A session lives as long as it is used at least once every ``idle_seconds``. Expiry is checked
against an injectable monotonic clock, so tests can move time without sleeping.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass(slots=True)
class Session:
    username: str
    unit: str
    last_used: float


class SessionStore:
    """The open sessions of the portal and the users allowed to open one."""

    def __init__(self, users: Mapping[str, str], idle_seconds: float, clock: Clock) -> None:
        self._users = dict(users)
        self._idle = idle_seconds
        self._clock = clock
        self._sessions: dict[str, Session] = {}

    def login(self, username: str, password: str, unit: str) -> str | None:
        """A new session for a known user with the right password, else None.

        Sessions that have expired are forgotten here, so idle clients cannot pile them up.
        """
        expected = self._users.get(username)
        if expected is None or not hmac.compare_digest(expected.encode(), password.encode()):
            return None
        now = self._clock()
        self._sessions = {k: s for k, s in self._sessions.items() if self._alive(s, now)}
        session_id = secrets.token_urlsafe(24)
        self._sessions[session_id] = Session(username, unit, now)
        return session_id

    def use(self, session_id: str) -> bool:
        """Whether ``session_id`` is open; using it keeps it open for another idle period."""
        session = self._sessions.get(session_id)
        if session is None:
            return False
        now = self._clock()
        if not self._alive(session, now):
            del self._sessions[session_id]
            return False
        session.last_used = now
        return True

    def expire(self, session_id: str) -> bool:
        """Close one session now; False when there was no such open session."""
        return self._sessions.pop(session_id, None) is not None

    def expire_all(self) -> int:
        """Close every session now; how many were open."""
        count = len(self._sessions)
        self._sessions.clear()
        return count

    def active(self) -> int:
        now = self._clock()
        return sum(1 for s in self._sessions.values() if self._alive(s, now))

    def _alive(self, session: Session, now: float) -> bool:
        return now - session.last_used <= self._idle
