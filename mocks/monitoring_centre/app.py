"""The Government monitoring centre mock as an ASGI app: the tracking endpoint and admin.

Paths (relative to where the app is mounted, ``/monitoring-centre`` in ``lienthong mocks``):

- ``POST /TrackingMCDT``: one event (``tracking.EVENT``), no credentials, as the public client
  sends it; 200 ``{"success": true, "id": n}`` once kept; 400 ``{"success": false, "error":
  "<field>: <rule>"}`` for a body that breaks the contract or a site the centre does not know;
- ``GET /TrackingMCDT``: 405 with ``Allow: POST``, as a POST-only endpoint answers (what the
  gateway's probe asks);
- ``/__admin/...``: the shared admin API (``mocks.admin``; its ``scenario`` is ``{"sites",
  "events"}``, ``tracking``) plus ``GET /__admin/events?code=`` (``{"events": [...]}``, all or
  one dossier's, in the order taken).

The journal and faults see one service, ``TrackingMCDT``; stories follow ``dossier``
(``CodeProfile``) and may answer ``refused`` (400). Each event kept is emitted as
``event.tracked`` to callbacks. The contract is ``openapi/national/monitoring_centre``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mocks import stories
from mocks.admin import Admin, Reply
from mocks.journal import DEFAULT_CAPACITY
from mocks.monitoring_centre.tracking import EVENT, Tracking
from mocks.schemas import compile_schema, first_error
from mocks.stories import AnswerKind, Call

TRACK = "TrackingMCDT"
"""The one service, as the journal, faults and stories name it."""

_EVENT = compile_schema(EVENT)


def _dossier(call: Call) -> list[str]:
    body = call.readable
    code = body.get("CodeProfile") if isinstance(body, dict) else None
    return [code] if isinstance(code, str) and code else []


def _refusal(error: str) -> Reply:
    return Reply({"success": False, "error": error}, 400)


class _Endpoints:
    def __init__(self, tracking: Tracking, admin: Admin) -> None:
        self.tracking = tracking
        self.admin = admin

    async def track(self, request: Request) -> Response:
        raw = await request.body()
        try:
            body: Any = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError):
            body = None

        async def handle() -> Reply:
            if body is None:
                return _refusal("body: not valid JSON")
            broken = first_error(_EVENT, body)
            if broken is not None:
                return _refusal(broken)
            if not self.tracking.knows(body["SiteId"]):
                return _refusal(f"SiteId: {body['SiteId']} is not a site the centre knows")
            if stories.answer_for("dossier", body["CodeProfile"]) is not None:
                return _refusal("CodeProfile: the centre refuses this dossier's event")
            number = self.tracking.take(body)
            self.admin.emit("event.tracked", body)
            return Reply({"success": True, "id": number})

        return await self.admin.serve(request, TRACK, body, handle)

    async def not_allowed(self, request: Request) -> Response:
        return JSONResponse(
            {"success": False, "error": "GET: the tracking address takes POST"},
            405,
            headers={"Allow": "POST"},
        )

    async def events(self, request: Request) -> Response:
        code = request.query_params.get("code")
        found = self.tracking.events if code is None else self.tracking.of_dossier(code)
        return JSONResponse({"events": found})


def create_app(
    *,
    seed: int = 0,
    journal_capacity: int = DEFAULT_CAPACITY,
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    """A fresh monitoring centre mock holding no event; ``seed`` seeds the fault dice and
    ``clock`` is the monotonic clock fault windows are measured on."""
    tracking = Tracking()
    admin = Admin(
        tracking,
        seed=seed,
        journal_capacity=journal_capacity,
        clock=clock,
        services=(TRACK,),
        entities={"dossier": _dossier},
        answers={
            "refused": AnswerKind(
                "answered 400, as for an event the centre will not take", services=(TRACK,)
            )
        },
    )
    endpoints = _Endpoints(tracking, admin)
    routes = [
        Route(f"/{TRACK}", endpoints.track, methods=["POST"]),
        Route(f"/{TRACK}", endpoints.not_allowed, methods=["GET"]),
        *admin.routes([Route("/__admin/events", endpoints.events, methods=["GET"])]),
    ]
    app = Starlette(routes=routes)
    app.state.admin = admin
    return app
