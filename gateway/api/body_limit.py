"""A limit on the size of every request body, enforced while the bytes arrive.

A body larger than its route's limit is answered 413 with a problem naming the limit and the
setting that sets it, before anything parses it: at once when ``Content-Length`` declares too
much, otherwise as soon as the bytes counted pass the limit; what was read is dropped. A body
within the limit is read whole here and handed on as it came, so nothing downstream waits on a
slow client holding a half-parsed body.

Limits go by path prefix, the first that matches, else the general one. Starlette and FastAPI
have a body limit of their own, but it answers a bare "Content Too Large" that names neither the
limit nor how to change it, which is what a caller sending a large document needs to know.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.api.problems import TooLargeProblem, problem_response


@dataclass(frozen=True, slots=True)
class Limit:
    bytes: int
    setting: str
    """The environment variable that sets it, e.g. ``LIENTHONG_MAX_BODY_BYTES``."""


class BodyLimit:
    def __init__(
        self, app: ASGIApp, *, default: Limit, paths: Sequence[tuple[str, Limit]] = ()
    ) -> None:
        self.app, self.default, self.paths = app, default, tuple(paths)

    def limit_for(self, path: str) -> Limit:
        return next(
            (limit for prefix, limit in self.paths if path.startswith(prefix)), self.default
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit.bytes:
            await _refuse(limit, scope, send)
            return
        messages: list[Message] = []
        received = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away before its body was whole: no one to answer
            received += len(message.get("body", b""))
            if received > limit.bytes:
                messages.clear()
                await _refuse(limit, scope, send)
                return
            messages.append(message)
            more = message.get("more_body", False)

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _refuse(limit: Limit, scope: Scope, send: Send) -> None:
    response = problem_response(
        413,
        f"the request body is larger than the {limit.bytes:,} bytes allowed on "
        f"{scope['path']} (attachments count as base64); {limit.setting} sets the limit",
        model=TooLargeProblem,
        limit=limit.bytes,
        setting=limit.setting,
    )
    await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}
