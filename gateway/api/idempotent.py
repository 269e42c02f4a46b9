"""Running a write under an ``Idempotency-Key``: the effect and its answer commit together."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from gateway import idempotency
from gateway.bootstrap import Gateway
from gateway.store import Connection

REPLAYED = "Idempotent-Replayed"


async def run_write(
    request: Request,
    gateway: Gateway,
    key: str | None,
    work: Callable[[Connection], BaseModel],
    *,
    status_code: int = 202,
) -> Response:
    """Do ``work`` in one transaction; with a key seen before, answer what was answered then."""
    scope = f"{request.method} {request.url.path} {key}"
    request_hash = idempotency.fingerprint(await request.body()) if key else ""

    def transaction(connection: Connection) -> tuple[str, int, bool]:
        if key:
            try:
                remembered = idempotency.recall(connection, scope, request_hash)
            except idempotency.KeyReused as error:
                raise RequestValidationError(
                    [
                        {
                            "type": "idempotency_key_reused",
                            "loc": ("header", "Idempotency-Key"),
                            "msg": str(error),
                        }
                    ]
                ) from None
            if remembered is not None:
                return remembered.response, remembered.status_code, True
        answer = work(connection).model_dump_json()
        if key:
            idempotency.remember(connection, scope, request_hash, status_code, answer)
        return answer, status_code, False

    body, status, replayed = await gateway.store.write(transaction)
    if not replayed:
        gateway.worker.notify()
    headers = {REPLAYED: "true"} if replayed else None
    return Response(body, status, headers, media_type="application/json")
