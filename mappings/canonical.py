"""What every canonical model shares: its text, its dates and times, and its base class.

What a caller may rely on once a ``Model`` is built:

- every string is Unicode NFC with surrounding whitespace stripped, and length limits count the
  characters of that normalised form (a decomposed "ế" counts once);
- every string is well-formed Unicode: JSON can spell a lone surrogate (``"\\ud800"``), which is
  no character and cannot be written as UTF-8, stored or sent on, so it is refused naming the
  field;
- an optional text that is empty or blank is ``None``, so "no value" has one spelling.

``Date`` and ``Time`` take ``date`` and ``datetime`` objects from Python code and, from the wire,
only the ISO 8601 strings the contract declares (``format: date``, ``format: date-time``): pydantic
alone would read ``0`` as 1970-01-01 and ``"1700000000"`` as a time, turning a caller's mistake
into a plausible date. A ``Time`` is timezone-aware (a naive one is read on the Vietnam clock,
which every one-stop system keeps) and has a place on every clock: ``0001-01-01T00:00+14:00``,
which would be in year 0 in UTC, is refused.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

WELL_FORMED_RULE = (
    "text must be well-formed Unicode: a lone surrogate such as \\ud800 is no character"
)
DATE_RULE = "a date is a string yyyy-mm-dd, e.g. 2026-03-01"
DATE_TIME_RULE = (
    "a time is an ISO 8601 string yyyy-mm-ddThh:mm[:ss[.fff]][±hh:mm|Z], e.g. "
    "2026-03-01T08:30:00+07:00; without an offset it is read on the Vietnam clock"
)

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?"
    r"(?:[Zz]|[+-][0-9]{2}:?[0-9]{2})?"
)


def is_well_formed(value: str) -> bool:
    """Whether ``value`` is a sequence of Unicode characters (no lone surrogate)."""
    if value.isascii():
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def nfc(value: str) -> str:
    return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)


def _malformed(loc: tuple[str | int, ...], value: str) -> InitErrorDetails:
    return InitErrorDetails(
        type=PydanticCustomError("unicode_malformed", WELL_FORMED_RULE),
        loc=loc,
        input=value,
    )


def checked_text(data: Any, *, normalise: bool = True) -> Any:
    """``data``'s strings (a model's own fields, and lists of strings) in NFC, or a
    ``ValidationError`` naming each field that holds a lone surrogate.

    Meant for a model's ``mode="before"`` validator: nested models check their own fields, so this
    looks one level deep only, whatever the depth of what a caller sent.
    """
    if not isinstance(data, dict):
        return data
    errors: list[InitErrorDetails] = []
    checked: dict[Any, Any] = {}
    for key, item in data.items():
        if isinstance(item, str):
            if not is_well_formed(item):
                errors.append(_malformed((key,), item))
            elif normalise:
                item = nfc(item)
        elif isinstance(item, list):
            items = list(item)
            for index, element in enumerate(items):
                if isinstance(element, str):
                    if not is_well_formed(element):
                        errors.append(_malformed((key, index), element))
                    elif normalise:
                        items[index] = nfc(element)
            item = items
        checked[key] = item
    if errors:
        raise ValidationError.from_exception_data("text", errors)
    return checked


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return value
    raise PydanticCustomError("date_format", DATE_RULE)


def _iso_date_time(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE_TIME.fullmatch(value):
        return value
    raise PydanticCustomError("datetime_format", DATE_TIME_RULE)


Date = Annotated[date, BeforeValidator(_iso_date)]
"""A calendar date; from the wire, a string ``yyyy-mm-dd`` only."""


def _on_every_clock(value: datetime) -> datetime:
    local = value.replace(tzinfo=VIETNAM) if value.tzinfo is None else value
    try:
        local.astimezone(UTC)
        local.astimezone(VIETNAM)
    except OverflowError:
        raise PydanticCustomError(
            "datetime_range", "a time must fall within the years 1 to 9999 in UTC and in Vietnam"
        ) from None
    return local


Time = Annotated[datetime, BeforeValidator(_iso_date_time), AfterValidator(_on_every_clock)]
"""An aware time; from the wire, an ISO 8601 string only (never a number of seconds)."""

Text = str
"""Text; ``Model`` normalises it to NFC before any length is checked."""
NonEmptyText = Annotated[str, StringConstraints(min_length=1)]


class Model(BaseModel):
    """The base of the canonical models (see the module's docstring for what it guarantees)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _normalise_text(cls, data: Any) -> Any:
        return checked_text(data)

    @field_validator("*", mode="after")
    @classmethod
    def _blank_is_absent(cls, value: Any, info: ValidationInfo) -> Any:
        if value == "" and info.field_name and cls.model_fields[info.field_name].default is None:
            return None
        return value
