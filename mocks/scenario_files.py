"""Scenarios as files: what each mock holds, how it misbehaves and its stories, in one YAML file.

A scenario file gives, per mock (by name, ``national_portal``, or by path, ``national-portal``),
the four things ``POST <mock>/__admin/load`` takes, all optional:

.. code-block:: yaml

    version: 1
    name: Hồ sơ trùng, rồi thành công
    mocks:
      national_portal:
        state: {dossiers: []}                 # as PUT /__admin/scenario takes it
        faults:                               # as POST /__admin/faults takes them
          - {outage: {after_s: 5, for_s: 10}}
        stories:                              # as POST /__admin/stories takes them
          - name: created twice
            entity: dossier
            only: [H56.99-250301-0001]
            steps:
              - {on: DongBoHoSoMC, answer: exists}
        callbacks:                            # as POST /__admin/callbacks takes them
          - {on: dossier.created, url: "http://127.0.0.1:9000/hook", secret: "whsec_..."}

``mocks/README.md`` documents the vocabulary with more examples. Every error names the file, the
line and the column of the field at fault, then the field and the rule: ``scenario.yaml:13:40:
mocks.national_portal.stories[0].steps[0].answer: 'exist' is not an answer of this mock; it
offers exists, expired, not_found, refuse``. A file is checked whole before any mock changes.
Faults' windows and timers count from when the file is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mocks.schemas import compile_schema

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["mocks"],
    "additionalProperties": False,
    "properties": {
        "version": {"const": 1},
        "name": {"type": "string"},
        "description": {"type": "string"},
        "mocks": {"type": "object", "additionalProperties": {"type": ["object", "null"]}},
    },
}
_SPEC = compile_schema(SCHEMA)
_PLAIN = frozenset(
    {
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null",
    }
)
_STEP = re.compile(r"[^.\[\]]+")

Path_ = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Mark:
    line: int
    column: int


class ScenarioFileError(ValueError):
    """A scenario file that cannot be used: ``file:line:column: field: rule``."""

    def __init__(self, source: str, mark: Mark | None, message: str) -> None:
        where = source if mark is None else f"{source}:{mark.line}:{mark.column}"
        super().__init__(f"{where}: {message}")
        self.source = source
        self.mark = mark
        self.reason = message


def format_path(path: Path_) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def _parse_path(text: str) -> Path_:
    return tuple(int(s) if s.isdigit() else s for s in _STEP.findall(text))


@dataclass(slots=True)
class ScenarioFile:
    """A parsed, checked scenario file: its sections by mock name, and where each field is."""

    source: str
    name: str | None
    description: str | None
    sections: dict[str, dict[str, Any]]
    marks: dict[Path_, Mark] = field(default_factory=dict)
    key_marks: dict[Path_, Mark] = field(default_factory=dict)
    """Where the key of each mapping entry is written (its value's place is in ``marks``)."""
    keys: dict[str, str] = field(default_factory=dict)
    """The key each mock's section was written under (``national-portal`` or a name)."""

    def locate(self, path: Path_) -> Mark | None:
        """Where the deepest written part of ``path`` starts."""
        for end in range(len(path), -1, -1):
            mark = self.marks.get(path[:end])
            if mark is not None:
                return mark
        return None

    def error_in(self, mock: str, message: str) -> ScenarioFileError:
        """An error a mock gave for its section (``faults[1].rate: ...``), placed in the file."""
        where, sep, rule = message.partition(": ")
        steps = _parse_path(where) if sep and " " not in where else ()
        prefix: Path_ = ("mocks", self.keys.get(mock, mock))
        full = (*prefix, *steps)
        named = format_path(full) if steps else format_path(prefix)
        mark = self.locate(full) if steps else self.key_marks.get(prefix, self.locate(prefix))
        return ScenarioFileError(self.source, mark, f"{named}: {rule or message}")


def _scalar(node: ScalarNode) -> Any:
    if node.tag in _PLAIN:
        return SafeConstructor().construct_object(node)
    return node.value


def _mark(node: Node) -> Mark:
    return Mark(node.start_mark.line + 1, node.start_mark.column + 1)


def _construct(
    node: Node,
    path: Path_,
    marks: dict[Path_, Mark],
    key_marks: dict[Path_, Mark],
    source: str,
) -> Any:
    marks[path] = _mark(node)
    if isinstance(node, MappingNode):
        found: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ScenarioFileError(source, _mark(key_node), "a key must be plain text")
            key = str(key_node.value)
            if key in found:
                at = format_path((*path, key))
                raise ScenarioFileError(source, _mark(key_node), f"{at}: given twice")
            key_marks[(*path, key)] = _mark(key_node)
            found[key] = _construct(value_node, (*path, key), marks, key_marks, source)
        return found
    if isinstance(node, SequenceNode):
        return [
            _construct(item, (*path, i), marks, key_marks, source)
            for i, item in enumerate(node.value)
        ]
    assert isinstance(node, ScalarNode)
    return _scalar(node)


def parse_scenario(
    text: str, source: str = "<scenario>", *, resolve: Callable[[str], str | None] | None = None
) -> ScenarioFile:
    """Parse and check a scenario file's text; ``ScenarioFileError`` names the line at fault.

    ``resolve`` maps the key a section was written under to a mock's name (``None``: no such
    mock); without it keys are taken as names.
    """
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = None if mark is None else Mark(mark.line + 1, mark.column + 1)
        raise ScenarioFileError(source, where, f"not valid YAML: {exc.problem}") from None
    if root is None:
        raise ScenarioFileError(source, None, "the file is empty; it needs mocks:")
    marks: dict[Path_, Mark] = {}
    key_marks: dict[Path_, Mark] = {}
    document = _construct(root, (), marks, key_marks, source)
    error = next(iter(_SPEC.iter_errors(document)), None)
    if error is not None:
        path = tuple(error.instance_path)
        named = format_path(path) or "the file"
        scenario = ScenarioFile(source, None, None, {}, marks)
        raise ScenarioFileError(source, scenario.locate(path), f"{named}: {error.message}")
    sections: dict[str, dict[str, Any]] = {}
    keys: dict[str, str] = {}
    for key, section in document["mocks"].items():
        name = resolve(key) if resolve is not None else key
        if name is None:
            raise ScenarioFileError(
                source, key_marks.get(("mocks", key)), f"mocks.{key}: no mock of that name or path"
            )
        if name in sections:
            raise ScenarioFileError(
                source, key_marks.get(("mocks", key)), f"mocks.{key}: {name} is given twice"
            )
        sections[name] = section or {}
        keys[name] = key
    return ScenarioFile(
        source=source,
        name=document.get("name"),
        description=document.get("description"),
        sections=sections,
        marks=marks,
        key_marks=key_marks,
        keys=keys,
    )


def read_scenario(
    path: str | Path, *, resolve: Callable[[str], str | None] | None = None
) -> ScenarioFile:
    """The scenario file at ``path``, parsed and checked (``ScenarioFileError`` if not)."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioFileError(str(file), None, f"cannot be read ({exc.strerror})") from None
    return parse_scenario(text, str(file), resolve=resolve)
