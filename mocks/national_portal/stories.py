"""What stories can follow on the portal (its entity kinds) and decide (its answers).

Entity kinds, read from each request:

``dossier``    the ``MaHoSo`` of each dossier, progress step or evaluation pushed, or looked up
``procedure``  the ``MaTTHC`` of each dossier pushed, or of the procedure asked for
``session``    the session a session-style call carries (``POST /api``)
``token``      the bearer token a platform-style call carries (``POST /services/...``)

Answers:

``exists``     (``DongBoHoSoMC``) the dossier is refused ``"02"`` *Hồ sơ ... đã tồn tại*, as
               when it was created before, and not stored
``refuse``     (``DongBoHoSoMC``, ``CapNhatTienDoHoSoMC``, ``DongBoDanhGia``) the item is
               refused with ``code`` (default ``"01"``) and ``message``, and not stored
``not_found``  (``TraCuuHoSo``) answered ``"03"``, as for a dossier the portal does not hold
``expired``    (any service) the session or token expires now, so this call and every later one
               with it is refused as expired, until the client signs in again
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mocks.national_portal.sessions import SessionStore
from mocks.stories import AnswerKind, Call, EntityReader
from mocks.tokens import TokenStore, bearer_of

EXISTS = "exists"
REFUSE = "refuse"
NOT_FOUND = "not_found"
EXPIRED = "expired"


def _fields(call: Call, name: str) -> Sequence[str]:
    body = call.readable
    if not isinstance(body, dict):
        return []
    found = [body.get(name)]
    items = body.get("data")
    if isinstance(items, list):
        found.extend(item.get(name) for item in items if isinstance(item, dict))
    return [v for v in found if isinstance(v, str) and v]


def _session(call: Call) -> Sequence[str]:
    body = call.readable
    session = body.get("session") if isinstance(body, dict) else None
    return [session] if isinstance(session, str) and session else []


ENTITIES: Mapping[str, EntityReader] = {
    "dossier": lambda call: _fields(call, "MaHoSo"),
    "procedure": lambda call: _fields(call, "MaTTHC"),
    "session": _session,
    "token": bearer_of,
}


def answers(sessions: SessionStore, tokens: TokenStore) -> dict[str, AnswerKind]:
    """The portal's answers, ``expired`` acting on its sessions and tokens."""

    def expire(entity: str, params: Mapping[str, Any]) -> None:
        if not sessions.expire(entity):
            tokens.expire(entity)

    return {
        EXISTS: AnswerKind(
            "the dossier is refused 02 (đã tồn tại) and not stored", services=("DongBoHoSoMC",)
        ),
        REFUSE: AnswerKind(
            "the item is refused with code (default 01) and message, and not stored",
            services=("DongBoHoSoMC", "CapNhatTienDoHoSoMC"),
            params={
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": "^0[1-9]$"},
                    "message": {"type": "string", "minLength": 1},
                },
            },
        ),
        NOT_FOUND: AnswerKind("answered 03, as for a dossier not held", services=("TraCuuHoSo",)),
        EXPIRED: AnswerKind(
            "the session or token expires now; this call and later ones are refused as expired",
            before=expire,
        ),
    }
