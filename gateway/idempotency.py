"""Idempotency keys: a request repeated with its key gets the first answer, not a second effect.

The answer is stored in the same transaction as the effect, so a crash leaves either both or
neither. The same key with a different body is refused: that is a client bug worth hearing about.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from sqlalchemy import Connection, select

from gateway.store.schema import idempotency_keys


class KeyReused(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(
            f"Idempotency-Key {key!r} was already used with a different request body; "
            "use a new key for a new request"
        )


@dataclass(frozen=True, slots=True)
class Remembered:
    status_code: int
    response: str


def fingerprint(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def recall(connection: Connection, key: str, request_hash: str) -> Remembered | None:
    row = (
        connection.execute(
            select(
                idempotency_keys.c.request_hash,
                idempotency_keys.c.status_code,
                idempotency_keys.c.response,
            ).where(idempotency_keys.c.key == key)
        )
    ).first()
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise KeyReused(key.split(" ", 2)[-1])
    return Remembered(row.status_code, row.response)


def remember(
    connection: Connection, key: str, request_hash: str, status_code: int, response: str
) -> None:
    connection.execute(
        idempotency_keys.insert().values(
            key=key,
            request_hash=request_hash,
            status_code=status_code,
            response=response,
            created_at=time.time(),
        )
    )
