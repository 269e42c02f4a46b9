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
``POST /__admin/reset``                  state, journal, faults, stories and callbacks back to
                                         a fresh start (or to the scenario file the mock was
                                         started with); the dice are reseeded (body
                                         ``{"seed": N}`` optional)
``GET /__admin/stories``                 ``{"stories": [...]}``, each with the state of every
                                         entity it met (``mocks.stories``)
``POST /__admin/stories``                add one story; 201 with it, 400 naming a bad field
``DELETE /__admin/stories``              remove every story
``DELETE /__admin/stories/{id}``         remove one story
``GET /__admin/callbacks``               ``{"callbacks": [...], "messages": [...]}``: what is
                                         registered and every message sent, with its attempts
``POST /__admin/callbacks``              add one callback (``mocks.callbacks``); 201 with it
``DELETE /__admin/callbacks``            remove every callback; messages under way are dropped
``DELETE /__admin/callbacks/{id}``       remove one callback
``POST /__admin/load``                   put a scenario file's section for this mock in place
                                         (``{"state", "faults", "stories", "callbacks"}``, all
                                         optional): everything is checked first, 400 naming
                                         the field (``faults[1].rate: ...``) and nothing changed;
                                         ``?check=true`` only checks
``GET /__admin/about``                   the mock's services, entity kinds and story answers
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

from mocks import stories as story_engine
from mocks.callbacks import Callback, Callbacks, CallbackSpecError
from mocks.delivery import REPLY, Delivery, Plan, Sent
from mocks.faults import FAULT_HEADER, Fault, FaultInjector, FaultSpecError, parse_fault
from mocks.journal import DEFAULT_CAPACITY, Journal, identifying_headers
from mocks.schemas import compile_schema, first_error
from mocks.stories import AnswerKind, Call, Decision, EntityReader, Stories, StorySpecError

REDACTED = "***"
_SECRETS = frozenset({"password", "client_secret"})
_FAULT_HEADER = FAULT_HEADER.lower().encode("ascii")
_XML = "text/xml; charset=utf-8"
_JSON = "application/json"


@dataclass(frozen=True, slots=True)
class Reply:
    """What a mock's handler answers: an HTTP status, a JSON body and extra headers.
    ``encoded`` is the body already encoded as JSON, the bytes ``JSONResponse`` would send, for
    a body answered often and never changed (a registry's record): encoded once, not per reply."""

    body: Any
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    encoded: bytes | None = field(default=None, kw_only=True)

    def response(self) -> Response:
        if self.encoded is not None:
            return Response(self.encoded, self.status, dict(self.headers), media_type=_JSON)
        return JSONResponse(self.body, status_code=self.status, headers=dict(self.headers))


def encode_json(body: Any) -> bytes:
    """``body`` as ``JSONResponse`` encodes it (``Reply.encoded``)."""
    return JSONResponse(None).render(body)


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


#: The JSON Schema of a scenario file's section for one mock (``POST /__admin/load``).
SECTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "state": {"type": "object"},
        "faults": {"type": "array", "items": {"type": "object"}},
        "stories": {"type": "array", "items": {"type": "object"}},
        "callbacks": {"type": "array", "items": {"type": "object"}},
    },
}
_SECTION_SPEC = compile_schema(SECTION_SCHEMA)


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


def _lowered_headers(raw: Sequence[tuple[bytes, bytes]]) -> dict[str, str]:
    return {name.decode("latin-1"): value.decode("latin-1") for name, value in raw}


def _literal_reply(spec: Mapping[str, Any]) -> Reply:
    """A story's literal ``reply``: JSON (the default) or text."""
    status = int(spec.get("status", 200))
    headers = dict(spec.get("headers", {}))
    if "text" in spec:
        return _TextReply({"text": spec["text"]}, status, headers, text=spec["text"])
    return Reply(spec.get("json"), status, headers)


@dataclass(frozen=True, slots=True)
class _TextReply(Reply):
    """A story's literal text reply; ``body`` is the journal's summary."""

    text: str = ""

    def response(self) -> Response:
        media = self.headers.get("content-type", "text/plain; charset=utf-8")
        return Response(self.text, self.status, dict(self.headers), media_type=media)


async def _json_body(request: Request) -> tuple[Any, str | None]:
    try:
        return json.loads(await request.body()), None
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None, "body: not valid JSON"


class Admin:
    """Faults, journal and the admin API of one mock, around its ``Scenario``.

    ``clock`` is the monotonic clock fault windows (outages) are measured on; ``soap_fault``
    makes the SOAP 1.1 Fault envelope of a faultstring, for mocks that speak SOAP.

    ``services`` names the mock's services (stories refuse others; the conformance report lists
    those never called); ``entities`` and ``answers`` are what the mock's stories can follow
    and decide (``mocks.stories``).
    """

    def __init__(
        self,
        scenario: Scenario,
        *,
        seed: int = 0,
        journal_capacity: int = DEFAULT_CAPACITY,
        clock: Callable[[], float] = time.monotonic,
        soap_fault: Callable[[str], bytes] | None = None,
        services: Sequence[str] = (),
        entities: Mapping[str, EntityReader] | None = None,
        answers: Mapping[str, AnswerKind] | None = None,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.journal = Journal(journal_capacity)
        self.faults = FaultInjector(seed, clock=clock)
        self.stories = Stories(entities=entities, answers=answers, services=services)
        self.callbacks = Callbacks()
        self.services = tuple(services)
        self.baseline: Mapping[str, Any] | None = None
        """The scenario section a reset returns to (``lienthong mocks --scenario``)."""
        self._soap_fault = soap_fault
        self._scenario_spec = (
            compile_schema(scenario.schema) if isinstance(scenario, Shaped) else None
        )

    def emit(self, event: str, data: Any) -> None:
        """Tell the callbacks subscribed to ``event`` (a state change of the mock)."""
        if len(self.callbacks):
            self.callbacks.emit(event, data)

    async def serve(
        self,
        request: Request,
        service: str | None,
        body: Any,
        handle: Callable[[], Awaitable[Reply]],
        *,
        facts: Any = None,
    ) -> Response:
        """Answer one client request of ``service``: faults first, then ``handle``, journaled.

        ``body`` is the parsed request body as it goes into the journal (secrets redacted);
        ``facts``, when given, is what stories read entities from instead (the body unmasked).
        """
        received_at = time.time()
        self.callbacks.start()
        decision: Decision | None = None
        if len(self.stories):
            call = Call(service, body, _lowered_headers(request.scope["headers"]), facts)
            decision = self.stories.decide(call)
            if decision:
                handle = self._deciding(decision, handle)
        raw_fault = _fault_header(request.scope["headers"])
        fault: Fault | None = None
        try:
            if raw_fault is not None:
                fault = self.faults.from_header(raw_fault)
            if fault is None and decision is not None and decision.fault is not None:
                fault = parse_fault(decision.fault, None, source="story", now=self.faults.now())
            if fault is None and len(self.faults):
                fault = self.faults.draw(service)
        except FaultSpecError as exc:
            refused = Reply({"error": "bad_fault_header", "message": str(exc)}, status=400)
            return self._deliver(request, service, body, received_at, refused, None)
        if fault is None:
            answered = await handle()
            return self._deliver(request, service, body, received_at, answered, None, 0.0, decision)
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
        return self._deliver(request, service, body, received_at, reply, fault, delay, decision)

    def _deciding(
        self, decision: Decision, handle: Callable[[], Awaitable[Reply]]
    ) -> Callable[[], Awaitable[Reply]]:
        """``handle`` under what the stories decided: a literal reply, an answer acting before
        the handler, or the handler reading its answers (``stories.answer_for``)."""

        async def decided() -> Reply:
            if decision.reply is not None:
                return _literal_reply(decision.reply)
            for answer in decision.answers:
                before = self.stories.answers[answer.name].before
                if before is not None:
                    replaced = before(answer.entity, answer.params)
                    if isinstance(replaced, Reply):
                        return replaced
            token = story_engine.deciding(decision)
            try:
                return await handle()
            finally:
                story_engine.finished(token)

        return decided

    def _told(self, decision: Decision) -> None:
        """Send the story steps' callbacks and tell subscribers of the states entered."""
        for spec, about in decision.callbacks:
            self.callbacks.send_step(spec, "story.step", about)
        for fired in decision.fired:
            if fired.moved_to is not None:
                entered = {
                    "story": fired.story,
                    "entity": fired.entity,
                    "state": fired.moved_to,
                    "from": fired.state,
                }
                self.emit("story.entered", entered)

    def _deliver(
        self,
        request: Request,
        service: str | None,
        body: Any,
        received_at: float,
        reply: Reply | None,
        fault: Fault | None,
        delay: float = 0.0,
        decision: Decision | None = None,
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
                story=[f.as_json() for f in decision.fired] if decision else None,
            )

        if decision:
            self._told(decision)
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
        """Back to a fresh start: scenario state, journal, faults, stories, callbacks, and the
        dice reseeded; then the ``baseline`` section, if the mock was started with one."""
        if seed is not None:
            self.seed = seed
        self.scenario.reset()
        self.journal.clear()
        self.faults.clear()
        self.faults.reseed(self.seed)
        self.stories.clear()
        self.callbacks.clear()
        if self.baseline is not None:
            self.load(self.baseline)

    def check(self, section: Mapping[str, Any]) -> None:
        """Raise ``ScenarioError`` unless ``load`` can put ``section`` in place.

        The message starts with the path of the field at fault within the section
        (``faults[1].rate: ...``).
        """
        problem = first_error(_SECTION_SPEC, section, whole="")
        if problem is not None:
            raise ScenarioError(problem)
        for i, spec in enumerate(section.get("faults", [])):
            try:
                parse_fault(spec, None)
            except FaultSpecError as exc:
                raise ScenarioError(f"faults[{i}].{exc}") from None
        for i, spec in enumerate(section.get("stories", [])):
            try:
                self.stories.check(spec)
            except StorySpecError as exc:
                raise ScenarioError(f"stories[{i}].{exc}") from None
        for i, spec in enumerate(section.get("callbacks", [])):
            try:
                Callback.parse(spec, 0)
            except CallbackSpecError as exc:
                raise ScenarioError(f"callbacks[{i}].{exc}") from None
        if "state" in section:
            if not isinstance(self.scenario, Shaped) or self._scenario_spec is None:
                raise ScenarioError("state: this mock keeps no state a test can set")
            problem = first_error(self._scenario_spec, section["state"], whole="")
            if problem is not None:
                raise ScenarioError(f"state.{problem}")

    def load(self, section: Mapping[str, Any]) -> None:
        """Put a scenario file's section for this mock in place, all or nothing.

        Raises ``ScenarioError`` as ``check`` does; nothing is changed then.
        """
        self.check(section)
        if "state" in section:
            assert isinstance(self.scenario, Shaped)
            try:
                self.scenario.restore(section["state"])
            except ScenarioError as exc:
                raise ScenarioError(f"state.{exc}") from None
        for spec in section.get("faults", []):
            self.faults.add(spec)
        for spec in section.get("stories", []):
            self.stories.add(spec)
        for spec in section.get("callbacks", []):
            self.callbacks.add(spec)

    def about(self) -> dict[str, Any]:
        """What a tester may script on this mock: its services, entity kinds and answers."""
        return {
            "services": list(self.services),
            "entities": sorted(self.stories.entities),
            "answers": {
                name: {
                    "description": kind.description,
                    "services": None if kind.services is None else list(kind.services),
                    "params": dict(kind.params),
                }
                for name, kind in sorted(self.stories.answers.items())
            },
            "shaped_state": isinstance(self.scenario, Shaped),
            "expiring": isinstance(self.scenario, Expiring),
        }

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
            Route("/__admin/stories", self._list_stories, methods=["GET"]),
            Route("/__admin/stories", self._add_story, methods=["POST"]),
            Route("/__admin/stories", self._clear_stories, methods=["DELETE"]),
            Route("/__admin/stories/{story_id:int}", self._remove_story, methods=["DELETE"]),
            Route("/__admin/callbacks", self._list_callbacks, methods=["GET"]),
            Route("/__admin/callbacks", self._add_callback, methods=["POST"]),
            Route("/__admin/callbacks", self._clear_callbacks, methods=["DELETE"]),
            Route(
                "/__admin/callbacks/{callback_id:int}", self._remove_callback, methods=["DELETE"]
            ),
            Route("/__admin/load", self._load, methods=["POST"]),
            Route("/__admin/about", self._about, methods=["GET"]),
            *extra,
        ]

    async def _list_stories(self, request: Request) -> Response:
        return JSONResponse({"stories": self.stories.listing()})

    async def _add_story(self, request: Request) -> Response:
        spec, problem = await _json_body(request)
        if problem is not None:
            return _error(400, problem)
        try:
            story = self.stories.add(spec)
        except StorySpecError as exc:
            return _error(400, str(exc))
        return JSONResponse({"id": story.id, "name": story.name}, status_code=201)

    async def _clear_stories(self, request: Request) -> Response:
        self.stories.clear()
        return Response(status_code=204)

    async def _remove_story(self, request: Request) -> Response:
        story_id: int = request.path_params["story_id"]
        if not self.stories.remove(story_id):
            return _error(404, f"story {story_id}: no such story")
        return Response(status_code=204)

    async def _list_callbacks(self, request: Request) -> Response:
        return JSONResponse(self.callbacks.listing())

    async def _add_callback(self, request: Request) -> Response:
        spec, problem = await _json_body(request)
        if problem is not None:
            return _error(400, problem)
        try:
            callback = self.callbacks.add(spec)
        except CallbackSpecError as exc:
            return _error(400, str(exc))
        return JSONResponse(callback.as_json(), status_code=201)

    async def _clear_callbacks(self, request: Request) -> Response:
        self.callbacks.clear()
        return Response(status_code=204)

    async def _remove_callback(self, request: Request) -> Response:
        callback_id: int = request.path_params["callback_id"]
        if not self.callbacks.remove(callback_id):
            return _error(404, f"callback {callback_id}: no such callback")
        return Response(status_code=204)

    async def _load(self, request: Request) -> Response:
        section, problem = await _json_body(request)
        if problem is not None:
            return _error(400, problem)
        try:
            if request.query_params.get("check") == "true":
                self.check(section)
            else:
                self.load(section)
        except ScenarioError as exc:
            return _error(400, str(exc))
        return JSONResponse(
            {
                "faults": len(self.faults),
                "stories": len(self.stories),
                "callbacks": len(self.callbacks),
            }
        )

    async def _about(self, request: Request) -> Response:
        return JSONResponse(self.about())

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
                "stories": len(self.stories),
                "callbacks": len(self.callbacks),
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
