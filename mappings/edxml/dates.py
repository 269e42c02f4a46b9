"""edXML dates and timestamps: strict when written, lenient when read.

Written: dates ``yyyy/MM/dd``, timestamps ``yyyy/MM/dd HH:mm:ss`` on the Asia/Ho_Chi_Minh clock
(the format has no zone and no fraction of a second). Read: also ``dd/MM/yyyy`` (with one- or
two-digit day and month), which real packages carry, and for timestamps a ``T`` between date and
time; a read timestamp is an aware time in Asia/Ho_Chi_Minh. Anything else, or a date that is not
on the calendar, raises ``EdxmlError`` naming the element.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from mappings.dossier import VIETNAM
from mappings.edxml.errors import EdxmlError

DATE_RULE = "a date is yyyy/MM/dd, e.g. 2025/03/01 (dd/MM/yyyy is read too)"
TIMESTAMP_RULE = (
    "a timestamp is yyyy/MM/dd HH:mm:ss on the Asia/Ho_Chi_Minh clock, e.g. 2025/03/01 08:30:00"
)

_YEAR_FIRST = re.compile(r"(?P<year>[0-9]{4})/(?P<month>[0-9]{1,2})/(?P<day>[0-9]{1,2})")
_DAY_FIRST = re.compile(r"(?P<day>[0-9]{1,2})/(?P<month>[0-9]{1,2})/(?P<year>[0-9]{4})")
_TIME = re.compile(r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2}):(?P<second>[0-9]{2})")
_SEPARATOR = re.compile(r"\s+|T")


def format_date(value: date) -> str:
    """``value`` as edXML writes a date."""
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def format_timestamp(value: datetime) -> str:
    """``value`` as edXML writes a timestamp; ``ValueError`` for a time without a zone."""
    if value.utcoffset() is None:
        raise ValueError(f"{value.isoformat()} has no time zone; {TIMESTAMP_RULE}")
    local = value.astimezone(VIETNAM)
    return f"{format_date(local.date())} {local.hour:02d}:{local.minute:02d}:{local.second:02d}"


def parse_date(text: str, field: str) -> date:
    """The date written in ``field``, in either form a real package uses."""
    stripped = text.strip()
    match = _YEAR_FIRST.fullmatch(stripped) or _DAY_FIRST.fullmatch(stripped)
    if match is None:
        raise EdxmlError(field, f"{text!r} is not a date: {DATE_RULE}")
    try:
        return date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise EdxmlError(field, f"{text!r} is not a calendar date: {DATE_RULE}") from None


def parse_timestamp(text: str, field: str) -> datetime:
    """The time written in ``field``, aware, in Asia/Ho_Chi_Minh."""
    parts = _SEPARATOR.split(text.strip(), maxsplit=1)
    match = _TIME.fullmatch(parts[1]) if len(parts) == 2 else None
    if match is None:
        raise EdxmlError(field, f"{text!r} is not a timestamp: {TIMESTAMP_RULE}")
    day = parse_date(parts[0], field)
    try:
        clock = time(int(match["hour"]), int(match["minute"]), int(match["second"]))
    except ValueError:
        raise EdxmlError(field, f"{text!r} is not a time of day: {TIMESTAMP_RULE}") from None
    return datetime.combine(day, clock, tzinfo=VIETNAM)
