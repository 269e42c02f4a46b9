"""Reading what the land system answered into values or the error tree.

Transport failures and HTTP statuses are read as every adapter reads them (``adapters.failures``);
this module adds what is the land system's own. Every reply is one envelope, ``{"data",
"status": {"success", "code", "message"}}`` (*inferred* from the public clients' reply type):

- a send (``TiepNhanHoSo``, ``CapNhatTrangThaiBoSungHoSo``, ``CapNhatKetQuaTraHoSo``) succeeded
  when ``status.success`` is true; a refusal saying the system already holds what was sent
  (``đã tồn tại``, ``đã tiếp nhận``, ``đã trả kết quả``, ``đã cập nhật``) is final, not retried;
  any other refusal with a ``status.code`` of 400 to 499 is ``RefusedError`` with its message;
  anything else (a 5xx code, no code, a body that is not the envelope) is ``TransientError``;
- a look-up answered HTTP 404, or ``status.code`` 404, or ``data`` null, holds nothing (None);
  a record that cannot be read into the canonical model is ``PermanentError`` naming the field.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import httpx
from pydantic import ValidationError

from adapters.errors import RefusedError, TransientError
from adapters.failures import response_failure, unreadable_record
from adapters.land_registry.port import SYSTEM, Answer
from mappings.errors import MappingError
from mappings.land_registry import (
    LandProgress,
    LandStatus,
    Parcel,
    WireParcel,
    WireProgress,
    WireReply,
    parcel_from_wire,
    progress_from_wire,
)

SAID_CHARS = 300
"""The most of a reply kept in an error or an answer."""

_HELD = ("đã tồn tại", "đã tiếp nhận", "đã trả kết quả", "đã cập nhật")


def _folded(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _read(response: httpx.Response) -> WireReply | None:
    try:
        return WireReply.model_validate(response.json())
    except (json.JSONDecodeError, UnicodeDecodeError, ValidationError):
        return None


def _envelope(response: httpx.Response, operation: str) -> WireReply:
    reply = _read(response)
    said = reply.status.message if reply is not None else None
    refusal = f"the land system refused it: {said[:SAID_CHARS]}" if said else None
    failure = response_failure(SYSTEM, response, operation, refusal=refusal)
    if failure is not None and response.status_code != httpx.codes.NOT_FOUND:
        raise failure
    if reply is None:
        raise failure or TransientError(
            SYSTEM, f"{operation}: HTTP {response.status_code} without the reply envelope"
        )
    return reply


def read_answer(response: httpx.Response, operation: str) -> Answer:
    """The land system's answer to a send, or the error it amounts to."""
    reply = _envelope(response, operation)
    said = (reply.status.message or "")[:SAID_CHARS]
    if reply.status.success:
        return Answer(said)
    if any(_folded(words) in _folded(said) for words in _HELD):
        return Answer(said, final=True)
    code = reply.status.code
    if code is not None and 400 <= code < 500:
        raise RefusedError(SYSTEM, f"{operation}: the land system refused it ({code}): {said}")
    raise TransientError(
        SYSTEM, f"{operation}: the land system did not take it ({code}): {said or '(nothing)'}"
    )


def _data(response: httpx.Response, operation: str) -> Any:
    """A look-up's ``data``, None when the land system holds nothing."""
    reply = _envelope(response, operation)
    if response.status_code == httpx.codes.NOT_FOUND or reply.status.code == 404:
        return None
    if reply.status.success is False:
        said = (reply.status.message or "")[:SAID_CHARS]
        code = reply.status.code
        if code is not None and 400 <= code < 500:
            raise RefusedError(SYSTEM, f"{operation}: the land system refused it ({code}): {said}")
        raise TransientError(SYSTEM, f"{operation}: the land system failed ({code}): {said}")
    return reply.data


def read_progress(
    response: httpx.Response, operation: str, table: dict[int, LandStatus]
) -> LandProgress | None:
    data = _data(response, operation)
    if data is None:
        return None
    try:
        return progress_from_wire(WireProgress.model_validate(data), table)
    except ValidationError as error:
        raise unreadable_record(SYSTEM, operation, error) from None
    except MappingError as error:
        raise unreadable_record(SYSTEM, operation, str(error)) from None


def _parcel(data: Any, operation: str, where: str = "") -> Parcel:
    try:
        return parcel_from_wire(WireParcel.model_validate(data))
    except ValidationError as error:
        raise unreadable_record(SYSTEM, operation, error, where) from None
    except MappingError as error:
        raise unreadable_record(SYSTEM, operation, str(error), where) from None


def read_parcel(response: httpx.Response, operation: str) -> Parcel | None:
    data = _data(response, operation)
    return None if data is None else _parcel(data, operation)


def read_parcels(response: httpx.Response, operation: str) -> list[Parcel]:
    data = _data(response, operation)
    if data is None:
        return []
    if not isinstance(data, list):
        raise TransientError(SYSTEM, f"{operation}: data that is not a list of parcels")
    return [_parcel(item, operation, f"data[{i}]") for i, item in enumerate(data)]
