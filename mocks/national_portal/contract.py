"""The portal's contract as the mock enforces it: the JSON Schemas of its ``schemas/``.

The mock validates every request against these schemas and nothing else, so it stays an
independent reading of the contract. The schemas are loaded and their validators built once per
directory. The repository's contract is used when it is there (an editable install or a
checkout); an installed wheel falls back to the copy shipped in this package (``schemas/`` beside
this module), which a test keeps identical to the repository's.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

#: Every service of the contract, in the order of its README table.
SERVICES: tuple[str, ...] = (
    "DongBoHoSoMC",
    "CapNhatTienDoHoSoMC",
    "TraCuuHoSo",
    "LayDanhSachTTHC",
    "LayThuTuc",
    "LayDanhMucLinhVuc",
    "LayDanhMucTonGiao",
    "LayDanhMucTinhTrangHonNhan",
    "LayDanhMucDoiTuong",
    "LayDanhMucCapThucHien",
    "LayDanhMucCanCuPhapLy",
    "LayDanhSachHoiDapGuiTuDVCQG",
    "DongBoKetQuaHoiDapGuiTuDVCQG",
    "DongBoHoiDap",
    "DongBoDanhGia",
)

LOGIN = "login"

DIALECT = "https://json-schema.org/draft/2020-12/schema"

REPOSITORY_SCHEMAS = (
    Path(__file__).resolve().parents[2] / "openapi" / "national" / "national_portal" / "schemas"
)
PACKAGED_SCHEMAS = Path(__file__).resolve().parent / "schemas"

FieldPath = tuple[str | int, ...]

_ARTICLES = {
    "string": "a string",
    "array": "an array",
    "object": "an object",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def default_schemas_dir() -> Path:
    """The repository's contract schemas when present, else the copy packaged with the mock."""
    if (REPOSITORY_SCHEMAS / "dossier.json").is_file():
        return REPOSITORY_SCHEMAS
    return PACKAGED_SCHEMAS


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a request breaks the contract: where (``path``) and which rule."""

    path: FieldPath
    rule: str

    @property
    def message(self) -> str:
        """``<field path>: <rule>``, e.g. ``data[0].NguoiXuLy: is longer than 50 characters``."""
        return f"{format_path(self.path)}: {self.rule}"


def format_path(path: Sequence[str | int]) -> str:
    """A field path as a reader writes it, ``data[0].TaiLieuNop[1].IsDeleted``; ``body`` if empty"""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "body"


def _quoted(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


class Contract:
    """The compiled request schemas of the portal, ready to check requests against.

    Validation runs in ``jsonschema_rs`` (compiled once here): the mock is benchmarked, and a
    batch of a hundred dossiers costs well under a millisecond to check.
    """

    def __init__(self, schemas_dir: Path) -> None:
        self.schemas_dir = schemas_dir
        self._contents: dict[str, Any] = {}
        for file in sorted(schemas_dir.resolve().rglob("*.json")):
            self._contents[file.as_uri()] = json.loads(file.read_text(encoding="utf-8"))
        self._registry = jsonschema_rs.Registry(list(self._contents.items()))
        self._validators = {
            name: self._validator(schemas_dir / "requests" / f"{name}.json")
            for name in (*SERVICES, LOGIN)
        }
        self._objects: dict[str, jsonschema_rs.Validator] = {}

    def _validator(self, file: Path) -> jsonschema_rs.Validator:
        uri = file.resolve().as_uri()
        if uri not in self._contents:
            raise FileNotFoundError(f"the contract has no schema {file}")
        return jsonschema_rs.validator_for(
            {"$schema": DIALECT, "$ref": uri}, registry=self._registry
        )

    def schema(self, relative: str) -> Any:
        """The contents of one schema file, by its path below the schemas directory."""
        return self._contents[(self.schemas_dir / relative).resolve().as_uri()]

    def violations(self, name: str, instance: object) -> list[Violation]:
        """Every way ``instance`` breaks the request schema of service ``name`` (or ``login``)."""
        return [self._violation(e) for e in self._validators[name].iter_errors(instance)]

    def object_violations(self, relative: str, instance: object) -> list[Violation]:
        """Every way ``instance`` breaks the object schema ``relative`` (``question.json``), for
        what a test puts in place through the admin API."""
        if relative not in self._objects:
            self._objects[relative] = self._validator(self.schemas_dir / relative)
        return [self._violation(e) for e in self._objects[relative].iter_errors(instance)]

    def _description(self, keyword_location: str | None) -> str | None:
        """The ``description`` of the schema that holds the keyword at ``keyword_location``."""
        if keyword_location is None or "#" not in keyword_location:
            return None
        uri, pointer = keyword_location.split("#", 1)
        node: Any = self._contents.get(uri)
        for part in pointer.split("/")[1:-1]:
            key = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and key.isdigit():
                node = node[int(key)]
            elif isinstance(node, dict):
                node = node.get(key)
            else:
                return None
        description = node.get("description") if isinstance(node, dict) else None
        return description.rstrip(".") if isinstance(description, str) else None

    def _violation(self, error: jsonschema_rs.ValidationError) -> Violation:
        """Name the field and the rule of one schema error, in words a developer can act on."""
        path: FieldPath = tuple(error.instance_path)
        kind = error.kind
        K = jsonschema_rs.ValidationErrorKind
        if isinstance(kind, K.Required):
            return Violation((*path, kind.property), "is required")
        if isinstance(kind, K.AdditionalProperties):
            return Violation((*path, kind.unexpected[0]), "is not a field of the contract")
        if isinstance(kind, K.Type):
            kinds = " or ".join(_ARTICLES.get(t, t) for t in kind.types)
            return Violation(path, f"must be {kinds}")
        if isinstance(kind, K.Pattern):
            hint = self._description(error.absolute_keyword_location)
            rule = f"must match {kind.pattern}"
            return Violation(path, f"{rule} ({hint})" if hint else rule)
        if isinstance(kind, K.Enum):
            return Violation(path, "must be one of " + ", ".join(_quoted(v) for v in kind.options))
        if isinstance(kind, K.Constant):
            return Violation(path, f"must be {_quoted(kind.expected_value)}")
        if isinstance(kind, K.MaxLength):
            return Violation(path, f"is longer than {_plural(kind.limit, 'character')}")
        if isinstance(kind, K.MinLength):
            if kind.limit == 1:
                return Violation(path, "may not be empty")
            return Violation(path, f"is shorter than {_plural(kind.limit, 'character')}")
        if isinstance(kind, K.MinItems):
            return Violation(path, f"must have at least {_plural(kind.limit, 'item')}")
        if isinstance(kind, K.MaxItems):
            return Violation(path, f"must have at most {_plural(kind.limit, 'item')}")
        return Violation(path, error.message)


@cache
def load_contract(schemas_dir: Path) -> Contract:
    """The contract of ``schemas_dir``, compiled once per process."""
    return Contract(schemas_dir)
