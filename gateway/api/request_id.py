"""``X-Request-ID``: one id per request, from the caller or made here, followed everywhere.

The id a caller sends is kept when it is a plain token (letters, digits and ``._:-``, at most
64 characters); otherwise, or when none is sent, the gateway makes one (32 hex digits). It is
answered in the response's ``X-Request-ID``, bound for the request (``adapters.client.REQUEST_ID``)
so every national call made while serving it carries it, written into the outbox rows the request
queues, sent with their delivery, kept in their attempt history, and named in the JSON log lines.
"""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from adapters.client import REQUEST_ID, REQUEST_ID_HEADER

_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_of(given: str | None) -> str:
    """The caller's id when it is a plain token, else a new one."""
    if given is not None and _ACCEPTED.fullmatch(given):
        return given
    return uuid.uuid4().hex


class RequestId:
    """Pure ASGI middleware, so the id is bound in the very context the route runs in."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = None
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                given = value.decode("latin-1")
                break
        request_id = request_id_of(given)

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        token = REQUEST_ID.set(request_id)
        try:
            await self.app(scope, receive, answer)
        finally:
            REQUEST_ID.reset(token)
