"""What the end-to-end tests ask of the portal mock: did every accepted event arrive, in order?"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx

from tests.gateway.samples import dossier_json, step_json


def lifecycle(sequence: int, steps: int = 3) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A dossier and its processing steps, each step with distinct content and time."""
    dossier = dossier_json(sequence, summary=f"Hồ sơ thử nghiệm số {sequence}")
    return dossier, [
        step_json(10 * (n + 1), content=f"Bước {n + 1} của hồ sơ {sequence}") for n in range(steps)
    ]


def first_occurrences(items: Sequence[str]) -> list[str]:
    """A redelivered step may arrive twice (at-least-once); its first arrival fixes its place."""
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def assert_portal_has(
    portal_url: str, dossiers: Sequence[dict[str, Any]], steps: dict[str, list[dict[str, Any]]]
) -> None:
    with httpx.Client(base_url=f"{portal_url}/__admin", timeout=10) as admin:
        for dossier in dossiers:
            code = dossier["code"]
            reply = admin.get(f"/dossiers/{code}")
            assert reply.status_code == 200, f"{code} never reached the portal"
            stored = reply.json()
            assert stored["dossier"]["TrichYeuHoSo"] == dossier["summary"]
            arrived = first_occurrences([p["NoiDungXuLy"] for p in stored["progress"]])
            assert arrived == [s["content"] for s in steps[code]], f"{code}: steps out of order"
