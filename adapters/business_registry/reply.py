"""Reading what the registry answered into values or the error tree.

Transport failures and HTTP statuses are read as every adapter reads them (``adapters.failures``);
this module adds what is the registry's own:

- HTTP 404: no such enterprise, read as None by the lookups;
- HTTP 400: ``PermanentError`` with the registry's message and the rule the code breaks;
- a 200 that is not a JSON record of the contract: ``TransientError`` (lookups are safe to
  repeat); a record that cannot be read into the canonical ``Business``: ``PermanentError``
  naming the registry's field, since it reads the same way however often it is fetched.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import ValidationError

from adapters.business_registry.port import SYSTEM
from adapters.errors import AdapterError, TransientError
from adapters.failures import response_failure, unreadable_record
from mappings.errors import MappingError
from mappings.registries.business import Business
from mappings.registries.business_registry import business_from_registry


def malformed(operation: str, what: str) -> TransientError:
    return TransientError(SYSTEM, f"{operation} answered {what}")


def _json_body(response: httpx.Response) -> object:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _status_failure(response: httpx.Response, operation: str) -> AdapterError | None:
    if response.status_code == httpx.codes.NOT_FOUND:
        return None
    body = _json_body(response)
    refusal = None
    if isinstance(body, dict) and body.get("error"):
        rule = f" (rule: {body['rule']})" if body.get("rule") else ""
        refusal = f"the registry refused it: {body['error']}{rule}"
    return response_failure(SYSTEM, response, operation, refusal=refusal)


def read_reply(response: httpx.Response, operation: str) -> Mapping[str, Any] | None:
    """The JSON object of a successful exchange, None for a 404, or the error it amounts to."""
    failure = _status_failure(response, operation)
    if failure is not None:
        raise failure
    if response.status_code == httpx.codes.NOT_FOUND:
        return None
    body = _json_body(response)
    if not isinstance(body, dict):
        raise malformed(operation, f"HTTP {response.status_code} without a JSON object")
    return body


def read_business(record: Mapping[str, Any], operation: str, where: str = "") -> Business:
    """One ``GetEntCert`` record as a ``Business``."""
    try:
        return business_from_registry(record)
    except MappingError as exc:
        raise unreadable_record(SYSTEM, operation, f"{where}{exc}") from None
    except ValidationError as exc:
        raise unreadable_record(
            SYSTEM, operation + (f": {where.strip()}" if where else ""), exc
        ) from None


def read_branches(body: Mapping[str, Any], operation: str) -> list[Business]:
    """The ``ChiNhanh`` records of a branches reply, in the registry's order."""
    records = body.get("ChiNhanh")
    if records is None:
        return []
    if not isinstance(records, list) or not all(isinstance(item, dict) for item in records):
        raise malformed(operation, "ChiNhanh that is not a list of records")
    return [
        read_business(record, operation, f"ChiNhanh[{index}] ")
        for index, record in enumerate(records)
    ]
