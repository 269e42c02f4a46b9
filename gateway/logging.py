"""Logging set-up: every line passes through a filter that masks personal ID numbers.

Personal data must never reach a log unmasked (Nghị định 13/2023/NĐ-CP). Code should not log it in
the first place; this filter is the net under that rule: any run of 9 or 12 digits standing alone
(the old and the new personal ID) is shown as its first and last three digits, ``001******345``.
"""

from __future__ import annotations

import logging
import re

_PERSONAL_ID = re.compile(r"(?<![\d.])(\d{3})(\d{3}|\d{6})(\d{3})(?![\d.])")


def mask_personal_ids(text: str) -> str:
    return _PERSONAL_ID.sub(lambda m: m[1] + "*" * len(m[2]) + m[3], text)


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_personal_ids(record.getMessage())
        record.args = None
        return True


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for chatty in ("signxml", "zeep"):  # at DEBUG they log whole packages and credentials
        logging.getLogger(chatty).setLevel(max(logging.INFO, root.level))
