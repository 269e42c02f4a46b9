"""The admin side every mock shares: faults, request journal, scenario state and reset.

A mock hands each request to ``Admin.serve`` with the name of the service it calls; ``serve``
injects the faults that fire, runs the mock's handler, and journals the exchange. The admin API
that ``Admin.routes`` returns lives under ``/__admin/`` on each mock:

=======================================  ================================================
``GET /__admin/journal``                 ``{"entries": [...]}`` in arrival order;
                                         ``?service=NAME`` and ``?limit=N`` (the last N)
``DELETE /__admin/journal``              forget every entry
``GET /__admin/faults``                  ``{"faults": [...]}`` with how often each fired
``POST /__admin/faults``                 add one fault (``mocks.faults`` describes the body);
                                         201 with it, 400 naming a bad field
``DELETE /__admin/faults``               remove every fault
``DELETE /__admin/faults/{id}``          remove one fault
``GET /__admin/state``                   the mock's scenario state, with journal and fault counts
``POST /__admin/reset``                  state, journal and faults back to a fresh start; the
                                         dice are reseeded (body ``{"seed": N}`` optional)
=======================================  ================================================

Admin calls are neither journaled nor subject to faults.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from mocks.faults import Fault, FaultInjector, FaultSpecError
from mocks.journal import DEFAULT_CAPACITY, Journal

REDACTED = "***"
_SECRETS = frozenset({"password", "client_secret"})


@dataclass(frozen=True, slots=True)
class Reply:
    """What a mock's handler answers: an HTTP status, a JSON body and extra headers."""

    body: Any
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        return JSONResponse(self.body, status_code=self.status, headers=dict(self.headers))


class Scenario(Protocol):
    """The state a mock keeps between requests, as the admin API sees it."""

    def state(self) -> dict[str, Any]:
        """Counts and facts a test may assert on; JSON-serialisable."""
        ...

    def reset(self) -> None:
        """Forget everything clients did; keep the seed data."""
        ...


def _route_path(request: Request) -> str:
    """The request path below the mock's mount point, e.g. ``/api`` for ``/national-portal/api``."""
    path: str = request.scope["path"]
    root: str = request.scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def _redacted(body: Any) -> Any:
    if isinstance(body, dict) and not _SECRETS.isdisjoint(body):
        return {k: (REDACTED if k in _SECRETS else v) for k, v in body.items()}
    return body


def _fault_reply(fault: Fault) -> Reply:
    assert fault.status is not None
    headers: dict[str, str] = {}
    retry_after = fault.retry_after_header
    if retry_after is not None:
        headers["Retry-After"] = retry_after
    body = {"error": "injected_fault", "message": f"injected fault {fault.id}: HTTP {fault.status}"}
    return Reply(body, status=fault.status, headers=headers)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class Admin:
    """Faults, journal and the admin API of one mock, around its ``Scenario``."""

    def __init__(
        self, scenario: Scenario, *, seed: int = 0, journal_capacity: int = DEFAULT_CAPACITY
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.journal = Journal(journal_capacity)
        self.faults = FaultInjector(seed)

    async def serve(
        self,
        request: Request,
        service: str | None,
        body: Any,
        handle: Callable[[], Awaitable[Reply]],
    ) -> Response:
        """Answer one client request of ``service``: faults first, then ``handle``, journaled.

        ``body`` is the parsed request body as it goes into the journal (secrets redacted).
        """
        fault = self.faults.draw(service) if len(self.faults) else None
        if fault is None:
            reply = await handle()
        elif fault.phase == "before":
            await asyncio.sleep(fault.latency_ms / 1000)
            reply = _fault_reply(fault) if fault.status is not None else await handle()
        else:
            reply = await handle()
            await asyncio.sleep(fault.latency_ms / 1000)
            if fault.status is not None:
                reply = _fault_reply(fault)
        self.journal.record(
            method=request.method,
            path=_route_path(request),
            service=service,
            request=_redacted(body),
            status=reply.status,
            reply=reply.body,
            fault=None if fault is None else fault.as_json(),
        )
        return reply.response()

    def reset(self, seed: int | None = None) -> None:
        """Back to a fresh start: scenario state, journal, faults, and the dice reseeded."""
        if seed is not None:
            self.seed = seed
        self.scenario.reset()
        self.journal.clear()
        self.faults.clear()
        self.faults.reseed(self.seed)

    def routes(self, extra: Sequence[BaseRoute] = ()) -> list[BaseRoute]:
        """The shared admin routes, followed by the mock's own ``extra`` admin routes."""
        return [
            Route("/__admin/journal", self._journal, methods=["GET"]),
            Route("/__admin/journal", self._clear_journal, methods=["DELETE"]),
            Route("/__admin/faults", self._list_faults, methods=["GET"]),
            Route("/__admin/faults", self._add_fault, methods=["POST"]),
            Route("/__admin/faults", self._clear_faults, methods=["DELETE"]),
            Route("/__admin/faults/{fault_id:int}", self._remove_fault, methods=["DELETE"]),
            Route("/__admin/state", self._state, methods=["GET"]),
            Route("/__admin/reset", self._reset, methods=["POST"]),
            *extra,
        ]

    async def _journal(self, request: Request) -> Response:
        service = request.query_params.get("service") or None
        raw_limit = request.query_params.get("limit")
        limit: int | None = None
        if raw_limit is not None:
            try:
                limit = int(raw_limit)
            except ValueError:
                return _error(400, "limit: must be a whole number")
        entries = self.journal.entries(service=service, limit=limit)
        return JSONResponse({"entries": [e.as_json() for e in entries]})

    async def _clear_journal(self, request: Request) -> Response:
        self.journal.clear()
        return Response(status_code=204)

    async def _list_faults(self, request: Request) -> Response:
        return JSONResponse({"faults": self.faults.listing()})

    async def _add_fault(self, request: Request) -> Response:
        try:
            spec = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _error(400, "body: not valid JSON")
        try:
            fault = self.faults.add(spec)
        except FaultSpecError as exc:
            return _error(400, str(exc))
        return JSONResponse(fault.as_json(), status_code=201)

    async def _clear_faults(self, request: Request) -> Response:
        self.faults.clear()
        return Response(status_code=204)

    async def _remove_fault(self, request: Request) -> Response:
        fault_id: int = request.path_params["fault_id"]
        if not self.faults.remove(fault_id):
            return _error(404, f"fault {fault_id}: no such fault")
        return Response(status_code=204)

    async def _state(self, request: Request) -> Response:
        return JSONResponse(
            {
                **self.scenario.state(),
                "journal_entries": len(self.journal),
                "faults": len(self.faults),
                "seed": self.seed,
            }
        )

    async def _reset(self, request: Request) -> Response:
        raw = await request.body()
        seed: int | None = None
        if raw.strip():
            try:
                spec = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError):
                return _error(400, "body: not valid JSON")
            seed = spec.get("seed") if isinstance(spec, dict) else None
            if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
                return _error(400, "seed: must be a whole number")
        self.reset(seed)
        return JSONResponse({"reset": True, "seed": self.seed})
