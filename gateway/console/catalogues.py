"""The console's message catalogues, kept in step with the texts in its templates and code.

``python -m gateway.console.catalogues`` (``make catalogues``) reads every text marked for
translation (``_()`` in templates, ``_()`` and ``N_()`` in the console's Python) and updates
``locales/vi`` and ``locales/en``: new texts are added (Vietnamese with itself, English empty, to
be written), texts no longer used are dropped, translations already made are kept. A test fails
when a catalogue lacks a text or English leaves one untranslated.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from gateway.console.i18n import BABEL_LOCALES, DOMAIN, LANGUAGES, catalogue_path

CONSOLE = Path(__file__).resolve().parent
METHODS = [("templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def texts() -> dict[str, list[tuple[str, int]]]:
    """Every text marked in the console, with where it is used."""
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        CONSOLE, METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        text = message if isinstance(message, str) else message[0]
        found.setdefault(text, []).append((filename, line))
    return found


def read(language: str) -> Catalog:
    path = catalogue_path(language)
    if not path.exists():
        return Catalog(locale=BABEL_LOCALES[language], domain=DOMAIN)
    with path.open("rb") as po:
        return read_po(po, locale=BABEL_LOCALES[language], domain=DOMAIN)


def updated(language: str, marked: dict[str, list[tuple[str, int]]]) -> Catalog:
    old = read(language)
    catalog = Catalog(
        locale=BABEL_LOCALES[language],
        domain=DOMAIN,
        project="lienthong",
        version="console",
        charset="utf-8",
        fuzzy=False,
        creation_date=old.creation_date,
        revision_date=old.revision_date,
    )
    for text in sorted(marked):
        known = old.get(text)
        translation = known.string if known is not None and known.string else ""
        if language == "vi" and not translation:
            translation = text
        catalog.add(text, translation, locations=sorted(set(marked[text])))
    return catalog


def write(catalog: Catalog, language: str) -> None:
    path = catalogue_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=100, omit_header=False, sort_output=True)


def untranslated(catalog: Catalog) -> Iterable[str]:
    return [str(m.id) for m in catalog if m.id and not m.string]


def main() -> None:
    marked = texts()
    for language in LANGUAGES:
        catalog = updated(language, marked)
        write(catalog, language)
        missing = list(untranslated(catalog))
        sys.stdout.write(
            f"{catalogue_path(language)}: {len(catalog)} texts, {len(missing)} untranslated\n"
        )


if __name__ == "__main__":
    main()
