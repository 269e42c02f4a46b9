"""Reading what the national reporting system answered into values or the error tree.

Transport failures and HTTP statuses are read as every adapter reads them (``adapters.failures``);
this module adds what is the system's own: a 400 is a refusal of the content (``RefusedError``)
with the system's ``ThongBao`` and the field it named (``TruongLoi``); a 200 that is not a receipt
of the contract is ``TransientError`` (submitting again is safe: the same ``MaYeuCau`` answers the
same receipt).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from pydantic import ValidationError

from adapters.errors import TransientError
from adapters.failures import response_failure
from adapters.national_reporting.port import SYSTEM, Receipt
from mappings.national_reporting import BienNhan


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None


def _refusal(body: Any) -> str | None:
    if not isinstance(body, dict) or not body.get("ThongBao"):
        return None
    field = f" (field {body['TruongLoi']})" if body.get("TruongLoi") else ""
    return f"the system refused it: {body['ThongBao']}{field}"


def read_json(response: httpx.Response, operation: str) -> Any:
    """The JSON of a successful exchange, or the error it amounts to."""
    failure = response_failure(SYSTEM, response, operation, refusal=_refusal(_body(response)))
    if failure is not None:
        raise failure
    body = _body(response)
    if body is None:
        raise TransientError(SYSTEM, f"{operation}: HTTP {response.status_code} without JSON")
    return body


def receipt_of(record: Any, operation: str) -> Receipt:
    try:
        found = BienNhan.model_validate(record)
    except ValidationError as error:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in error.errors()[:3])
        raise TransientError(
            SYSTEM, f"{operation}: a receipt the gateway cannot read ({fields})"
        ) from None
    return Receipt(
        id=found.MaBienNhan,
        submission=found.LanNop,
        received_at=found.ThoiGianTiepNhan,
        request_id=found.MaYeuCau,
    )


def read_receipt(response: httpx.Response, operation: str) -> Receipt:
    return receipt_of(read_json(response, operation), operation)


def read_receipts(response: httpx.Response, operation: str) -> list[Receipt]:
    body = read_json(response, operation)
    listed = body.get("DanhSach") if isinstance(body, dict) else None
    if not isinstance(listed, list):
        raise TransientError(SYSTEM, f"{operation}: a reply without DanhSach")
    return [receipt_of(item, operation) for item in listed]
