"""The audit trail of personal data: who looked at whose data, why, for which dossier, and what
came of it (Nghị định 13/2023/NĐ-CP).

The ID number is never stored in the clear: a keyed hash (HMAC-SHA256 with the deployment's
audit key) lets an operator find every access to one person's data by giving the number again,
and a masked form (``001******345``) lets a reader recognise it without learning it.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select

from gateway.logging import mask_personal_data
from gateway.store.schema import audit_records

RECORD = audit_records.insert()
"""The insert of one audit record, its values given as parameters."""


@dataclass(frozen=True, slots=True)
class Access:
    """One access to a citizen's data, as the caller declared it."""

    action: str
    system: str
    caller: str
    officer: str
    purpose: str
    dossier_code: str
    subject: str


@dataclass(frozen=True, slots=True)
class AuditRecord:
    id: int
    at: float
    action: str
    system: str
    caller: str
    officer: str
    purpose: str
    dossier_code: str
    subject_masked: str
    outcome: str
    detail: str | None


@dataclass(frozen=True, slots=True)
class AuditQuery:
    subject: str | None = None
    officer: str | None = None
    caller: str | None = None
    dossier_code: str | None = None
    purpose: str | None = None
    action: str | None = None
    outcome: str | None = None
    since: float | None = None
    until: float | None = None
    after: int | None = None
    limit: int = 100


class Auditor:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def subject_key(self, subject: str) -> str:
        return hmac.new(self._key, subject.encode(), hashlib.sha256).hexdigest()

    def record(
        self, connection: Connection, access: Access, outcome: str, detail: str | None = None
    ) -> None:
        """One record of ``access``, through the one insert statement built at import (built
        anew for each record, its compiling and cache key cost more than the row itself)."""
        connection.execute(
            RECORD,
            {
                "at": time.time(),
                "action": access.action,
                "system": access.system,
                "caller": access.caller,
                "officer": access.officer,
                "purpose": access.purpose,
                "dossier_code": access.dossier_code,
                "subject_key": self.subject_key(access.subject),
                "subject_masked": mask(access.subject),
                "outcome": outcome,
                "detail": mask_personal_data(detail) if detail else None,
            },
        )

    def find(self, connection: Connection, query: AuditQuery) -> Sequence[AuditRecord]:
        """Records matching every filter given, oldest first, ``limit`` after ``after``."""
        table = audit_records
        statement = select(table)
        conditions = {
            "officer": query.officer,
            "caller": query.caller,
            "dossier_code": query.dossier_code,
            "purpose": query.purpose,
            "action": query.action,
            "outcome": query.outcome,
        }
        for column, value in conditions.items():
            if value is not None:
                statement = statement.where(table.c[column] == value)
        if query.subject is not None:
            statement = statement.where(table.c.subject_key == self.subject_key(query.subject))
        if query.since is not None:
            statement = statement.where(table.c.at >= query.since)
        if query.until is not None:
            statement = statement.where(table.c.at < query.until)
        if query.after is not None:
            statement = statement.where(table.c.id > query.after)
        statement = statement.order_by(table.c.id).limit(query.limit)
        return [
            AuditRecord(
                id=row.id,
                at=row.at,
                action=row.action,
                system=row.system,
                caller=row.caller,
                officer=row.officer,
                purpose=row.purpose,
                dossier_code=row.dossier_code,
                subject_masked=row.subject_masked,
                outcome=row.outcome,
                detail=row.detail,
            )
            for row in connection.execute(statement)
        ]


def mask(subject: str) -> str:
    """``001095012345`` → ``001******345``; short values keep only their last two characters."""
    if len(subject) >= 9:
        return subject[:3] + "*" * (len(subject) - 6) + subject[-3:]
    return "*" * max(len(subject) - 2, 0) + subject[-2:]
