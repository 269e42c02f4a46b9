"""Valid canonical dossiers, made fast: one template, a distinct code per sequence number.

The shape is the one the one-stop system sends to ``POST /v1/dossiers``. Bodies are encoded to
bytes before any clock starts, so the bench measures the servers, not its own JSON encoding.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

VIETNAM = timezone(timedelta(hours=7))
RECEIVED = datetime(2026, 11, 2, 8, 30, tzinfo=VIETNAM)
UNIT = "000.00.01.H56"
DAY = "261102"
SEQUENCE_MAX = 10**10 - 1
"""A dossier code's sequence part has at most ten digits."""

_TEMPLATE: dict[str, Any] = {
    "procedure": {"code": "1.001193", "name": "Thủ tục đăng ký khai sinh"},
    "field": {"code": "HT", "name": "Hộ tịch"},
    "channel": "in_person",
    "applicant": {
        "kind": "citizen",
        "name": "Nguyễn Thị Hồng Nhung",
        "id_type": "personal_id",
        "id_number": "068195001234",
        "phone": "0912345678",
    },
    "summary": "Đăng ký khai sinh cho con",
    "status": "received",
    "handling_unit": UNIT,
    "received_at": RECEIVED.isoformat(),
    "due_at": (RECEIVED + timedelta(days=3)).isoformat(),
}


def code(sequence: int) -> str:
    """``000.00.01.H56-261102-00042``: distinct for every ``sequence`` up to ten digits."""
    if not 0 <= sequence <= SEQUENCE_MAX:
        raise ValueError(f"sequence {sequence} does not fit the ten digits of a dossier code")
    return f"{UNIT}-{DAY}-{sequence:05d}"


def dossier(sequence: int) -> dict[str, Any]:
    return {"code": code(sequence), **_TEMPLATE}


def sequences(start: int, count: int) -> range:
    return range(start, start + count)


def single_bodies(numbers: Sequence[int]) -> list[bytes]:
    """One encoded dossier per request of ``POST /v1/dossiers``."""
    return [encoded(dossier(n)) for n in numbers]


def batch_bodies(numbers: Sequence[int], size: int) -> list[bytes]:
    """Encoded ``{"dossiers": [...]}`` bodies of ``POST /v1/dossiers:batch``, ``size`` each."""
    return [encoded({"dossiers": [dossier(n) for n in chunk]}) for chunk in _chunks(numbers, size)]


def _chunks(numbers: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(numbers), size):
        yield numbers[start : start + size]


def encoded(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
