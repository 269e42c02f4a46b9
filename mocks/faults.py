"""Fault injection for mocks: make a national system slow, down or rate-limiting, on purpose.

A fault applies to one service of a mock (or to all, with ``service`` null) and fires on a
request with probability ``rate``. When it fires, the mock waits ``latency_ms`` and then, if the
fault has a ``status``, answers that HTTP status instead of the real reply (with ``Retry-After``
when ``retry_after`` is set; a 429 always carries one). With ``phase`` ``"after"`` the mock
first handles the request, changing its state, and then loses the reply: the case that tests
whether a client's redelivery is safe. ``times`` bounds how often a fault fires.

The dice are a ``random.Random`` with a settable seed, so a test that injects a 30 % fault sees
the same sequence on every run.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import jsonschema_rs

Phase = Literal["before", "after"]

DEFAULT_RETRY_AFTER = 1

_SPEC = jsonschema_rs.validator_for(
    {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "service": {"type": ["string", "null"], "minLength": 1},
            "status": {"type": ["integer", "null"], "minimum": 400, "maximum": 599},
            "rate": {"type": "number", "minimum": 0, "maximum": 1},
            "latency_ms": {"type": "integer", "minimum": 0, "maximum": 600_000},
            "retry_after": {"type": ["integer", "null"], "minimum": 0},
            "times": {"type": ["integer", "null"], "minimum": 1},
            "phase": {"enum": ["before", "after"]},
        },
    }
)


class FaultSpecError(ValueError):
    """A fault description that cannot be used; the message names the field."""


@dataclass(frozen=True, slots=True)
class Fault:
    """One injected fault, as registered; ``id`` orders faults and names them in the journal."""

    id: int
    service: str | None
    status: int | None
    rate: float
    latency_ms: int
    retry_after: int | None
    times: int | None
    phase: Phase

    @property
    def retry_after_header(self) -> str | None:
        """The ``Retry-After`` value to send with this fault's status, if any."""
        if self.retry_after is not None:
            return str(self.retry_after)
        if self.status == 429:
            return str(DEFAULT_RETRY_AFTER)
        return None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "service": self.service,
            "status": self.status,
            "rate": self.rate,
            "latency_ms": self.latency_ms,
            "retry_after": self.retry_after,
            "times": self.times,
            "phase": self.phase,
        }


def parse_fault(spec: object, fault_id: int) -> Fault:
    """A ``Fault`` from its JSON description, or ``FaultSpecError`` naming what is wrong."""
    error = next(iter(_SPEC.iter_errors(spec)), None)
    if error is not None:
        where = ".".join(str(p) for p in error.instance_path) or "body"
        raise FaultSpecError(f"{where}: {error.message}")
    assert isinstance(spec, Mapping)
    status = spec.get("status")
    latency_ms = int(spec.get("latency_ms", 0))
    if status is None and latency_ms == 0:
        raise FaultSpecError("status: a fault needs a status, a latency_ms, or both")
    phase: Phase = "after" if spec.get("phase") == "after" else "before"
    return Fault(
        id=fault_id,
        service=spec.get("service"),
        status=status,
        rate=float(spec.get("rate", 1.0)),
        latency_ms=latency_ms,
        retry_after=spec.get("retry_after"),
        times=spec.get("times"),
        phase=phase,
    )


class FaultInjector:
    """The faults of one mock and the seeded dice that decide when they fire."""

    def __init__(self, seed: int = 0) -> None:
        self._random = random.Random(seed)
        self._faults: list[Fault] = []
        self._fired: dict[int, int] = {}
        self._ids = itertools.count(1)

    def reseed(self, seed: int) -> None:
        self._random.seed(seed)

    def add(self, spec: object) -> Fault:
        """Register a fault from its JSON description; raises ``FaultSpecError``."""
        fault = parse_fault(spec, next(self._ids))
        self._faults.append(fault)
        self._fired[fault.id] = 0
        return fault

    def listing(self) -> list[dict[str, Any]]:
        """Every registered fault with how often it has fired, in the order they were added."""
        return [{**f.as_json(), "fired": self._fired[f.id]} for f in self._faults]

    def remove(self, fault_id: int) -> bool:
        """Remove one fault; False when there was none with that id."""
        kept = [f for f in self._faults if f.id != fault_id]
        if len(kept) == len(self._faults):
            return False
        self._faults = kept
        del self._fired[fault_id]
        return True

    def clear(self) -> None:
        self._faults.clear()
        self._fired.clear()

    def __len__(self) -> int:
        return len(self._faults)

    def draw(self, service: str | None) -> Fault | None:
        """The fault that fires on this request of ``service``, if any.

        Faults are tried in the order they were added; each matching fault that has not used up
        its ``times`` rolls the dice once, and the first that comes up fires.
        """
        for fault in self._faults:
            if fault.service is not None and fault.service != service:
                continue
            if fault.times is not None and self._fired[fault.id] >= fault.times:
                continue
            if self._random.random() < fault.rate:
                self._fired[fault.id] += 1
                return fault
        return None
