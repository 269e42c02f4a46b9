"""The portal's code tables, loaded from ``codes.yaml`` beside this module.

The tables are data, not code, because provinces and vendors diverge from the national ones: a
province changes entries through its overrides (``mappings.overrides``), which build a new
``CodeTables`` from ``NATIONAL_CODES``. Every table is one-to-one in what it writes, so a value
written and read back is the same value; a table may also read extra codes (aliases), so a
province that reports a status under its own code still understands the national one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from typing import Any, Generic, TypeVar

import yaml

from mappings.dossier import ApplicantKind, Channel, DossierStatus, IdType, ResultDelivery
from mappings.errors import MappingError

E = TypeVar("E", bound=StrEnum)

TABLE_KINDS: Mapping[str, type[StrEnum]] = {
    "TrangThaiHoSo": DossierStatus,
    "KenhThucHien": Channel,
    "LoaiDoiTuong": ApplicantKind,
    "HinhThuc": ResultDelivery,
    "LoaiDinhDanh": IdType,
}
"""Each table by the portal field that carries it, with the canonical values it codes."""


@dataclass(frozen=True)
class CodeTable(Generic[E]):
    """Which portal code stands for which canonical value, in one portal field.

    ``codes`` is what is written and need not cover every value (the portal has no code for a
    passport, say); ``aliases`` are further codes read as a value. A table is checked when built:
    no code stands for two values.
    """

    name: str
    kind: type[E]
    codes: Mapping[E, str]
    aliases: Mapping[str, E] = field(default_factory=dict)

    def __post_init__(self) -> None:
        meaning: dict[str, E] = {}
        for value, code in [*self.codes.items(), *((c, v) for v, c in self.aliases.items())]:
            if meaning.setdefault(code, value) != value:
                raise ValueError(
                    f"{self.name}: code {code!r} would stand for both {meaning[code]} and "
                    f"{value}; a code must stand for one value"
                )

    def code(self, value: E, field: str) -> str:
        """The code to write for ``value``; ``MappingError`` on ``field`` if the table has none."""
        try:
            return self.codes[value]
        except KeyError:
            raise MappingError(
                field,
                f"{value} has no {self.name} code (the table codes {self._known()}); "
                f"a province can add one under codes.{self.name} in its overrides",
            ) from None

    def value(self, code: str, field: str) -> E:
        """The value ``code`` stands for; ``MappingError`` on ``field`` for an unknown code."""
        stripped = code.strip()
        for value, known in self.codes.items():
            if known == stripped:
                return value
        if stripped in self.aliases:
            return self.aliases[stripped]
        raise MappingError(
            field, f"{code!r} is not a {self.name} code; the known codes are {self._known()}"
        )

    def replaced(self, changes: Mapping[E, str]) -> CodeTable[E]:
        """This table with each value of ``changes`` written and read as its new code only."""
        aliases = {code: value for code, value in self.aliases.items() if value not in changes}
        return dataclasses.replace(self, codes={**self.codes, **changes}, aliases=aliases)

    def remapped(self, changes: Mapping[E, str]) -> CodeTable[E]:
        """This table with each value of ``changes`` written as its new code, its former code
        still read as it."""
        aliases = dict(self.aliases)
        for value, code in changes.items():
            if value in self.codes and self.codes[value] != code:
                aliases[self.codes[value]] = value
        return dataclasses.replace(self, codes={**self.codes, **changes}, aliases=aliases)

    def _known(self) -> str:
        return ", ".join(f"{code} = {value}" for value, code in self.codes.items())


@dataclass(frozen=True)
class CodeTables:
    """Every code table the portal's dossier and progress objects use."""

    status: CodeTable[DossierStatus]
    """``TrangThaiHoSo`` of a dossier and ``TrangThai`` of a progress step."""
    channel: CodeTable[Channel]
    """``KenhThucHien``."""
    applicant_kind: CodeTable[ApplicantKind]
    """``LoaiDoiTuong``."""
    result_delivery: CodeTable[ResultDelivery]
    """``HinhThuc``."""
    id_type: CodeTable[IdType]
    """``DinhDanhCHS[].LoaiDinhDanh``."""

    @classmethod
    def from_mapping(cls, data: Any, source: str) -> CodeTables:
        """Tables from parsed YAML shaped like ``codes.yaml``; ``ValueError`` naming ``source``."""
        if not isinstance(data, Mapping):
            raise ValueError(f"{source}: expected a mapping of table name to codes")
        unknown = set(data) - set(TABLE_KINDS)
        missing = set(TABLE_KINDS) - set(data)
        if unknown or missing:
            raise ValueError(
                f"{source}: the tables must be exactly {', '.join(TABLE_KINDS)}; "
                f"unknown: {sorted(map(str, unknown))}, missing: {sorted(missing)}"
            )
        return cls(
            status=_table("TrangThaiHoSo", DossierStatus, data, source),
            channel=_table("KenhThucHien", Channel, data, source),
            applicant_kind=_table("LoaiDoiTuong", ApplicantKind, data, source),
            result_delivery=_table("HinhThuc", ResultDelivery, data, source),
            id_type=_table("LoaiDinhDanh", IdType, data, source),
        )

    def table(self, name: str) -> CodeTable[Any]:
        """A table by the portal field that carries it, e.g. ``"HinhThuc"``."""
        table: CodeTable[Any] = getattr(self, _ATTRIBUTES[name])
        return table

    def with_table(self, table: CodeTable[Any]) -> CodeTables:
        """These tables with ``table`` in place of the one of the same name."""
        return dataclasses.replace(self, **{_ATTRIBUTES[table.name]: table})


_ATTRIBUTES = {
    "TrangThaiHoSo": "status",
    "KenhThucHien": "channel",
    "LoaiDoiTuong": "applicant_kind",
    "HinhThuc": "result_delivery",
    "LoaiDinhDanh": "id_type",
}


def _table(name: str, kind: type[E], data: Mapping[str, Any], source: str) -> CodeTable[E]:
    entries = data[name]
    if not isinstance(entries, Mapping):
        raise ValueError(f"{source}: {name}: expected a mapping of portal code to value")
    known = [member.value for member in kind]
    codes: dict[E, str] = {}
    for code, value in entries.items():
        if value not in known:
            raise ValueError(
                f"{source}: {name}.{code}: {value!r} is not a {kind.__name__} value; "
                f"use one of {', '.join(known)}"
            )
        if kind(value) in codes:
            raise ValueError(
                f"{source}: {name}: {value} has two codes, {codes[kind(value)]} and {code}"
            )
        codes[kind(value)] = str(code)
    try:
        return CodeTable(name, kind, codes)
    except ValueError as error:
        raise ValueError(f"{source}: {error}") from None


def _load_national() -> CodeTables:
    text = (
        resources.files("mappings.national_portal")
        .joinpath("codes.yaml")
        .read_text(encoding="utf-8")
    )
    return CodeTables.from_mapping(yaml.safe_load(text), "mappings/national_portal/codes.yaml")


NATIONAL_CODES = _load_national()
"""The national tables as NATIONAL-SYSTEMS.md §1 gives them."""
