"""Reading what the results store answered into values or the error tree.

Transport failures and HTTP statuses are read as every adapter reads them (``adapters.failures``);
this module adds what is the store's own envelope ``{error_code, message, result}``:

- ``error_code`` 0: the result;
- ``error_code`` 2 (the file does not exist): None, for a file fetch;
- any other ``error_code``: ``RefusedError`` with the store's message (it names the field);
- a 200 that is not an envelope of the contract: ``TransientError`` (both calls are safe to
  repeat); a result that cannot be read: ``PermanentError`` naming the store's field.

Messages never carry personal IDs: runs of nine or more digits are masked.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from pydantic import ValidationError

from adapters.errors import RefusedError, TransientError
from adapters.failures import response_failure, unreadable_record
from adapters.population_registry.reply import masked
from adapters.results_store.port import SYSTEM
from mappings.errors import MappingError
from mappings.results_store import IssuedResult, ResultFile, file_from_store, result_from_store

NOT_FOUND = 2
"""``error_code`` of a file the store does not hold."""


def read_envelope(response: httpx.Response, operation: str) -> tuple[int, Any]:
    """``(error_code, result)`` of a successful exchange, or the error it amounts to; a code
    other than 0 and ``NOT_FOUND`` is a refusal."""
    failure = response_failure(SYSTEM, response, operation)
    if failure is not None:
        raise failure
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict) or not isinstance(body.get("error_code"), int):
        raise TransientError(SYSTEM, f"{operation} answered HTTP 200 without an error_code")
    code: int = body["error_code"]
    if code not in (0, NOT_FOUND):
        said = masked(str(body.get("message") or "no message"))
        raise RefusedError(SYSTEM, f"{operation}: the store refused it: {said}")
    return code, body.get("result")


def read_results(result: Any, operation: str) -> list[IssuedResult]:
    """The results of ``GetKetQuaGiayTo``, in the store's order."""
    if result is None:
        return []
    if not isinstance(result, list) or not all(isinstance(item, dict) for item in result):
        raise TransientError(SYSTEM, f"{operation} answered a result that is not a list")
    found: list[IssuedResult] = []
    for index, item in enumerate(result):
        try:
            found.append(result_from_store(item))
        except MappingError as exc:
            raise unreadable_record(
                SYSTEM, operation, f"{exc.field}: {masked(exc.rule)}", f"result[{index}] "
            ) from None
        except ValidationError as exc:
            raise unreadable_record(SYSTEM, operation, exc, f"result[{index}] ") from None
    return found


def read_file(code: int, result: Any, operation: str) -> ResultFile | None:
    """The file of ``GetGiayToByUrl``, or None when the store holds none there."""
    if code == NOT_FOUND:
        return None
    if not isinstance(result, dict):
        raise TransientError(SYSTEM, f"{operation} answered error_code 0 without a file")
    try:
        return file_from_store(result)
    except MappingError as exc:
        raise unreadable_record(SYSTEM, operation, f"{exc.field}: {exc.rule}") from None
