"""A province's departures from the national formats, kept in one YAML file it can edit.

Provinces and vendors diverge from the national code tables and procedure codes, so what differs
is configuration, not code. A file has three optional sections (``docs/province-overrides.
example.yaml`` shows each):

- ``procedure_codes``: the province's local procedure codes and the national codes they stand for
  (``1.003560.000.00.00.H56`` → ``1.003560``), and the rule used for a code not listed: strip the
  local unit suffix on the way out (on unless turned off), and append ``local_suffix`` to a
  national code on the way in (off unless a suffix is given);
- ``status_remap``: a status the province reports under a portal code of its own; the status is
  written as that code and read from it, and its national code is still read as it;
- ``codes``: entries of any portal code table (``TrangThaiHoSo``, ``KenhThucHien``,
  ``LoaiDoiTuong``, ``HinhThuc``, ``LoaiDinhDanh``) replaced, keyed by canonical value; the old code
  is no longer read.

A file is checked in full when it is loaded, including against the national code tables, and
every problem is reported at once as an ``OverridesError`` naming the file, the key and the rule.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from mappings.dossier import DossierStatus
from mappings.identifiers import (
    check_procedure_code,
    check_unit_id,
    national_procedure_code,
)
from mappings.national_portal.codes import NATIONAL_CODES, TABLE_KINDS, CodeTables


class OverridesError(ValueError):
    """A province overrides file that cannot be used; the message lists every problem."""


def _text_not_number(value: Any) -> Any:
    if isinstance(value, int | float):
        raise ValueError(
            f"YAML read {value!r} as a number or a boolean; "
            'write codes in quotes, e.g. "1.003560" or "4"'
        )
    return value


def _code_from_int(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text_not_number(value)


def _national_form(value: str) -> str:
    if national_procedure_code(value) != value:
        raise ValueError(
            f"{value!r} is not in the national form: a national procedure code has no unit "
            "suffix, e.g. 1.003560"
        )
    return value


LocalProcedureCode = Annotated[
    str, BeforeValidator(_text_not_number), AfterValidator(check_procedure_code)
]
NationalProcedureCode = Annotated[
    str, BeforeValidator(_text_not_number), AfterValidator(_national_form)
]
PortalCode = Annotated[
    str, BeforeValidator(_code_from_int), StringConstraints(strip_whitespace=True, min_length=1)
]
TableName = Literal["TrangThaiHoSo", "KenhThucHien", "LoaiDoiTuong", "HinhThuc", "LoaiDinhDanh"]


class ProcedureCodeRules(BaseModel):
    """How local procedure codes become national ones and back."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    strip_local_suffix: bool = True
    """Send a local code not listed in ``local_to_national`` in its national form."""
    local_suffix: Annotated[str, AfterValidator(check_unit_id)] | None = None
    """Unit identifier appended to a national code read from the portal, if it is not listed."""
    local_to_national: dict[LocalProcedureCode, NationalProcedureCode] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_local_code_per_national(self) -> ProcedureCodeRules:
        seen: dict[str, str] = {}
        for local, national in self.local_to_national.items():
            if national in seen:
                raise ValueError(
                    f"local_to_national: {seen[national]!r} and {local!r} both map to "
                    f"{national!r}; a national code read back must name one local code"
                )
            seen[national] = local
        return self


DERIVED_KEPT = 64
_DERIVED: dict[tuple[int, ...], tuple[tuple[object, ...], CodeTables]] = {}
"""``ProvinceOverrides.code_tables`` already worked out, by the identity of what they were made
of (the base, the codes, the remaps), which each entry keeps alive so no identity is reused."""


class ProvinceOverrides(BaseModel):
    """A province's overrides; ``ProvinceOverrides()`` departs from nothing but the default
    rule of stripping local unit suffixes from procedure codes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    procedure_codes: ProcedureCodeRules = Field(default_factory=ProcedureCodeRules)
    status_remap: dict[DossierStatus, PortalCode] = Field(default_factory=dict)
    codes: dict[TableName, dict[str, PortalCode]] = Field(default_factory=dict)

    @classmethod
    def from_yaml(cls, path: str | os.PathLike[str]) -> ProvinceOverrides:
        """Overrides read from the file at ``path``."""
        return cls.from_text(Path(path).read_text(encoding="utf-8"), source=os.fspath(path))

    @classmethod
    def from_text(cls, text: str, source: str = "<text>") -> ProvinceOverrides:
        """Overrides read from YAML ``text``; ``source`` names it in errors."""
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise OverridesError(f"{source}: not valid YAML: {error}") from None
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise OverridesError(
                f"{source}: expected a mapping with procedure_codes, status_remap and codes"
            )
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise OverridesError(_describe(error, source)) from None

    @model_validator(mode="after")
    def _fits_the_national_tables(self) -> ProvinceOverrides:
        for name, entries in self.codes.items():
            kind = TABLE_KINDS[name]
            known = [member.value for member in kind]
            for value in entries:
                if value not in known:
                    raise ValueError(
                        f"codes.{name}.{value}: {value!r} is not a {kind.__name__} value; "
                        f"use one of {', '.join(known)}"
                    )
        self.code_tables(NATIONAL_CODES)
        return self

    def code_tables(self, base: CodeTables = NATIONAL_CODES) -> CodeTables:
        """``base`` with this province's code replacements, then its status remaps; worked out
        once for each ``base`` and kept, since the overrides never change (every dossier mapped
        for the portal asks for them)."""
        made_of = (base, self.codes, self.status_remap)
        key = tuple(map(id, made_of))
        kept = _DERIVED.get(key)
        if kept is not None and all(a is b for a, b in zip(kept[0], made_of, strict=True)):
            return kept[1]
        tables = self._derive(base)
        if len(_DERIVED) >= DERIVED_KEPT:
            _DERIVED.clear()
        _DERIVED[key] = (made_of, tables)
        return tables

    def _derive(self, base: CodeTables) -> CodeTables:
        tables = base
        for name, entries in self.codes.items():
            table = tables.table(name)
            changes = {table.kind(value): code for value, code in entries.items()}
            try:
                tables = tables.with_table(table.replaced(changes))
            except ValueError as error:
                raise ValueError(f"codes.{name}: {error}") from None
        try:
            return tables.with_table(tables.status.remapped(self.status_remap))
        except ValueError as error:
            raise ValueError(f"status_remap: {error}") from None

    def national_procedure_code(self, code: str) -> str:
        """The code the portal knows for the province's procedure ``code``."""
        rules = self.procedure_codes
        if code in rules.local_to_national:
            return rules.local_to_national[code]
        return national_procedure_code(code) if rules.strip_local_suffix else code

    def local_procedure_code(self, code: str) -> str:
        """The province's code for the procedure the portal calls ``code``."""
        rules = self.procedure_codes
        for local, national in rules.local_to_national.items():
            if national == code:
                return local
        if rules.local_suffix and national_procedure_code(code) == code:
            return f"{code}.{rules.local_suffix}"
        return code


NO_OVERRIDES = ProvinceOverrides()
"""The national formats as they are, with local unit suffixes stripped from procedure codes."""


def _describe(error: ValidationError, source: str) -> str:
    problems = []
    for detail in error.errors():
        where = ".".join("(key)" if part == "[key]" else str(part) for part in detail["loc"])
        context = detail.get("ctx", {})
        if detail["type"] == "extra_forbidden":
            rule = "unknown key; docs/province-overrides.example.yaml lists the known ones"
        else:
            rule = str(context["error"]) if "error" in context else detail["msg"]
        problems.append(f"{source}: {where}: {rule}" if where else f"{source}: {rule}")
    return "\n".join(problems)
