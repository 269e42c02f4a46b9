"""Office-hours arithmetic: one-stop desks work 07:30-11:30 and 13:30-17:00, Monday to Friday.

Dossiers are received, handled and returned while offices are open, so the demo moves its clock
in working minutes; a lifecycle then reads like a real one, with nothing stamped at 2 a.m. on a
Sunday. Times are in Asia/Ho_Chi_Minh, which keeps no daylight saving, so plain arithmetic on
aware datetimes is exact.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta

from mappings.dossier import VIETNAM

SESSIONS: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
MINUTES_PER_DAY = sum(
    (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute) for start, end in SESSIONS
)


def _sessions_from(moment: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Open periods that end after ``moment``, in order; the first may already have begun."""
    day = moment.astimezone(VIETNAM).date()
    while True:
        if day.weekday() < 5:
            for start, end in SESSIONS:
                opens = datetime.combine(day, start, tzinfo=VIETNAM)
                closes = datetime.combine(day, end, tzinfo=VIETNAM)
                if closes > moment:
                    yield max(opens, moment), closes
        day += timedelta(days=1)


def open_at_or_after(moment: datetime) -> datetime:
    """``moment`` itself if offices are open then, else the next opening."""
    start, _ = next(_sessions_from(moment))
    return start


def add_working_minutes(moment: datetime, minutes: float) -> datetime:
    """The time ``minutes`` of office hours after ``moment``, skipping nights, lunch, weekends."""
    if minutes < 0:
        raise ValueError(f"cannot go back {minutes} working minutes")
    remaining = timedelta(minutes=minutes)
    for start, end in _sessions_from(moment):
        if start + remaining <= end:
            return start + remaining
        remaining -= end - start
    raise AssertionError("office sessions never run out")


def add_working_days(moment: datetime, days: float) -> datetime:
    return add_working_minutes(moment, days * MINUTES_PER_DAY)
