"""How log lines are written: text for people (``gateway.logging``) or, with
``LIENTHONG_LOG_FORMAT=json``, one JSON object per line for a log pipeline.

A JSON line holds ``time`` (UTC, ISO 8601, milliseconds), ``level``, ``logger``, ``message``,
the ``request_id`` being served when there is one (``X-Request-ID``), ``trace_id`` and
``span_id`` when OpenTelemetry traces it, ``exception`` (the whole traceback) and ``stack`` when
the record has them, and whatever the caller passed in ``extra``. Every field but ``time`` goes
through the same masking as a text line (``gateway.logging.mask_personal_data``), values inside
lists and objects too, so a JSON line never carries what a text line would hide.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TextIO

from adapters.client import REQUEST_ID
from gateway.logging import configure_logging, mask_personal_data


class LogFormat(StrEnum):
    text = "text"
    json = "json"


_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "taskName", "color_message"}
)
"""Attributes every record has; any other was passed in ``extra``."""


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return mask_personal_data(value)
    if isinstance(value, dict):
        return {str(key): _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_masked(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return mask_personal_data(str(value))


def _trace_ids() -> dict[str, str]:
    if "opentelemetry.trace" not in sys.modules:
        return {}
    from opentelemetry import trace

    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return {}
    return {"trace_id": f"{context.trace_id:032x}", "span_id": f"{context.span_id:016x}"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record, every field masked (see the module)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        entry.update(_trace_ids())
        if record.exc_info:
            record.exc_text = record.exc_text or self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_") and key not in entry:
                entry[key] = value
        stamp = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        return json.dumps({"time": stamp, **_masked(entry)}, ensure_ascii=False)


def configure(
    level: str = "INFO", style: LogFormat = LogFormat.text, stream: TextIO | None = None
) -> None:
    """``gateway.logging.configure_logging``, its lines written in ``style``."""
    configure_logging(level, stream)
    if style is LogFormat.json:
        for handler in logging.getLogger().handlers:
            handler.setFormatter(JsonFormatter())
