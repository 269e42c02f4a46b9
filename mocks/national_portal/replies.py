"""The envelope of the portal's replies and its codes, as the contract's ``reply.json`` has them.

Every reply of the portal's own logic is HTTP 200 with ``{"error_code", "message", "result"}``.
Success is the integer ``0`` (the contract lets clients accept ``"0"`` and ``"00"`` too) and its
message contains "thành công"; refusals carry a string code and an empty ``result``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SUCCESS = 0
INVALID = "01"
EXISTS = "02"
NOT_FOUND = "03"
PARTIAL = "04"
UNAUTHORISED = "401"

Body = dict[str, Any]


def success(result: Sequence[Any], message: str, **beside: Any) -> Body:
    """Success with ``result``, and ``beside`` it whatever else the service answers."""
    return {"error_code": SUCCESS, "message": message, "result": list(result), **beside}


def refusal(code: str, message: str) -> Body:
    return {"error_code": code, "message": message, "result": []}


def item(code: str, error_code: int | str, message: str, *, key: str = "MaHoSo") -> Body:
    """What the portal did with one item of a push, named by its ``key`` field (``MaHoSo``, or
    ``HOIDAPID`` for answers and published questions)."""
    return {key: code, "error_code": error_code, "message": message}


def batch(items: list[Body], success_message: str) -> Body:
    """The reply to a push: ``0`` if every item succeeded, ``02`` if every refused one already
    existed, ``04`` for any other mix; always one result per item, in order."""
    refused = [i for i in items if i["error_code"] != SUCCESS]
    if not refused:
        return success(items, success_message)
    if all(i["error_code"] == EXISTS for i in refused):
        code, message = EXISTS, f"{len(refused)}/{len(items)} hồ sơ đã tồn tại"
    else:
        first = refused[0]["message"]
        code = PARTIAL
        message = f"{len(refused)}/{len(items)} mục bị từ chối; mục đầu tiên: {first}"
    return {"error_code": code, "message": message, "result": items}
