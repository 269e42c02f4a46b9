"""Running a write under an ``Idempotency-Key``: the effect and its answer commit together."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import HTTPException, Request, Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway import idempotency
from gateway.bootstrap import Gateway

REPLAYED = "Idempotent-Replayed"


async def run_write(
    request: Request,
    gateway: Gateway,
    key: str | None,
    work: Callable[[AsyncConnection], Awaitable[BaseModel]],
    *,
    status_code: int = 202,
) -> Response:
    """Do ``work`` in one transaction; with a key seen before, answer what was answered then."""
    scope = f"{request.method} {request.url.path} {key}"
    request_hash = idempotency.fingerprint(await request.body()) if key else ""
    async with gateway.store.write() as connection:
        if key:
            try:
                remembered = await idempotency.recall(connection, scope, request_hash)
            except idempotency.KeyReused as error:
                raise HTTPException(422, detail=str(error)) from None
            if remembered is not None:
                return _raw(remembered.response, remembered.status_code, {REPLAYED: "true"})
        answer = (await work(connection)).model_dump_json()
        if key:
            await idempotency.remember(connection, scope, request_hash, status_code, answer)
    gateway.worker.notify()
    return _raw(answer, status_code)


def _raw(body: str, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status_code, headers, media_type="application/json")
