"""Comparing what the gateway delivered of one dossier with what the portal holds.

Pure functions of the portal's own objects. Text is compared in Unicode NFC with surrounding
blanks ignored (a portal that stores "Nguyễn" decomposed holds the same name), and times within
``skew`` seconds of each other are the same time (a portal that stamps a field from its own clock
is not a difference). A field the gateway sent empty and the portal left out is the same; fields
the portal adds beyond what was sent are not looked at.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mappings.errors import MappingError
from mappings.national_portal import PortalDossier, PortalProgress, parse_portal_time

STATUS = "TrangThaiHoSo"
TIME_PREFIXES = ("Ngay", "ThoiDiem")


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    if isinstance(value, list):
        return [_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items() if _text(v) not in ("", [], None)}
    return value


def _is_time(name: str) -> bool:
    return name.startswith(TIME_PREFIXES)


def _same_time(sent: str, held: str, skew: float) -> bool:
    try:
        a, b = parse_portal_time(sent, "sent"), parse_portal_time(held, "held")
    except MappingError:
        return sent == held
    if a is None or b is None:
        return a is None and b is None
    return abs((a - b).total_seconds()) <= skew


def same_value(name: str, sent: Any, held: Any, skew: float) -> bool:
    """Whether the portal holds what was sent in field ``name``."""
    sent, held = _text(sent), _text(held if held is not None else "")
    if isinstance(sent, str) and isinstance(held, str) and _is_time(name):
        return _same_time(sent, held, skew)
    if isinstance(sent, dict) and isinstance(held, dict):
        return all(same_value(k, v, held.get(k), skew) for k, v in sent.items())
    if isinstance(sent, list) and isinstance(held, list):
        return len(sent) == len(held) and all(
            same_value(name, s, h, skew) for s, h in zip(sent, held, strict=True)
        )
    return bool(sent == held)


def fields_differing(sent: PortalDossier, held: PortalDossier, skew: float) -> list[str]:
    """The fields of ``sent`` the portal holds otherwise, in the contract's order."""
    held_values = held.model_dump(mode="json")
    return [
        name
        for name, value in sent.model_dump(mode="json").items()
        if not same_value(name, value, held_values.get(name), skew)
    ]


def missing_steps(
    sent: Sequence[PortalProgress], held: Sequence[PortalProgress], skew: float
) -> list[int]:
    """The positions of the steps sent that the portal does not hold (each held step answers
    for one step sent)."""
    remaining = [step.model_dump(mode="json") for step in held]
    missing = []
    for index, step in enumerate(sent):
        wanted = step.model_dump(mode="json")
        match = next(
            (
                position
                for position, candidate in enumerate(remaining)
                if all(same_value(k, v, candidate.get(k), skew) for k, v in wanted.items())
            ),
            None,
        )
        if match is None:
            missing.append(index)
        else:
            remaining.pop(match)
    return missing


@dataclass(slots=True)
class Comparison:
    """How the portal's record of a dossier differs from what was delivered."""

    status: tuple[str, str] | None = None
    """The status sent and the status held, when they differ."""
    fields: list[str] = field(default_factory=list)
    """Other fields held otherwise."""
    steps: list[int] = field(default_factory=list)
    """Positions of the steps sent that the portal lacks."""

    @property
    def differs(self) -> bool:
        return bool(self.status or self.fields or self.steps)


def compare(
    sent: PortalDossier,
    steps: Sequence[PortalProgress],
    held: PortalDossier,
    held_steps: Sequence[PortalProgress],
    skew: float,
) -> Comparison:
    differing = fields_differing(sent, held, skew)
    status = (sent.TrangThaiHoSo, held.TrangThaiHoSo) if STATUS in differing else None
    return Comparison(
        status=status,
        fields=[name for name in differing if name != STATUS],
        steps=missing_steps(steps, held_steps, skew),
    )


def described(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as a plan shows them: NFC, blanks dropped."""
    shown: dict[str, Any] = _text(dict(values))
    return shown
