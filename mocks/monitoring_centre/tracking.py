"""What the monitoring centre mock holds: the events it took, in the order they came, and the
sites it knows.

Events are checked against the contract's ``TrackingEvent`` (``openapi/national/
monitoring_centre/schemas/tracking_event.json``), kept here as JSON Schema so the mock does not
agree with the gateway's own model. A test may put the sites the centre knows in place (``PUT
/__admin/scenario``, ``{"sites": [56], "events": []}``): an event of another site is refused
400. With no sites listed every site is taken.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from mocks.admin import ScenarioError

_DIGITS = {"type": "string", "pattern": "^[0-9]+$"}

EVENT: dict[str, Any] = {
    "type": "object",
    "additionalProperties": True,
    "required": [
        "CodeProfile",
        "SiteId",
        "CodeTTHC",
        "Status",
        "Level",
        "IsFromDVCQG",
    ],
    "properties": {
        "CodeProfile": {"type": "string", "minLength": 1, "maxLength": 64},
        "MaHoSo": {"type": "string", "maxLength": 64},
        "SiteId": {"type": "integer", "minimum": 1},
        "CodeTTHC": {"type": "string", "minLength": 1, "maxLength": 64},
        "NameTTHC": {"type": ["string", "null"]},
        "Status": {"enum": ["0", "1", "2", "3", "4"]},
        "FormsReception": {"enum": ["1", "2", None]},
        "FormsPayments": {"enum": ["0", "1", "2", None]},
        "Level": {"enum": ["0", "1", "3", "4"]},
        "IsFromDVCQG": {"enum": ["0", "1", None]},
        "IsDVCBC": {"enum": ["0", "1", "2", None]},
        "Data": {"type": ["string", "null"]},
        "User": {"type": ["string", "null"]},
    },
}
"""The contract's event: what the public client sends, every code a string of digits."""

SCENARIO: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "sites": {"type": "array", "items": {"type": "integer", "minimum": 1}},
        "events": {"type": "array", "items": EVENT},
    },
}


class Tracking:
    """The events taken, oldest first, and the sites known (none listed: every site)."""

    schema: Mapping[str, Any] = SCENARIO

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.sites: set[int] = set()

    def knows(self, site: int) -> bool:
        return not self.sites or site in self.sites

    def take(self, event: dict[str, Any]) -> int:
        """Keep ``event``; returns its number (1 for the first)."""
        self.events.append(event)
        return len(self.events)

    def of_dossier(self, code: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["CodeProfile"] == code]

    def state(self) -> dict[str, Any]:
        statuses = Counter(str(e["Status"]) for e in self.events)
        return {
            "events": len(self.events),
            "dossiers": len({e["CodeProfile"] for e in self.events}),
            "by_status": dict(sorted(statuses.items())),
            "sites": sorted({int(e["SiteId"]) for e in self.events}),
        }

    def reset(self) -> None:
        self.events.clear()
        self.sites.clear()

    def snapshot(self) -> dict[str, Any]:
        return {"sites": sorted(self.sites), "events": list(self.events)}

    def restore(self, spec: Mapping[str, Any]) -> None:
        sites = spec.get("sites", [])
        if len(set(sites)) != len(sites):
            raise ScenarioError("sites: a site is listed twice")
        self.sites = set(sites)
        self.events = [dict(e) for e in spec.get("events", [])]
