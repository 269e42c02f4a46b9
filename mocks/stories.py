"""Stories: state machines per entity (per dossier, per session, per token...) on any mock.

A fault (``mocks.faults``) makes a whole service misbehave. A story scripts what happens to one
thing a client works with, the way a national system really surprises a province: "dossier
H-001: the first create answers *đã tồn tại*, the second succeeds", "each token expires after
three calls", "a submission comes back in the list after a supplement request".

A story names the **kind of entity** it follows (``entity: dossier``: each mock says which
kinds it can tell from a request, or ``entity: {path: data[*].MaHoSo}`` for any field of the
journaled request), optionally the entities it is about (``only``), and its **states**, each a
list of **rules**. Each entity has its own state, starting at ``start`` (the first state by
default). When a request names an entity, the first rule of the entity's state that fits it
(its ``on`` service, or ``"*"``, and its ``where`` fields) fires:

``fault``     a fault of the ``X-Mock-Fault`` vocabulary for this request (503, reset, hang...)
``reply``     a literal reply instead of the mock's: ``{"status", "json" | "text", "headers"}``
``answer``    one of the answers the mock offers for its entities (``exists``, ``expired``...),
              with ``params``; what it does is the mock's own behaviour, only decided here
``callback``  a signed message to a URL (``mocks.callbacks``), about this step
``then``      the state the entity moves to once the rule has fired ``times`` times (default 1;
              ``always``: it never wears out)

A rule with none of the first four only counts requests (useful with ``times`` and ``then``). A
rule marked ``each: true`` also fires on a request of its service that names no entity of the
kind (a list): for every entity in that state, so a mock can add those entities to what it lists.
``steps`` is a short form for a sequence: step *n* moves to step *n+1* once worn out, and after
the last step the entity is left to the mock's real behaviour.

Mocks plug in through two mappings given to ``mocks.admin.Admin``: ``entities`` (kind → a
function reading the entity ids a request names) and ``answers`` (name → ``AnswerKind``). A
handler asks ``answer_for(kind, entity)`` (or ``answers_of(kind)`` for a list) while it builds
its reply; an answer with a ``before`` function acts before the handler runs instead.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mocks import callbacks
from mocks.faults import FaultSpecError, parse_fault
from mocks.fields import FieldPath, FieldPathError, values_at
from mocks.schemas import compile_schema, first_error
from mocks.verification import accepts

ALWAYS = "always"
ANY_SERVICE = "*"
#: The state an entity is left in after the last of its ``steps``.
DONE = "done"
PATH_KIND = "path:"


@dataclass(frozen=True, slots=True)
class Call:
    """A request as stories see it: its service, journaled body, facts and headers.

    ``facts`` is what entity readers look at: the body unmasked (a mock that masks personal
    data in its journal passes the real values here), by default the journaled body.
    """

    service: str | None
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)
    facts: Any = None

    @property
    def readable(self) -> Any:
        return self.body if self.facts is None else self.facts


EntityReader = Callable[[Call], Sequence[str]]


@dataclass(frozen=True, slots=True)
class AnswerKind:
    """An answer a mock offers for its entities.

    ``services`` are those it makes sense on (``None``: any); ``params`` is the JSON Schema of
    its parameters; ``before``, when given, acts before the handler runs (with the entity and
    the parameters) and may return the reply to send instead of the handler's.
    """

    description: str
    services: tuple[str, ...] | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: {"type": "object"})
    before: Callable[[str, Mapping[str, Any]], Any] | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer a story decided for one entity of a request."""

    name: str
    params: Mapping[str, Any]
    entity: str
    kind: str


class StorySpecError(ValueError):
    """A story that cannot be used; the message starts with the path of the field at fault."""


_TIMES = {"oneOf": [{"type": "integer", "minimum": 1}, {"const": ALWAYS}]}
_ON = {
    "oneOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
    ]
}
_RULE = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "on": _ON,
        "where": {"type": "object"},
        "times": _TIMES,
        "each": {"type": "boolean"},
        "fault": {"type": "object"},
        "reply": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "status": {"type": "integer", "minimum": 100, "maximum": 599},
                "json": {},
                "text": {"type": "string"},
                "headers": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
        "answer": {"type": "string", "minLength": 1},
        "params": {"type": "object"},
        "callback": {"type": "object"},
        "then": {"type": "string", "minLength": 1},
    },
}

#: The JSON Schema of a story (``POST /__admin/stories``, a scenario file's ``stories``).
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "entity"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "entity": {
            "oneOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "required": ["path"],
                    "additionalProperties": False,
                    "properties": {"path": {"type": "string", "minLength": 1}},
                },
            ]
        },
        "only": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "start": {"type": "string", "minLength": 1},
        "states": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"type": "array", "items": _RULE},
        },
        "steps": {"type": "array", "minItems": 1, "items": _RULE},
    },
    "oneOf": [{"required": ["states"]}, {"required": ["steps"]}],
}
_SPEC = compile_schema(SCHEMA)


@dataclass(frozen=True, slots=True)
class Rule:
    services: tuple[str, ...]
    where: Mapping[str, Any]
    times: int | None
    each: bool
    fault: Mapping[str, Any] | None
    reply: Mapping[str, Any] | None
    answer: str | None
    params: Mapping[str, Any]
    callback: Mapping[str, Any] | None
    then: str | None

    def fits(self, call: Call) -> bool:
        if ANY_SERVICE not in self.services and call.service not in self.services:
            return False
        return all(
            any(accepts(expected, v) for v in values_at(call.body, path))
            for path, expected in self.where.items()
        )

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "on": list(self.services),
            "times": ALWAYS if self.times is None else self.times,
        }
        for name in ("fault", "reply", "answer", "callback", "then"):
            if getattr(self, name) is not None:
                found[name] = getattr(self, name)
        if self.where:
            found["where"] = dict(self.where)
        if self.params:
            found["params"] = dict(self.params)
        if self.each:
            found["each"] = True
        return found


@dataclass(frozen=True, slots=True)
class Story:
    id: int
    name: str
    kind: str
    path: FieldPath | None
    only: frozenset[str] | None
    start: str
    states: Mapping[str, tuple[Rule, ...]]
    spec: Mapping[str, Any]


@dataclass(slots=True)
class Fired:
    """What one rule did, as the journal records it."""

    story: str
    entity: str
    state: str
    rule: int
    moved_to: str | None

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "story": self.story,
            "entity": self.entity,
            "state": self.state,
            "rule": self.rule,
        }
        if self.moved_to is not None:
            found["then"] = self.moved_to
        return found


@dataclass(slots=True)
class Decision:
    """What the stories decided for one request."""

    fault: Mapping[str, Any] | None = None
    reply: Mapping[str, Any] | None = None
    answers: list[Answer] = field(default_factory=list)
    callbacks: list[tuple[Mapping[str, Any], dict[str, Any]]] = field(default_factory=list)
    fired: list[Fired] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.fired)


_current: contextvars.ContextVar[Decision | None] = contextvars.ContextVar(
    "mocks_story_decision", default=None
)


def _of_kind(answer: Answer, kind: str) -> bool:
    return answer.kind == kind or answer.kind.startswith(PATH_KIND)


def answer_for(kind: str, entity: str) -> Answer | None:
    """The answer a story decided for ``entity`` (of ``kind``) in the request being handled.

    A story that follows a field path (``entity: {path: ...}``) answers for any kind.
    """
    decision = _current.get()
    if decision is None:
        return None
    for answer in decision.answers:
        if answer.entity == entity and _of_kind(answer, kind):
            return answer
    return None


def answers_of(kind: str) -> dict[str, Answer]:
    """Every answer decided for entities of ``kind`` in the request being handled, by entity."""
    decision = _current.get()
    if decision is None:
        return {}
    return {a.entity: a for a in decision.answers if _of_kind(a, kind)}


def deciding(decision: Decision | None) -> contextvars.Token[Decision | None]:
    """Make ``decision`` the one ``answer_for`` reads; ``reset`` the token when handled."""
    return _current.set(decision)


def finished(token: contextvars.Token[Decision | None]) -> None:
    _current.reset(token)


class Stories:
    """The stories of one mock, and the state of each entity in each story."""

    def __init__(
        self,
        *,
        entities: Mapping[str, EntityReader] | None = None,
        answers: Mapping[str, AnswerKind] | None = None,
        services: Sequence[str] = (),
    ) -> None:
        self.entities = dict(entities or {})
        self.answers = dict(answers or {})
        self.services = tuple(services)
        self._stories: list[Story] = []
        self._next_id = 1
        self._states: dict[tuple[int, str], str] = {}
        self._counts: dict[tuple[int, str, str, int], int] = {}
        self._seen: dict[int, list[str]] = {}

    def check(self, spec: object) -> Story:
        """The story ``spec`` describes, not registered; ``StorySpecError`` names the field."""
        problem = first_error(_SPEC, spec, whole="")
        if problem is not None:
            raise StorySpecError(problem)
        assert isinstance(spec, Mapping)
        return self._parse(spec)

    def add(self, spec: object) -> Story:
        """Register a story; ``StorySpecError`` names the field at fault."""
        story = self.check(spec)
        self._stories.append(story)
        self._next_id += 1
        return story

    def _parse(self, spec: Mapping[str, Any]) -> Story:
        entity = spec["entity"]
        path: FieldPath | None = None
        if isinstance(entity, str):
            if entity not in self.entities:
                offered = ", ".join(sorted(self.entities)) or "none (use entity: {path: ...})"
                raise StorySpecError(
                    f"entity: {entity!r} is not a kind this mock can tell; it offers {offered}"
                )
            kind = entity
        else:
            try:
                path = FieldPath.parse(entity["path"])
            except FieldPathError as exc:
                raise StorySpecError(f"entity.path: {exc}") from None
            kind = f"{PATH_KIND}{entity['path']}"
        if "steps" in spec:
            raw: dict[str, list[Any]] = {}
            steps = spec["steps"]
            for n, rule in enumerate(steps, start=1):
                following = str(n + 1) if n < len(steps) else DONE
                raw[str(n)] = [{"then": following, **rule}]
            raw[DONE] = []
            where_of = {str(n): f"steps[{n - 1}]" for n in range(1, len(steps) + 1)}
        else:
            raw = dict(spec["states"])
            where_of = {name: f"states.{name}" for name in raw}
        states: dict[str, tuple[Rule, ...]] = {}
        stepwise = "steps" in spec
        for name, rules in raw.items():
            states[name] = tuple(
                self._rule(rule, where_of.get(name, name) + ("" if stepwise else f"[{i}]"))
                for i, rule in enumerate(rules)
            )
        start = spec.get("start", next(iter(states)))
        if start not in states:
            raise StorySpecError(f"start: {start!r} is not one of the states ({', '.join(states)})")
        for name, parsed in states.items():
            for i, rule in enumerate(parsed):
                if rule.then is not None and rule.then not in states:
                    at = where_of.get(name, name) + ("" if stepwise else f"[{i}]")
                    raise StorySpecError(
                        f"{at}.then: {rule.then!r} is not one of the states ({', '.join(states)})"
                    )
        only = spec.get("only")
        return Story(
            id=self._next_id,
            name=spec["name"],
            kind=kind,
            path=path,
            only=frozenset(only) if only is not None else None,
            start=start,
            states=states,
            spec=dict(spec),
        )

    def _rule(self, spec: Mapping[str, Any], at: str) -> Rule:
        on = spec.get("on", ANY_SERVICE)
        services = (on,) if isinstance(on, str) else tuple(on)
        if self.services:
            for service in services:
                if service != ANY_SERVICE and service not in self.services:
                    raise StorySpecError(
                        f"{at}.on: {service!r} is not a service of this mock; it offers "
                        f"{', '.join(self.services)}"
                    )
        for path in spec.get("where", {}):
            try:
                FieldPath.parse(path)
            except FieldPathError as exc:
                raise StorySpecError(f"{at}.where: {exc}") from None
        answer = spec.get("answer")
        params = dict(spec.get("params", {}))
        if answer is not None:
            kind = self.answers.get(answer)
            if kind is None:
                offered = ", ".join(sorted(self.answers)) or "none"
                raise StorySpecError(
                    f"{at}.answer: {answer!r} is not an answer of this mock; it offers {offered}"
                )
            if kind.services is not None:
                strangers = [s for s in services if s not in kind.services]
                if strangers:
                    raise StorySpecError(
                        f"{at}.on: the answer {answer} applies to {', '.join(kind.services)}, "
                        f"not {', '.join(strangers)}"
                    )
            problem = first_error(compile_schema(kind.params), params, whole="")
            if problem is not None:
                raise StorySpecError(f"{at}.params.{problem}".replace("params.:", "params:"))
        elif params:
            raise StorySpecError(f"{at}.params: given without an answer")
        fault = spec.get("fault")
        if fault is not None:
            try:
                parse_fault(fault, None, source="story")
            except FaultSpecError as exc:
                raise StorySpecError(f"{at}.fault.{exc}") from None
        callback = spec.get("callback")
        if callback is not None:
            try:
                callbacks.check_step(callback, f"{at}.callback")
            except callbacks.CallbackSpecError as exc:
                raise StorySpecError(str(exc)) from None
        reply = spec.get("reply")
        if reply is not None and "json" in reply and "text" in reply:
            raise StorySpecError(f"{at}.reply: give json or text, not both")
        times = spec.get("times", 1)
        return Rule(
            services=services,
            where=dict(spec.get("where", {})),
            times=None if times == ALWAYS else int(times),
            each=bool(spec.get("each", False)),
            fault=fault,
            reply=reply,
            answer=answer,
            params=params,
            callback=callback,
            then=spec.get("then"),
        )

    def __len__(self) -> int:
        return len(self._stories)

    def clear(self) -> None:
        self._stories.clear()
        self.rewind()

    def rewind(self) -> None:
        """Every entity back to its story's start; the stories stay."""
        self._states.clear()
        self._counts.clear()
        self._seen.clear()

    def remove(self, story_id: int) -> bool:
        kept = [s for s in self._stories if s.id != story_id]
        found = len(kept) != len(self._stories)
        self._stories = kept
        return found

    def _entities_of(self, story: Story, call: Call) -> list[str]:
        if story.path is not None:
            named = [v for v in values_at(call.body, story.path) if isinstance(v, str | int)]
            found = [str(v) for v in named]
        else:
            found = list(self.entities[story.kind](call))
        return list(dict.fromkeys(found))

    def decide(self, call: Call) -> Decision:
        """Fire the rules that fit ``call`` and move entities on; what the request gets."""
        decision = Decision()
        for story in self._stories:
            named = self._entities_of(story, call)
            listing = not named
            if listing:
                known = self._seen.get(story.id, [])
                named = sorted(story.only) if story.only is not None else list(known)
            seen = self._seen.setdefault(story.id, [])
            for entity in named:
                if story.only is not None and entity not in story.only:
                    continue
                if not listing and entity not in seen:
                    seen.append(entity)
                self._fire(story, entity, call, decision, listing=listing)
        return decision

    def _fire(
        self, story: Story, entity: str, call: Call, decision: Decision, *, listing: bool
    ) -> None:
        state = self._states.get((story.id, entity), story.start)
        for index, rule in enumerate(story.states[state]):
            if listing and not rule.each:
                continue
            if not rule.fits(call):
                continue
            key = (story.id, entity, state, index)
            used = self._counts.get(key, 0)
            if rule.times is not None and used >= rule.times:
                continue
            self._counts[key] = used + 1
            moved_to: str | None = None
            if rule.then is not None and rule.times is not None and used + 1 >= rule.times:
                moved_to = rule.then
                self._states[(story.id, entity)] = rule.then
                for stale in [k for k in self._counts if k[:3] == (story.id, entity, rule.then)]:
                    del self._counts[stale]
            if rule.fault is not None and decision.fault is None:
                decision.fault = rule.fault
            if rule.reply is not None and decision.reply is None:
                decision.reply = rule.reply
            if rule.answer is not None:
                decision.answers.append(Answer(rule.answer, rule.params, entity, story.kind))
            about = {"story": story.name, "entity": entity, "state": state, "service": call.service}
            if rule.callback is not None:
                decision.callbacks.append((rule.callback, about))
            decision.fired.append(Fired(story.name, entity, state, index, moved_to))
            return

    def state_of(self, story: Story, entity: str) -> str:
        return self._states.get((story.id, entity), story.start)

    def listing(self) -> list[dict[str, Any]]:
        """Every story with its spec and the state of each entity it has met."""
        found: list[dict[str, Any]] = []
        for story in self._stories:
            entities = dict.fromkeys(self._seen.get(story.id, []))
            entities.update(dict.fromkeys(sorted(story.only or ())))
            found.append(
                {
                    "id": story.id,
                    "name": story.name,
                    "spec": dict(story.spec),
                    "entities": {e: self.state_of(story, e) for e in entities},
                }
            )
        return found
