"""A limit on the size of request bodies, per path, answered with a 413 that says the limit.

Starlette's own limit answers a bare "Content Too Large"; a caller uploading a document needs to
know how large it may be and what sets it. The limit is checked against ``Content-Length`` before
anything is read, and counted while a body without one streams in.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    def __init__(self, app: ASGIApp, *, path: str, limit: int, setting: str) -> None:
        self.app, self.path, self.limit, self.setting = app, path, limit, setting

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(self.path):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        received = 0
        started = False

        async def counting() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, detail=self.detail)
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting, tracking)
        except HTTPException as error:
            if error.status_code != 413 or started:
                raise
            await self._refuse(send)

    @property
    def detail(self) -> str:
        return (
            f"the request body is larger than the {self.limit:,} bytes allowed on {self.path} "
            f"(attachments count as base64); {self.setting} sets the limit"
        )

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": self.detail}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
