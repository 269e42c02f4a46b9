"""Reading what the insurance database answered into values or the error tree.

Transport failures and HTTP statuses are read as every adapter reads them (``adapters.failures``);
this module adds what is the database's own:

- HTTP 401 ``{"MaLoi": "XAC_THUC", "Truong": <header>}``: ``AuthError`` naming the header; the
  platform refuses a wrong secret, API key or X-Road client, a clock more than 300 s off and a
  replay, all fixed in configuration or on the host's clock, not by asking again;
- HTTP 400 ``{"MaLoi", "Truong", "MoTa"}``: ``RefusedError`` with the field and the rule;
- a 200 that is not a reply of the contract: ``TransientError`` (lookups are safe to repeat);
  a record that cannot be read into ``InsuranceRecord``: ``PermanentError`` naming the field.

Messages never carry personal IDs: runs of nine or more digits are masked before they reach an
error, since errors end up in logs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
from pydantic import ValidationError

from adapters.errors import AuthError, TransientError
from adapters.failures import response_failure, unreadable_record
from adapters.population_registry.reply import masked
from adapters.social_insurance.port import SYSTEM
from mappings.errors import MappingError
from mappings.social_insurance import InsuranceRecord, insurance_from_registry


def _json_body(response: httpx.Response) -> object:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _said(body: object) -> str | None:
    if isinstance(body, dict) and body.get("MoTa"):
        field = f" ({body['Truong']})" if body.get("Truong") else ""
        return masked(f"{body['MoTa']}{field}")
    return None


def read_reply(response: httpx.Response, operation: str) -> Mapping[str, Any] | None:
    """The ``ThongTinBaoHiem`` of a successful lookup, None when the database holds none, or the
    error the exchange amounts to."""
    body = _json_body(response)
    said = _said(body)
    if response.status_code == httpx.codes.UNAUTHORIZED:
        raise AuthError(
            SYSTEM,
            f"{operation}: the platform refused the signed headers ({said or 'no reason given'});"
            " check the configured user, secret, API key and X-Road client, and the host's clock",
        )
    failure = response_failure(
        SYSTEM, response, operation, refusal=f"the database refused it: {said}" if said else None
    )
    if failure is not None:
        raise failure
    if not isinstance(body, dict) or not isinstance(body.get("TimThay"), bool):
        raise TransientError(SYSTEM, f"{operation} answered HTTP 200 without a TimThay flag")
    record = body.get("ThongTinBaoHiem")
    if not body["TimThay"]:
        return None
    if not isinstance(record, dict):
        raise TransientError(SYSTEM, f"{operation} answered TimThay without ThongTinBaoHiem")
    return record


def read_record(record: Mapping[str, Any], operation: str) -> InsuranceRecord:
    """``ThongTinBaoHiem`` as an ``InsuranceRecord``."""
    try:
        return insurance_from_registry(record)
    except MappingError as exc:
        raise unreadable_record(SYSTEM, operation, f"{exc.field}: {masked(exc.rule)}") from None
    except ValidationError as exc:
        raise unreadable_record(SYSTEM, operation, exc) from None
