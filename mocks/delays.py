"""How long an injected fault makes a mock wait: a fixed, uniform or log-normal delay.

Real national systems are not uniformly slow: most replies come quickly and a few take very
long. A log-normal delay (``median_ms``, ``sigma``) has that long tail, as WireMock's
``lognormal`` distribution does; ``uniform`` spreads replies between two bounds; ``fixed`` is the
simplest. Every draw comes from a ``random.Random`` the caller seeds, so a test sees the same
delays on every run.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

DelayType = Literal["fixed", "uniform", "lognormal"]

#: The longest delay any distribution may produce, so a typo cannot hold a mock for hours.
MAX_DELAY_MS = 600_000

_MS = {"type": "integer", "minimum": 0, "maximum": MAX_DELAY_MS}

#: The JSON Schema of a ``delay`` object; each ``type`` allows exactly its own fields.
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type"],
    "properties": {"type": {"enum": ["fixed", "uniform", "lognormal"]}},
    "allOf": [
        {
            "if": {"properties": {"type": {"const": "fixed"}}},
            "then": {
                "required": ["ms"],
                "properties": {"type": True, "ms": _MS},
                "additionalProperties": False,
            },
        },
        {
            "if": {"properties": {"type": {"const": "uniform"}}},
            "then": {
                "required": ["min_ms", "max_ms"],
                "properties": {"type": True, "min_ms": _MS, "max_ms": _MS},
                "additionalProperties": False,
            },
        },
        {
            "if": {"properties": {"type": {"const": "lognormal"}}},
            "then": {
                "required": ["median_ms", "sigma"],
                "properties": {
                    "type": True,
                    "median_ms": {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_DELAY_MS},
                    "sigma": {"type": "number", "minimum": 0, "maximum": 10},
                    "max_ms": _MS,
                },
                "additionalProperties": False,
            },
        },
    ],
}


class DelayError(ValueError):
    """A delay that passes the schema but cannot be used; the message names the field."""


@dataclass(frozen=True, slots=True)
class Delay:
    """A delay distribution; ``draw`` gives one delay in seconds.

    ``low_ms`` and ``high_ms`` bound ``uniform``; ``median_ms`` and ``sigma`` shape
    ``lognormal``, whose draws are capped at ``high_ms``; ``fixed`` is ``low_ms``.
    """

    type: DelayType
    low_ms: float = 0
    high_ms: float = 0
    median_ms: float = 0
    sigma: float = 0

    @classmethod
    def fixed(cls, ms: int) -> Delay:
        return cls("fixed", low_ms=ms, high_ms=ms)

    @classmethod
    def from_json(cls, spec: Mapping[str, Any]) -> Delay:
        """A delay from a ``delay`` object that already passed ``SCHEMA``."""
        if spec["type"] == "fixed":
            return cls.fixed(spec["ms"])
        if spec["type"] == "uniform":
            low, high = spec["min_ms"], spec["max_ms"]
            if low > high:
                raise DelayError(f"delay.min_ms: {low} is more than delay.max_ms {high}")
            return cls("uniform", low_ms=low, high_ms=high)
        cap = spec.get("max_ms", MAX_DELAY_MS)
        median = spec["median_ms"]
        if median > cap:
            raise DelayError(f"delay.median_ms: {median} is more than delay.max_ms {cap}")
        return cls("lognormal", high_ms=cap, median_ms=median, sigma=spec["sigma"])

    def draw(self, dice: random.Random) -> float:
        """One delay in seconds; ``fixed`` never touches ``dice``."""
        if self.type == "fixed":
            return self.low_ms / 1000
        if self.type == "uniform":
            return dice.uniform(self.low_ms, self.high_ms) / 1000
        drawn = dice.lognormvariate(math.log(self.median_ms), self.sigma)
        return min(drawn, self.high_ms) / 1000

    def as_json(self) -> dict[str, Any]:
        if self.type == "fixed":
            return {"type": "fixed", "ms": self.low_ms}
        if self.type == "uniform":
            return {"type": "uniform", "min_ms": self.low_ms, "max_ms": self.high_ms}
        return {
            "type": "lognormal",
            "median_ms": self.median_ms,
            "sigma": self.sigma,
            "max_ms": self.high_ms,
        }
