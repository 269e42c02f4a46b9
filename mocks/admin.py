"""The admin side every mock shares: faults, request journal, scenario state, expiry and reset.

A mock hands each request to ``Admin.serve`` with the name of the service it calls; ``serve``
injects the fault that fires (``mocks.faults``: from the ``X-Mock-Fault`` header, else a
registered one), runs the mock's handler, delivers the reply (``mocks.delivery``: perhaps
truncated, garbled, never, or with the connection reset) and journals the exchange once it is
over. A request with no fault registered and no header pays one scan of its headers.

The admin API that ``Admin.routes`` returns lives under ``/__admin/`` on each mock:

=======================================  ================================================
``GET /__admin/journal``                 ``{"entries": [...]}`` in the order they finished;
                                         ``?service=NAME`` and ``?limit=N`` (the last N)
``DELETE /__admin/journal``              forget every entry
``GET /__admin/faults``                  ``{"faults": [...]}`` with how often each fired
``POST /__admin/faults``                 add one fault (``mocks.faults`` describes the body);
                                         201 with it, 400 naming a bad field
``DELETE /__admin/faults``               remove every fault
``DELETE /__admin/faults/{id}``          remove one fault
``GET /__admin/state``                   counts of the mock's state, with journal and fault
                                         counts
``GET /__admin/scenario``                the mock's scenario state in full (what it holds for
                                         clients), in the shape ``PUT`` takes
``PUT /__admin/scenario``                replace it; 200 with the new one, 400 naming a bad
                                         field; 404 on a mock with no such state
``POST /__admin/expire``                 expire every session and token now: ``{"expired":
                                         {"sessions": n, "tokens": m}}``; 404 on a mock that
                                         hands out none
``POST /__admin/reset``                  state, journal and faults back to a fresh start; the
                                         dice are reseeded (body ``{"seed": N}`` optional)
=======================================  ================================================

Admin calls are neither journaled nor subject to faults. SOAP mocks pass ``soap_fault``: an
injected HTTP 500 then answers a SOAP 1.1 ``Fault`` envelope (``soap:Server``), as a SOAP server
does, while other statuses (429 and 503 with ``Retry-After``) come plain, as from a proxy.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from mocks.delivery import REPLY, Delivery, Plan, Sent
from mocks.faults import FAULT_HEADER, Fault, FaultInjector, FaultSpecError
from mocks.journal import DEFAULT_CAPACITY, Journal, identifying_headers
from mocks.schemas import compile_schema, first_error

REDACTED = "***"
_SECRETS = frozenset({"password", "client_secret"})
_FAULT_HEADER = FAULT_HEADER.lower().encode("ascii")
_XML = "text/xml; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Reply:
    """What a mock's handler answers: an HTTP status, a JSON body and extra headers."""

    body: Any
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        return JSONResponse(self.body, status_code=self.status, headers=dict(self.headers))


@dataclass(frozen=True, slots=True)
class _SoapFaultReply(Reply):
    """An injected server error as a SOAP server answers it; ``body`` is the journal's summary."""

    envelope: bytes = b""

    def response(self) -> Response:
        return Response(self.envelope, self.status, dict(self.headers), media_type=_XML)


class Scenario(Protocol):
    """The state a mock keeps between requests, as the admin API sees it."""

    def state(self) -> dict[str, Any]:
        """Counts and facts a test may assert on; JSON-serialisable."""
        ...

    def reset(self) -> None:
        """Forget everything clients did; keep the seed data."""
        ...


@runtime_checkable
class Expiring(Protocol):
    """A scenario that hands out sessions or tokens, and can make them all expire at once."""

    def expire(self) -> dict[str, int]:
        """Expire every session and token now, as if their time had run out; counts by kind."""
        ...


class ScenarioError(ValueError):
    """Scenario state that cannot be put in place; the message names the field and the rule."""


@runtime_checkable
class Shaped(Protocol):
    """A scenario whose state a test can read in full and put into a given shape."""

    #: The JSON Schema ``PUT /__admin/scenario`` bodies are checked against.
    schema: Mapping[str, Any]

    def snapshot(self) -> dict[str, Any]:
        """The state in full, in the shape ``restore`` takes; JSON-serialisable."""
        ...

    def restore(self, spec: Mapping[str, Any]) -> None:
        """Replace the state with ``spec`` (already valid against ``schema``).

        Raises ``ScenarioError`` naming what cannot be put in place, leaving the state as it was.
        """
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


def _fault_header(raw: Sequence[tuple[bytes, bytes]]) -> str | None:
    for name, value in raw:
        if name == _FAULT_HEADER:
            return value.decode("utf-8", "replace")
    return None


def _plan(fault: Fault) -> Plan:
    """How to deliver a reply under a fault whose outcome keeps it from the client."""
    if fault.outcome in ("hang", "reset", "truncate", "malformed"):
        return Plan(fault.outcome, keep=fault.keep, framing=fault.framing, hang_s=fault.hang_s)
    return REPLY


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def _json_body(request: Request) -> tuple[Any, str | None]:
    try:
        return json.loads(await request.body()), None
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None, "body: not valid JSON"


class Admin:
    """Faults, journal and the admin API of one mock, around its ``Scenario``.

    ``clock`` is the monotonic clock fault windows (outages) are measured on; ``soap_fault``
    makes the SOAP 1.1 Fault envelope of a faultstring, for mocks that speak SOAP.
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int = 0,
        journal_capacity: int = DEFAULT_CAPACITY,
        clock: Callable[[], float] = time.monotonic,
        soap_fault: Callable[[str], bytes] | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.journal = Journal(journal_capacity)
        self.faults = FaultInjector(seed, clock=clock)
        self._soap_fault = soap_fault
        self._scenario_spec = (
            compile_schema(scenario.schema) if isinstance(scenario, Shaped) else None
        )

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
        received_at = time.time()
        raw_fault = _fault_header(request.scope["headers"])
        fault: Fault | None = None
        try:
            if raw_fault is not None:
                fault = self.faults.from_header(raw_fault)
            if fault is None and len(self.faults):
                fault = self.faults.draw(service)
        except FaultSpecError as exc:
            refused = Reply({"error": "bad_fault_header", "message": str(exc)}, status=400)
            return self._deliver(request, service, body, received_at, refused, None)
        if fault is None:
            return self._deliver(request, service, body, received_at, await handle(), None)
        delay = self.faults.delay_of(fault)
        if fault.phase == "before":
            await asyncio.sleep(delay)
            if fault.outcome is None:
                reply: Reply | None = await handle()
            elif fault.outcome == "status":
                reply = self._fault_reply(fault)
            else:
                reply = None
        else:
            reply = await handle()
            await asyncio.sleep(delay)
            if fault.outcome == "status":
                reply = self._fault_reply(fault)
        return self._deliver(request, service, body, received_at, reply, fault, delay)

    def _deliver(
        self,
        request: Request,
        service: str | None,
        body: Any,
        received_at: float,
        reply: Reply | None,
        fault: Fault | None,
        delay: float = 0.0,
    ) -> Response:
        """The response that delivers ``reply`` under ``fault`` and then journals the exchange.

        The journal's ``fault`` is the fault with the delay it drew (``delayed_ms``) and, when
        the reply did not arrive whole, what became of it (``effect``).
        """

        def done(sent: Sent) -> None:
            journaled_fault: dict[str, Any] | None = None
            if fault is not None:
                journaled_fault = {**fault.as_json(), "delayed_ms": round(delay * 1000, 3)}
                if sent.effect is not None:
                    journaled_fault["effect"] = sent.effect
            self.journal.record(
                method=request.method,
                path=_route_path(request),
                service=service,
                request=_redacted(body),
                status=sent.status,
                reply=None if reply is None else reply.body,
                fault=journaled_fault,
                headers=identifying_headers(request.scope["headers"]),
                received_at=received_at,
            )

        plan = REPLY if fault is None else _plan(fault)
        return Delivery(None if reply is None else reply.response(), plan, done)

    def _fault_reply(self, fault: Fault) -> Reply:
        assert fault.status is not None
        headers: dict[str, str] = {}
        retry_after = fault.retry_after_header(self.faults.now())
        if retry_after is not None:
            headers["Retry-After"] = retry_after
        named = f"injected fault {fault.id}" if fault.id is not None else "injected fault"
        message = f"{named}: HTTP {fault.status}"
        if fault.status == 500 and self._soap_fault is not None:
            summary = {"fault": {"code": "soap:Server", "string": message}}
            return _SoapFaultReply(summary, 500, headers, envelope=self._soap_fault(message))
        return Reply({"error": "injected_fault", "message": message}, fault.status, headers)

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
            Route("/__admin/scenario", self._get_scenario, methods=["GET"]),
            Route("/__admin/scenario", self._put_scenario, methods=["PUT"]),
            Route("/__admin/expire", self._expire, methods=["POST"]),
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
        spec, problem = await _json_body(request)
        if problem is not None:
            return _error(400, problem)
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
                "journal_capacity": self.journal.capacity,
                "faults": len(self.faults),
                "seed": self.seed,
            }
        )

    async def _get_scenario(self, request: Request) -> Response:
        if not isinstance(self.scenario, Shaped):
            return _error(404, "scenario: this mock keeps no state a test can set")
        return JSONResponse(self.scenario.snapshot())

    async def _put_scenario(self, request: Request) -> Response:
        if not isinstance(self.scenario, Shaped) or self._scenario_spec is None:
            return _error(404, "scenario: this mock keeps no state a test can set")
        spec, problem = await _json_body(request)
        if problem is None:
            problem = first_error(self._scenario_spec, spec)
        if problem is not None:
            return _error(400, problem)
        try:
            self.scenario.restore(spec)
        except ScenarioError as exc:
            return _error(400, str(exc))
        return JSONResponse(self.scenario.snapshot())

    async def _expire(self, request: Request) -> Response:
        if not isinstance(self.scenario, Expiring):
            return _error(404, "expire: this mock hands out no sessions or tokens")
        return JSONResponse({"expired": self.scenario.expire()})

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
