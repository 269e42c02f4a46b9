"""Request verification over a mock's journal, with a near-miss report when nothing matches.

A tester states what the mock should have received: the service, and ``where`` a few fields of
the request (by ``mocks.fields`` path: ``{"data[*].MaHoSo": "H-001"}``) had given values. A value
may be the exact JSON value, a ``re.Pattern`` the text must match in full, or a callable that
says yes or no. ``status`` and ``method`` check the exchange itself.

When no request matches, ``near_misses`` ranks every journaled request by how close it came
(the share of criteria it met, then how alike the differing values are, newest first on a tie)
and ``describe_misses`` writes the report WireMock users know: for each of the closest requests,
which fields differed, what was expected and what was there.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mocks.fields import FieldPath, values_at

#: Any value at all, as long as the field is there.
ANY: Any = object()

_SHOWN = 80


def shown(value: Any) -> str:
    """A value as a report quotes it: JSON, cut to a line."""
    if value is ANY:
        return "any value"
    if isinstance(value, re.Pattern):
        return f"text matching /{value.pattern}/"
    if callable(value):
        return getattr(value, "__name__", "a value the check accepts")
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def accepts(expected: Any, actual: Any) -> bool:
    """Whether ``actual`` is what ``expected`` asks for (a value, a pattern, a check, ``ANY``)."""
    if expected is ANY:
        return True
    if isinstance(expected, re.Pattern):
        return isinstance(actual, str) and expected.fullmatch(actual) is not None
    if callable(expected):
        return bool(expected(actual))
    return bool(expected == actual)


def _likeness(expected: Any, actual: Any) -> float:
    if expected is ANY or callable(expected) or isinstance(expected, re.Pattern):
        return 0.0
    return difflib.SequenceMatcher(None, shown(expected), shown(actual)).ratio()


def _exchange_field(name: str) -> Callable[[Mapping[str, Any]], list[Any]]:
    def read(entry: Mapping[str, Any]) -> list[Any]:
        return [entry[name]] if name in entry else []

    return read


def _request_field(path: FieldPath) -> Callable[[Mapping[str, Any]], list[Any]]:
    def read(entry: Mapping[str, Any]) -> list[Any]:
        return values_at(entry.get("request"), path)

    return read


@dataclass(frozen=True, slots=True)
class Expectation:
    """What a request should look like. Empty parts are not checked."""

    service: str | None = None
    where: Mapping[str, Any] | None = None
    status: int | None = None
    method: str | None = None

    def criteria(self) -> list[tuple[str, Any, Callable[[Mapping[str, Any]], list[Any]]]]:
        """``(label, expected, values of the entry)`` for each part to check."""
        found: list[tuple[str, Any, Callable[[Mapping[str, Any]], list[Any]]]] = []
        for name in ("service", "method", "status"):
            expected = getattr(self, name)
            if expected is not None:
                found.append((name, expected, _exchange_field(name)))
        for text, expected in (self.where or {}).items():
            found.append((text, expected, _request_field(FieldPath.parse(text))))
        return found

    def describe(self) -> str:
        parts = [f"{self.service}" if self.service else "request"]
        conditions = [f"{k} = {shown(v)}" for k, v in (self.where or {}).items()]
        if self.method:
            conditions.insert(0, f"method = {self.method}")
        if self.status is not None:
            conditions.append(f"status = {self.status}")
        if conditions:
            parts.append("with " + ", ".join(conditions))
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Difference:
    """One criterion a request did not meet: the field, what was expected, what was there."""

    field: str
    expected: str
    actual: str

    def line(self) -> str:
        return f"{self.field}: expected {self.expected}, got {self.actual}"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A journaled request and how close it came to the expectation."""

    entry: Mapping[str, Any]
    met: int
    of: int
    differences: tuple[Difference, ...]
    closeness: float

    @property
    def matches(self) -> bool:
        return not self.differences


def compare(entry: Mapping[str, Any], expectation: Expectation) -> Candidate:
    """How ``entry`` (a journal entry as the admin API lists it) fares against ``expectation``."""
    differences: list[Difference] = []
    partial = 0.0
    criteria = expectation.criteria()
    for label, expected, values_of in criteria:
        values = values_of(entry)
        if any(accepts(expected, v) for v in values):
            continue
        if not values:
            differences.append(Difference(label, shown(expected), "nothing (the field is missing)"))
            continue
        actual = values[0] if len(values) == 1 else values
        differences.append(Difference(label, shown(expected), shown(actual)))
        partial += max(_likeness(expected, v) for v in values)
    met = len(criteria) - len(differences)
    closeness = (met + 0.5 * partial) / len(criteria) if criteria else 1.0
    return Candidate(entry, met, len(criteria), tuple(differences), closeness)


def matching(
    entries: Iterable[Mapping[str, Any]], expectation: Expectation
) -> list[Mapping[str, Any]]:
    """The entries that meet every criterion, in journal order."""
    return [e for e in entries if compare(e, expectation).matches]


def near_misses(
    entries: Sequence[Mapping[str, Any]], expectation: Expectation, *, limit: int = 3
) -> list[Candidate]:
    """The ``limit`` requests closest to ``expectation`` that do not meet it, closest first."""
    ranked = [(compare(e, expectation), i) for i, e in enumerate(entries)]
    misses = [(c, i) for c, i in ranked if not c.matches]
    misses.sort(key=lambda pair: (-pair[0].closeness, -pair[1]))
    return [c for c, _ in misses[:limit]]


def _heading(entry: Mapping[str, Any]) -> str:
    service = entry.get("service") or "(no service)"
    status = entry.get("status")
    answered = "no answer" if status is None else f"HTTP {status}"
    return (
        f"#{entry.get('id')} {entry.get('method', '')} {entry.get('path', '')} {service}, "
        f"{entry.get('received_at', '')}, {answered}"
    )


def describe_misses(
    system: str,
    expectation: Expectation,
    entries: Sequence[Mapping[str, Any]],
    *,
    limit: int = 3,
) -> str:
    """Why nothing in ``entries`` met ``expectation``: the closest requests, how they differ."""
    lines = [f"{system} received no {expectation.describe()}."]
    if not entries:
        lines.append("Its journal is empty: no request reached it.")
        return "\n".join(lines)
    closest = near_misses(entries, expectation, limit=limit)
    lines.append(
        f"Its journal holds {len(entries)} request{'s' if len(entries) != 1 else ''}; "
        f"the {len(closest)} closest, closest first:"
    )
    for candidate in closest:
        lines.append(f"  {_heading(candidate.entry)}: {candidate.met} of {candidate.of} met")
        lines.extend(f"      {d.line()}" for d in candidate.differences)
    return "\n".join(lines)


def describe_unwanted(
    system: str, expectation: Expectation, found: Sequence[Mapping[str, Any]], *, limit: int = 3
) -> str:
    """Why ``assert_not_received`` failed: the requests that matched."""
    lines = [
        f"{system} received {len(found)} {expectation.describe()} "
        f"(expected none); {'the first' if len(found) > limit else 'they'}:"
    ]
    for entry in found[:limit]:
        lines.append(f"  {_heading(entry)}")
        lines.append(f"      request: {shown(entry.get('request'))}")
    return "\n".join(lines)
