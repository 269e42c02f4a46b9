"""Logging set-up: every line passes through a filter that masks personal data.

Personal data must never reach a log unmasked (Nghị định 13/2023/NĐ-CP). Code should not log it in
the first place; this filter is the net under that rule:

- a run of 9 or 12 digits standing alone (the old and the new personal ID) is shown as its
  first and last three digits, ``001******345``;
- dates that could be dates of birth (``1995-03-14``, ``19950314``, ``14/03/1995``) are hidden;
- query strings are dropped from request lines (``GET /v1/citizens/001******345?…``), since a
  lookup carries the person's name and date of birth there.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import TextIO

_PERSONAL_ID = re.compile(r"(?<![\d.])(\d{3})(\d{3}|\d{6})(\d{3})(?![\d.])")
_DATE = re.compile(
    r"(?<![\d/.-])(?:(?:19|20)\d{2}-\d{2}-\d{2}|(?:19|20)\d{6}|\d{2}/\d{2}/(?:19|20)\d{2})(?![\d/.-])"
)
_QUERY = re.compile(r"(\s/[^\s?\"]*)\?[^\s\"]*")


def mask_personal_ids(text: str) -> str:
    return _PERSONAL_ID.sub(lambda m: m[1] + "*" * len(m[2]) + m[3], text)


def mask_personal_data(text: str) -> str:
    """``text`` with ID numbers masked, dates hidden and query strings dropped."""
    return mask_personal_ids(_DATE.sub("****-**-**", _QUERY.sub(r"\1?…", text)))


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_personal_data(record.getMessage())
        record.args = None
        return True


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for chatty in ("signxml", "zeep"):  # at DEBUG they log whole packages and credentials
        logging.getLogger(chatty).setLevel(max(logging.INFO, root.level))
