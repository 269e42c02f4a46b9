"""CSV for people to open in a spreadsheet (``csv_text``): a header row, Windows line ends, and
text a spreadsheet would run as a formula prefixed with an apostrophe (OWASP's advice on CSV
injection). Spreadsheets need a byte-order mark to read Vietnamese: encode with ``utf-8-sig``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(header: Sequence[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows((_cell(value) for value in row) for row in rows)
    return out.getvalue()


def _cell(value: object) -> object:
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
