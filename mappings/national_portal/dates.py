"""The portal's time format: ``yyyyMMddHHmmss`` on the Asia/Ho_Chi_Minh clock, ``""`` for none.

Writing is strict: only a timezone-aware time is accepted, it is converted to Vietnamese time and
written to the second (the portal has no finer unit, so fractions of a second are dropped).
Reading accepts exactly fourteen digits forming a real time, surrounding whitespace aside, and
answers an aware time in Asia/Ho_Chi_Minh; anything else raises ``MappingError`` naming the field.
A local time that the zone repeated (its offset changes ended in 1975) reads as its first
occurrence.
"""

from __future__ import annotations

import re
from datetime import datetime

from mappings.dossier import VIETNAM
from mappings.errors import MappingError

PORTAL_TIME_RULE = (
    "a time is yyyyMMddHHmmss in Asia/Ho_Chi_Minh, e.g. 20250301083000, or an empty string"
)

_PORTAL_TIME_RE = re.compile(r"[0-9]{14}")


def format_portal_time(value: datetime | None, field: str) -> str:
    """``value`` as the portal writes it; ``None`` becomes ``""``."""
    if value is None:
        return ""
    if value.utcoffset() is None:
        raise MappingError(field, f"{value.isoformat()} has no time zone; {PORTAL_TIME_RULE}")
    local = value.astimezone(VIETNAM)
    return (
        f"{local.year:04d}{local.month:02d}{local.day:02d}"
        f"{local.hour:02d}{local.minute:02d}{local.second:02d}"
    )


def parse_portal_time(text: str, field: str) -> datetime | None:
    """The time the portal wrote in ``field``; ``""`` (or blanks) becomes ``None``."""
    stripped = text.strip()
    if not stripped:
        return None
    if not _PORTAL_TIME_RE.fullmatch(stripped):
        raise MappingError(field, f"{text!r} is not a time: {PORTAL_TIME_RULE}")
    try:
        naive = datetime.strptime(stripped, "%Y%m%d%H%M%S")
    except ValueError:
        raise MappingError(
            field, f"{text!r} is not a real calendar time: {PORTAL_TIME_RULE}"
        ) from None
    return naive.replace(tzinfo=VIETNAM)
