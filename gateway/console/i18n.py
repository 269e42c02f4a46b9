"""The console's languages: Vietnamese, the source of truth, and English.

Texts are written in Vietnamese in the templates and the code (``_("Tổng quan")``); the
catalogues under ``locales/<lang>/LC_MESSAGES/console.po`` hold them, English translating each.
They are compiled in memory when the console is built (``babel.messages.pofile`` and
``mofile``), so there is no build step and no ``.mo`` file to drift from its ``.po``. A text
missing from a catalogue shows as written, in Vietnamese.

Dates, times, durations and numbers are formatted by Babel for ``vi_VN`` (or ``en``), in the
province's time zone, whatever the server's.
"""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_timedelta
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LOCALES = Path(__file__).resolve().parent / "locales"
DOMAIN = "console"
LANGUAGES = ("vi", "en")
"""The console's languages, the default first."""
DEFAULT = "vi"
BABEL_LOCALES = {"vi": "vi_VN", "en": "en"}
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def catalogue_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(language: str) -> gettext.GNUTranslations:
    """The ``.po`` catalogue of ``language``, compiled in memory."""
    with catalogue_path(language).open("rb") as po:
        catalog = read_po(po, locale=BABEL_LOCALES[language], domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def language_of(value: str | None) -> str:
    """``value`` when it names a console language, else the default (Vietnamese)."""
    return value if value in LANGUAGES else DEFAULT


@dataclass(frozen=True, slots=True)
class Formats:
    """Dates, durations and numbers as one language writes them, in the province's time."""

    language: str

    @property
    def locale(self) -> str:
        return BABEL_LOCALES[self.language]

    def when(self, epoch: float | None, length: str = "medium") -> str:
        if epoch is None:
            return "—"
        moment = datetime.fromtimestamp(epoch, UTC)
        return format_datetime(moment, length, tzinfo=ZONE, locale=self.locale)

    def iso(self, epoch: float | None) -> str:
        """Machine-readable, for ``<time datetime=...>``."""
        if epoch is None:
            return ""
        return datetime.fromtimestamp(epoch, ZONE).isoformat(timespec="seconds")

    def duration(self, seconds: float | None) -> str:
        if seconds is None:
            return "—"
        return format_timedelta(
            timedelta(seconds=max(seconds, 0)), threshold=1.1, locale=self.locale
        )

    def number(self, value: float | int | None) -> str:
        if value is None:
            return "—"
        return format_decimal(value, locale=self.locale)
