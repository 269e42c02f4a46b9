"""One-time sign-in links to the console, for the first admin and for a fresh checkout.

``lienthong operators invite NAME --role ROLE`` makes one: a random token in a link that signs
its holder in as ``NAME`` with ``ROLE`` once, within ``LIFETIME`` seconds. The store keeps only
the token's SHA-256, so reading the store does not give anyone a working link, and marks it used
in the same statement that accepts it, so two browsers racing with one link sign in once.
Functions here run inside a store transaction and touch nothing but the connection.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from gateway.operations import Action, Operator
from gateway.operations.audit import record as record_action
from gateway.settings import ConsoleRole
from gateway.store.schema import operator_invitations

LIFETIME = 15 * 60
"""Seconds a link stays valid."""


@dataclass(frozen=True, slots=True)
class Invitation:
    name: str
    role: ConsoleRole
    expires_at: float


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite(
    connection: Connection,
    name: str,
    role: ConsoleRole,
    *,
    seconds: float = LIFETIME,
    by: Operator | None = None,
) -> str:
    """Record an invitation for ``name`` as ``role``, and in the operator action audit who
    made it (``by``, the user of the operating system unless given); returns the token to put
    in the link."""
    name = name.strip()
    if not name:
        raise ValueError("an invitation names the person it signs in")
    token = secrets.token_urlsafe(32)
    now = time.time()
    connection.execute(
        operator_invitations.insert().values(
            token_sha256=_digest(token),
            name=name,
            role=role.value,
            created_at=now,
            expires_at=now + seconds,
        )
    )
    record_action(
        connection,
        by or Operator.from_os(),
        Action.invite,
        count=1,
        selection={"name": name, "role": role.value},
        detail=f"one-time sign-in link for {name} as {role.value}, valid {seconds / 60:.0f} min",
        at=now,
    )
    return token


def redeem(connection: Connection, token: str) -> Invitation | None:
    """The invitation ``token`` opens, now marked used; None when it is unknown, used or
    expired."""
    now = time.time()
    digest = _digest(token)
    taken = connection.execute(
        update(operator_invitations)
        .where(
            operator_invitations.c.token_sha256 == digest,
            operator_invitations.c.used_at.is_(None),
            operator_invitations.c.expires_at > now,
        )
        .values(used_at=now)
    )
    if taken.rowcount != 1:
        return None
    row = connection.execute(
        select(operator_invitations).where(operator_invitations.c.token_sha256 == digest)
    ).one()
    return Invitation(name=row.name, role=ConsoleRole(row.role), expires_at=row.expires_at)
