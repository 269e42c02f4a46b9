"""Record a real national endpoint through a proxy, without its personal data, and replay it.

``lienthong mocks --record-from URL --record-to DIR`` serves ``create_recording_app``: every
request it receives is sent on to ``URL`` (same path and query, same body, the caller's headers
but the hop-by-hop ones), the answer goes back to the caller untouched, and the exchange is saved
in ``DIR`` as one JSON file with every personal value replaced by a consistent fake
(``mocks.pseudonyms``): the same citizen is the same fake person throughout the recording. The
parts that are not personal are kept byte for byte. ``Authorization``, ``Cookie``,
``Set-Cookie`` and WS-Security passwords are never saved.

Before a file is written, the check runs on everything it would hold; an exchange that still
holds a value shaped like personal data (a 12- or 9-digit run, a phone number, a Vietnamese
full name...) is refused: not written, counted, and named by kind (never by value) in
``GET /__recording``.

``lienthong mocks --replay DIR`` serves ``create_replay_app``: a request gets the recorded answer
of the same method, path and query (the one whose request body is the same when there is one,
else the next not yet replayed, then the last again), byte for byte; 404 names what has no
recording.

A recorded exchange (``0001-POST-national-portal-api.json``)::

    {"seq": 1, "method": "POST", "path": "/api", "query": "",
     "request": {"headers": {...}, "body": "..."},
     "response": {"status": 200, "headers": {...}, "body": "..."}}

Bodies are text (UTF-8); one that is not is kept as ``body_base64`` and checked the same way.
"""

from __future__ import annotations

import base64
import json
import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mocks.pseudonyms import Leftover, Pseudonymiser

log = logging.getLogger(__name__)

_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "accept-encoding",
        "content-encoding",
    }
)
_SECRET_HEADERS = frozenset({"authorization", "cookie", "set-cookie", "x-api-key"})
_HIDDEN = "***"
_WSSE_PASSWORD = re.compile(r"(<(?:\w+:)?Password\b[^>]*>)(.*?)(</(?:\w+:)?Password>)", re.S)
_FORM_SECRET = re.compile(r"((?:^|&)(?:password|client_secret)=)[^&]*")
STATUS_PATH = "/__recording"


def _slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")[:60] or "root"


def _saved_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {
        k.lower(): (_HIDDEN if k.lower() in _SECRET_HEADERS else v)
        for k, v in headers.items()
        if k.lower() not in _HOP
    }


def _without_secrets(text: str) -> str:
    text = _WSSE_PASSWORD.sub(lambda m: f"{m.group(1)}{_HIDDEN}{m.group(3)}", text)
    return _FORM_SECRET.sub(lambda m: f"{m.group(1)}{_HIDDEN}", text)


@dataclass(slots=True)
class _Body:
    text: str | None
    raw: bytes

    @classmethod
    def of(cls, raw: bytes) -> _Body:
        try:
            return cls(raw.decode("utf-8"), raw)
        except UnicodeDecodeError:
            return cls(None, raw)

    def saved(self, scrub: Pseudonymiser) -> dict[str, str]:
        if self.text is not None:
            return {"body": scrub.scrub(_without_secrets(self.text))}
        return {"body_base64": base64.b64encode(self.raw).decode("ascii")}


@dataclass(slots=True)
class Recorder:
    """Where a recording goes and what it has saved and refused so far."""

    directory: Path
    pseudonyms: Pseudonymiser = field(default_factory=Pseudonymiser)
    saved: int = 0
    refused: list[dict[str, Any]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, exchange: dict[str, Any]) -> Path | None:
        """Scrub and check one exchange; write it, or refuse it (``None``)."""
        with self._lock:
            seq = self.saved + len(self.refused) + 1
            exchange = {"seq": seq, **exchange}
            leftovers = self._check(exchange)
            if leftovers:
                kinds = sorted({str(x) for x in leftovers})
                self.refused.append(
                    {
                        "seq": seq,
                        "method": exchange["method"],
                        "path": exchange["path"],
                        "still_personal": kinds,
                    }
                )
                log.warning(
                    "not saved: %s %s still holds %s",
                    exchange["method"],
                    exchange["path"],
                    ", ".join(kinds),
                )
                return None
            self.directory.mkdir(parents=True, exist_ok=True)
            name = f"{seq:04d}-{exchange['method']}-{_slug(exchange['path'])}.json"
            target = self.directory / name
            target.write_text(
                json.dumps(exchange, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
            self.saved += 1
            return target

    def _check(self, exchange: Mapping[str, Any]) -> list[Leftover]:
        found: list[Leftover] = []
        checks = self.pseudonyms.leftovers
        found.extend(checks(exchange["path"] + "?" + exchange["query"], "path"))
        for part in ("request", "response"):
            message = exchange[part]
            found.extend(checks(json.dumps(message["headers"], ensure_ascii=False), part))
            if "body" in message:
                found.extend(checks(message["body"], f"{part} body"))
            else:
                raw = base64.b64decode(message["body_base64"]).decode("latin-1")
                found.extend(checks(raw, f"{part} body"))
        return found


def create_recording_app(
    target: str,
    directory: str | Path,
    *,
    pseudonyms: Pseudonymiser | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = 60.0,
) -> Starlette:
    """A proxy to ``target`` that saves every exchange, scrubbed and checked, in ``directory``."""
    recorder = Recorder(Path(directory), pseudonyms or Pseudonymiser())
    base = target.rstrip("/")

    async def status(request: Request) -> Response:
        return JSONResponse(
            {
                "target": base,
                "directory": str(recorder.directory),
                "saved": recorder.saved,
                "refused": recorder.refused,
            }
        )

    async def forward(request: Request) -> Response:
        body = await request.body()
        path = request.url.path
        query = request.url.query
        headers = {k: v for k, v in request.headers.items() if k.lower() not in _HOP}
        async with httpx.AsyncClient(transport=transport, timeout=timeout) as client:
            answer = await client.request(
                request.method,
                f"{base}{path}",
                params=query or None,
                content=body,
                headers=headers,
            )
        reply_body = answer.content
        reply_headers = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP}
        scrub = recorder.pseudonyms
        recorder.record(
            {
                "method": request.method,
                "path": path,
                "query": scrub.scrub(query),
                "request": {"headers": _saved_headers(headers), **_Body.of(body).saved(scrub)},
                "response": {
                    "status": answer.status_code,
                    "headers": _saved_headers(reply_headers),
                    **_Body.of(reply_body).saved(scrub),
                },
            }
        )
        return Response(reply_body, answer.status_code, reply_headers)

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    app = Starlette(
        routes=[
            Route(STATUS_PATH, status, methods=["GET"]),
            Route("/{path:path}", forward, methods=methods),
        ]
    )
    app.state.recorder = recorder
    return app


@dataclass(slots=True)
class _Recorded:
    method: str
    path: str
    query: str
    request_body: bytes
    status: int
    headers: dict[str, str]
    body: bytes
    replayed: int = 0


def _bytes(message: Mapping[str, Any]) -> bytes:
    if "body_base64" in message:
        return base64.b64decode(message["body_base64"])
    text: str = message.get("body", "")
    return text.encode("utf-8")


def load_recording(directory: str | Path) -> list[_Recorded]:
    """The exchanges recorded in ``directory``, in the order they were recorded."""
    found: list[tuple[int, _Recorded]] = []
    for file in sorted(Path(directory).glob("*.json")):
        exchange = json.loads(file.read_text(encoding="utf-8"))
        found.append(
            (
                int(exchange.get("seq", len(found) + 1)),
                _Recorded(
                    method=exchange["method"],
                    path=exchange["path"],
                    query=exchange.get("query", ""),
                    request_body=_bytes(exchange["request"]),
                    status=int(exchange["response"]["status"]),
                    headers=dict(exchange["response"]["headers"]),
                    body=_bytes(exchange["response"]),
                ),
            )
        )
    return [r for _, r in sorted(found, key=lambda pair: pair[0])]


def create_replay_app(directory: str | Path) -> Starlette:
    """Serve the exchanges recorded in ``directory``, byte for byte."""
    recorded = load_recording(directory)
    lock = threading.Lock()

    async def replay(request: Request) -> Response:
        body = await request.body()
        path, query = request.url.path, request.url.query
        candidates = [
            r
            for r in recorded
            if r.method == request.method and r.path == path and r.query == query
        ]
        if not candidates:
            return JSONResponse(
                {
                    "error": f"{request.method} {path}{'?' + query if query else ''}: "
                    f"nothing recorded ({len(recorded)} exchanges in {directory})"
                },
                404,
            )
        with lock:
            chosen = next((r for r in candidates if r.request_body == body and body), None)
            if chosen is None:
                chosen = next((r for r in candidates if not r.replayed), candidates[-1])
            chosen.replayed += 1
        headers = {k: v for k, v in chosen.headers.items() if k != "set-cookie"}
        return Response(chosen.body, chosen.status, headers)

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    return Starlette(routes=[Route("/{path:path}", replay, methods=methods)])
