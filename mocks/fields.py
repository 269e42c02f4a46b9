"""Field paths into the JSON of a request, as testers write them: ``data[0].MaHoSo``.

One small grammar serves request matching (``mocks.verification``), story conditions and
entities (``mocks.stories``) and the conformance report (``mocks.conformance``):

- ``a.b`` walks into objects, ``a[2]`` into the third item of a list;
- ``a[*]`` (or ``a[]``) stands for every item of a list, so ``data[*].MaHoSo`` is the
  ``MaHoSo`` of each dossier of a push;
- a name may hold any character but ``.`` and ``[``; quote nothing.

``values_at`` never raises on a path that does not fit the document: a missing field simply
has no values, which is what a near-miss report needs to say "missing".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

EVERY = "*"
Step = str | int

_STEP = re.compile(r"\[(\d+|\*|)\]|\.?([^.\[\]]+)")


class FieldPathError(ValueError):
    """A path that does not follow the grammar; the message quotes it."""


@dataclass(frozen=True, slots=True)
class FieldPath:
    """A parsed path; ``text`` is how it was written."""

    text: str
    steps: tuple[Step, ...]

    @classmethod
    def parse(cls, text: str) -> FieldPath:
        steps: list[Step] = []
        position = 0
        while position < len(text):
            found = _STEP.match(text, position)
            if found is None or found.end() == position:
                raise FieldPathError(f"{text!r}: not a field path (e.g. data[0].MaHoSo)")
            index, name = found.group(1), found.group(2)
            if name is not None:
                steps.append(name)
            elif index in ("", EVERY):
                steps.append(EVERY)
            else:
                steps.append(int(index))
            position = found.end()
        if not steps:
            raise FieldPathError("'': a field path may not be empty")
        return cls(text, tuple(steps))

    def __str__(self) -> str:
        return self.text


def values_at(document: Any, path: FieldPath | str) -> list[Any]:
    """Every value ``path`` reaches in ``document``; empty when none does."""
    steps = FieldPath.parse(path).steps if isinstance(path, str) else path.steps
    found = [document]
    for step in steps:
        following: list[Any] = []
        for node in found:
            if step == EVERY:
                if isinstance(node, list):
                    following.extend(node)
            elif isinstance(step, int):
                if isinstance(node, list) and -len(node) <= step < len(node):
                    following.append(node[step])
            elif isinstance(node, dict) and step in node:
                following.append(node[step])
        found = following
    return found


def join(prefix: str, name: Step) -> str:
    """``prefix`` extended by one step, as a reader writes it (``data[]``, ``data[].MaHoSo``)."""
    if isinstance(name, int) or name == EVERY:
        return f"{prefix}[]"
    return f"{prefix}.{name}" if prefix else name


def leaves(document: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Every scalar of ``document`` (and every empty list or object) with its path.

    List indices are written ``[]``: the paths name fields, not positions, so the same field of
    every dossier in a push has one path. An empty list or object is a leaf of its own.
    """
    if isinstance(document, dict):
        if not document and prefix:
            yield prefix, document
        for name, value in document.items():
            yield from leaves(value, join(prefix, str(name)))
    elif isinstance(document, list):
        if not document and prefix:
            yield prefix, document
        for item in document:
            yield from leaves(item, join(prefix, EVERY))
    elif prefix:
        yield prefix, document


def is_empty(value: Any) -> bool:
    """Whether a value carries nothing: null, an empty or blank string, an empty list or object."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | dict) and not value
