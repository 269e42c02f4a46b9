"""Fault injection for mocks: make a national system slow, down, rude or broken, on purpose.

A fault applies to one service of a mock (or to all, with ``service`` null) and fires on a
request with probability ``rate``, at most ``times`` times, and only inside its ``window`` if it
has one. When it fires the mock waits its delay (``latency_ms``, or a ``delay`` drawn from a
fixed, uniform or log-normal distribution), then the fault's one outcome happens:

``status``     the mock answers that HTTP status instead of the real reply, with ``Retry-After``
               when ``retry_after`` is set, or for a 429 or 503 inside a window (the seconds left
               in it), and always for a 429;
``hang``       the mock holds the request open without answering, until the client gives up or
               ``max_s`` passes, when it drops the connection;
``reset``      the TCP connection is dropped (RST) without an HTTP answer;
``truncate``   the real reply is cut after ``keep`` of its body and the connection closed, its
               ``Content-Length`` still declaring the whole (``framing: chunked`` sends no length
               and stops the chunked stream instead);
``malformed``  the real reply is answered complete and well framed, its body cut in half: not
               valid JSON, nor valid XML for SOAP services.

A fault with no outcome only delays the real reply. ``phase`` says when the outcome happens:
``"before"`` the request is handled (the mock's state is unchanged), or ``"after"`` (the request
is applied and then its reply is lost: the case that tests whether a client's redelivery is
safe). ``truncate`` and ``malformed`` act on the real reply, so they are always ``"after"``.

An ``outage`` is a fault with a window: ``{"outage": {"after_s": 0, "for_s": 60}}`` answers 503
with ``Retry-After`` for 60 seconds from now (its ``status``, ``reset`` or ``hang`` may say how
the mock is down instead).

A client may also carry a fault for its own request in the ``X-Mock-Fault`` header, in the same
JSON without ``service``, ``times``, ``window`` or ``outage``; when it fires, the registered
faults are not tried.

Descriptions are checked against a JSON Schema (jsonschema-rs); errors name the field. The dice
(whether a fault fires) and the delays are two ``random.Random`` with a settable seed, so a test
that injects a 30 % fault with log-normal delays sees the same sequence on every run, and adding
a delay does not change which requests fail.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from mocks import delays
from mocks.delays import Delay, DelayError
from mocks.schemas import compile_schema, first_error

Phase = Literal["before", "after"]
Source = Literal["admin", "header", "story"]
Framing = Literal["content-length", "chunked"]
Outcome = Literal["status", "hang", "reset", "truncate", "malformed"]

#: The request header a client puts a fault for its own request in.
FAULT_HEADER = "X-Mock-Fault"

DEFAULT_RETRY_AFTER = 1
DEFAULT_OUTAGE_STATUS = 503
DEFAULT_HANG_S = 30.0
MAX_HANG_S = 600
DEFAULT_KEEP = 0.5

OUTCOMES: tuple[Outcome, ...] = ("status", "hang", "reset", "truncate", "malformed")
_ACTS_ON_REPLY = frozenset({"truncate", "malformed"})
_THROTTLING = frozenset({429, 503})

_STATUS = {"type": ["integer", "null"], "minimum": 400, "maximum": 599}
_RETRY_AFTER = {"type": ["integer", "null"], "minimum": 0}
_HANG = {
    "type": "object",
    "properties": {"max_s": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_HANG_S}},
    "additionalProperties": False,
}
_WINDOW_TIMES = {
    "after_s": {"type": "number", "minimum": 0},
    "for_s": {"type": "number", "exclusiveMinimum": 0},
}

#: The JSON Schema of a fault registered through the admin API.
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "service": {"type": ["string", "null"], "minLength": 1},
        "rate": {"type": "number", "minimum": 0, "maximum": 1},
        "times": {"type": ["integer", "null"], "minimum": 1},
        "phase": {"enum": ["before", "after"]},
        "latency_ms": {"type": "integer", "minimum": 0, "maximum": delays.MAX_DELAY_MS},
        "delay": delays.SCHEMA,
        "status": _STATUS,
        "retry_after": _RETRY_AFTER,
        "hang": _HANG,
        "reset": {"type": "boolean"},
        "truncate": {
            "type": "object",
            "properties": {
                "keep": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
                "framing": {"enum": ["content-length", "chunked"]},
            },
            "additionalProperties": False,
        },
        "malformed": {"type": "boolean"},
        "window": {
            "type": "object",
            "required": ["for_s"],
            "properties": _WINDOW_TIMES,
            "additionalProperties": False,
        },
        "outage": {
            "type": "object",
            "required": ["for_s"],
            "properties": {
                **_WINDOW_TIMES,
                "status": _STATUS,
                "retry_after": _RETRY_AFTER,
                "reset": {"type": "boolean"},
                "hang": _HANG,
            },
            "additionalProperties": False,
        },
    },
}

_HEADER_ONLY_FOR_ADMIN = ("service", "times", "window", "outage")

#: The JSON Schema of a fault in the ``X-Mock-Fault`` header: it applies to its own request.
HEADER_SCHEMA: dict[str, Any] = {
    **SCHEMA,
    "properties": {
        k: v for k, v in SCHEMA["properties"].items() if k not in _HEADER_ONLY_FOR_ADMIN
    },
}

_ADMIN_SPEC = compile_schema(SCHEMA)
_HEADER_SPEC = compile_schema(HEADER_SCHEMA)


class FaultSpecError(ValueError):
    """A fault description that cannot be used; the message names the field and the rule."""


@dataclass(frozen=True, slots=True)
class Window:
    """When a fault may fire: from ``starts`` to ``ends`` on the injector's monotonic clock."""

    after_s: float
    for_s: float
    starts: float
    ends: float

    def open_at(self, now: float) -> bool:
        return self.starts <= now < self.ends

    def as_json(self) -> dict[str, float]:
        return {"after_s": self.after_s, "for_s": self.for_s}


@dataclass(frozen=True, slots=True)
class Fault:
    """One fault, as registered or as a request's header carried it.

    ``id`` orders registered faults and names them in the journal (``None`` for a header's).
    ``outcome`` is what happens when it fires, ``None`` for a delay alone; ``status``,
    ``hang_s``, ``keep`` and ``framing`` are the outcome's parameters.
    """

    id: int | None
    source: Source
    service: str | None
    rate: float
    times: int | None
    phase: Phase
    delay: Delay | None
    outcome: Outcome | None
    status: int | None = None
    retry_after: int | None = None
    hang_s: float = DEFAULT_HANG_S
    keep: float = DEFAULT_KEEP
    framing: Framing = "content-length"
    window: Window | None = None

    def retry_after_header(self, now: float) -> str | None:
        """The ``Retry-After`` value to send with this fault's status at ``now``, if any."""
        if self.retry_after is not None:
            return str(self.retry_after)
        if self.window is not None and self.status in _THROTTLING:
            return str(max(1, math.ceil(self.window.ends - now)))
        if self.status == 429:
            return str(DEFAULT_RETRY_AFTER)
        return None

    def as_json(self) -> dict[str, Any]:
        """The fault as listed and journaled; ``latency_ms`` is the fixed delay (0 for none)."""
        latency_ms: float | None = 0
        if self.delay is not None:
            latency_ms = self.delay.low_ms if self.delay.type == "fixed" else None
        found: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "service": self.service,
            "rate": self.rate,
            "times": self.times,
            "phase": self.phase,
            "latency_ms": latency_ms,
            "delay": None if self.delay is None else self.delay.as_json(),
            "outcome": self.outcome,
            "status": self.status,
            "retry_after": self.retry_after,
            "window": None if self.window is None else self.window.as_json(),
        }
        if self.outcome == "hang":
            found["hang"] = {"max_s": self.hang_s}
        elif self.outcome == "truncate":
            found["truncate"] = {"keep": self.keep, "framing": self.framing}
        return found


def _outcome_of(spec: Mapping[str, Any], where: str = "") -> Outcome | None:
    """The one outcome ``spec`` names; ``FaultSpecError`` when it names more than one."""
    named = [
        o
        for o in OUTCOMES
        if (o == "status" and spec.get("status") is not None)
        or (o in ("reset", "malformed") and spec.get(o) is True)
        or (o in ("hang", "truncate") and o in spec)
    ]
    if len(named) > 1:
        first, second = named[0], named[1]
        raise FaultSpecError(
            f"{where}{second}: cannot be combined with {first}; a fault has one outcome"
        )
    return named[0] if named else None


def _with_outage(spec: Mapping[str, Any]) -> dict[str, Any]:
    """``spec`` with its ``outage`` spelled out as a window and an outcome (503 by default)."""
    merged = dict(spec)
    outage: dict[str, Any] = dict(merged.pop("outage"))
    for name in ("window", *OUTCOMES, "retry_after"):
        if name in merged:
            raise FaultSpecError(f"{name}: an outage says it itself (outage.{name}), not beside")
    window = {"after_s": outage.pop("after_s", 0), "for_s": outage.pop("for_s")}
    if _outcome_of(outage, "outage.") is None:
        outage["status"] = DEFAULT_OUTAGE_STATUS
    return {**merged, **outage, "window": window}


def parse_fault(
    spec: object,
    fault_id: int | None,
    *,
    source: Source = "admin",
    now: float = 0.0,
) -> Fault:
    """A ``Fault`` from its JSON description, or ``FaultSpecError`` naming what is wrong.

    ``now`` is the injector's clock, from which a ``window`` counts. A fault a story decides
    for one request (``source="story"``) is described as a header's is.
    """
    if source == "admin":
        problem = first_error(_ADMIN_SPEC, spec)
    else:
        problem = first_error(_HEADER_SPEC, spec, whole="")
    if problem is not None:
        raise FaultSpecError(problem)
    assert isinstance(spec, Mapping)
    if "outage" in spec:
        spec = _with_outage(spec)
    outcome = _outcome_of(spec)
    if "latency_ms" in spec and "delay" in spec:
        raise FaultSpecError("delay: give either latency_ms or delay, not both")
    try:
        delay = Delay.from_json(spec["delay"]) if "delay" in spec else None
    except DelayError as exc:
        raise FaultSpecError(str(exc)) from None
    if delay is None and spec.get("latency_ms", 0) > 0:
        delay = Delay.fixed(spec["latency_ms"])
    if outcome is None and delay is None:
        raise FaultSpecError(
            f"status: a fault needs an outcome ({', '.join(OUTCOMES)}), a delay, or both"
        )
    phase: Phase = spec.get("phase", "after" if outcome in _ACTS_ON_REPLY else "before")
    if outcome in _ACTS_ON_REPLY and phase == "before":
        raise FaultSpecError(
            f"phase: {outcome} acts on the real reply, so the request is always handled; "
            "phase must be after"
        )
    window: Window | None = None
    if "window" in spec:
        after_s, for_s = spec["window"].get("after_s", 0), spec["window"]["for_s"]
        window = Window(after_s, for_s, now + after_s, now + after_s + for_s)
    truncate: Mapping[str, Any] = spec.get("truncate", {})
    return Fault(
        id=fault_id,
        source=source,
        service=spec.get("service"),
        rate=float(spec.get("rate", 1.0)),
        times=spec.get("times"),
        phase=phase,
        delay=delay,
        outcome=outcome,
        status=spec.get("status"),
        retry_after=spec.get("retry_after"),
        hang_s=float(spec.get("hang", {}).get("max_s", DEFAULT_HANG_S)),
        keep=float(truncate.get("keep", DEFAULT_KEEP)),
        framing=truncate.get("framing", "content-length"),
        window=window,
    )


class FaultInjector:
    """The faults of one mock, the seeded dice that decide when they fire, and their delays.

    ``clock`` is the monotonic clock windows are measured on; tests may move it.
    """

    def __init__(self, seed: int = 0, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._random = random.Random()
        self._delays = random.Random()
        self._faults: dict[int, Fault] = {}
        self._fired: dict[int, int] = {}
        self._ids = itertools.count(1)
        self.reseed(seed)

    def reseed(self, seed: int) -> None:
        self._random.seed(seed)
        self._delays.seed(f"delays-{seed}")

    def now(self) -> float:
        return self._clock()

    def add(self, spec: object) -> Fault:
        """Register a fault from its JSON description; raises ``FaultSpecError``."""
        fault_id = next(self._ids)
        fault = parse_fault(spec, fault_id, now=self._clock())
        self._faults[fault_id] = fault
        self._fired[fault_id] = 0
        return fault

    def listing(self) -> list[dict[str, Any]]:
        """Every registered fault with how often it has fired, in the order they were added."""
        return [{**f.as_json(), "fired": self._fired[i]} for i, f in self._faults.items()]

    def remove(self, fault_id: int) -> bool:
        """Remove one fault; False when there was none with that id."""
        if self._faults.pop(fault_id, None) is None:
            return False
        del self._fired[fault_id]
        return True

    def clear(self) -> None:
        self._faults.clear()
        self._fired.clear()

    def __len__(self) -> int:
        return len(self._faults)

    def draw(self, service: str | None) -> Fault | None:
        """The registered fault that fires on this request of ``service``, if any.

        Faults are tried in the order they were added; each matching fault that has not used up
        its ``times`` and whose window (if any) is open rolls the dice once, and the first that
        comes up fires.
        """
        now: float | None = None
        for fault_id, fault in self._faults.items():
            if fault.service is not None and fault.service != service:
                continue
            if fault.times is not None and self._fired[fault_id] >= fault.times:
                continue
            if fault.window is not None:
                now = self._clock() if now is None else now
                if not fault.window.open_at(now):
                    continue
            if self._random.random() < fault.rate:
                self._fired[fault_id] += 1
                return fault
        return None

    def from_header(self, raw: str) -> Fault | None:
        """The fault an ``X-Mock-Fault`` header carries, if its dice come up.

        A header fault at rate 1 does not roll, so it leaves the registered faults' dice alone.

        Raises ``FaultSpecError`` (naming the header and the field) for a bad header.
        """
        try:
            spec = json.loads(raw)
        except json.JSONDecodeError:
            raise FaultSpecError(f"{FAULT_HEADER}: not valid JSON") from None
        try:
            fault = parse_fault(spec, None, source="header", now=self._clock())
        except FaultSpecError as exc:
            raise FaultSpecError(f"{FAULT_HEADER}: {exc}") from None
        if fault.rate < 1 and self._random.random() >= fault.rate:
            return None
        return fault

    def delay_of(self, fault: Fault) -> float:
        """How long ``fault`` makes this request wait, in seconds (0 without a delay)."""
        return 0.0 if fault.delay is None else fault.delay.draw(self._delays)
