"""Latency figures of a run: percentiles by nearest rank, in milliseconds."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Latency:
    count: int
    p50_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latency:
        if not seconds:
            return cls(0, 0.0, 0.0, 0.0, 0.0)
        ordered = sorted(seconds)
        return cls(
            count=len(ordered),
            p50_ms=_ms(_rank(ordered, 0.50)),
            p99_ms=_ms(_rank(ordered, 0.99)),
            mean_ms=_ms(sum(ordered) / len(ordered)),
            max_ms=_ms(ordered[-1]),
        )

    def as_json(self) -> dict[str, float | int]:
        return asdict(self)


def _rank(ordered: Sequence[float], quantile: float) -> float:
    return ordered[max(math.ceil(quantile * len(ordered)) - 1, 0)]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)
