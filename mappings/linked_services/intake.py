"""Which submissions the province takes: the bundles' procedures and the province's units.

A submission the gateway cannot take (a procedure not among its bundle's, a unit that is not
the province's, a module that is neither bundle) is kept aside with the reason, not acknowledged
to the national system (``gateway.linked_dossiers``). The lists are the province's
configuration; this module only judges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from mappings.linked_services.forms import Module

UNIT_CODE = re.compile(r"[0-9]{3}|[0-9]{5}")
"""A district (3 digits) or a commune (5 digits), as the statistics office codes them."""

_BUNDLE = {Module.birth: "birth registration (KS)", Module.death: "death registration (KT)"}


def codes(listed: str) -> frozenset[str]:
    """The codes of a comma- or space-separated list, blanks dropped."""
    return frozenset(code for code in re.split(r"[\s,;]+", listed) if code)


@dataclass(frozen=True, slots=True)
class Acceptance:
    """What the province takes: per bundle, its procedure codes (national form); and its units
    (every well-formed unit code when empty)."""

    procedures: Mapping[Module, frozenset[str]]
    units: frozenset[str] = field(default_factory=frozenset)

    def refusal(self, *, module: str, procedure: str, unit: str) -> str | None:
        """Why a submission of ``module``, ``procedure`` and ``unit`` cannot be taken, or None."""
        try:
            bundle = Module(module.strip().upper())
        except ValueError:
            return f"module {module!r} is neither KS (birth) nor KT (death registration)"
        taken = self.procedures.get(bundle, frozenset())
        if procedure not in taken:
            return (
                f"procedure {procedure!r} is not one the province takes for "
                f"{_BUNDLE[bundle]} ({_listed(taken)})"
            )
        if not UNIT_CODE.fullmatch(unit):
            return f"unit {unit!r} is neither a district (3 digits) nor a commune (5 digits)"
        if self.units and unit not in self.units:
            return f"unit {unit!r} is not one of the province's units"
        return None


def _listed(values: Iterable[str]) -> str:
    found = sorted(values)
    return ", ".join(found) if found else "none configured"
