"""The portal's scenario state as the admin API sees it: counts, the dossiers in full, expiry.

A test may put the portal into a given shape before it starts (``PUT /__admin/scenario``): the
dossiers it holds, each with its progress steps and write count, as if clients had sent them.
``GET /__admin/scenario`` reads them back in the same shape. ``POST /__admin/expire`` closes
every session and expires every token, the case a client must recover from by signing in again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mocks.admin import ScenarioError
from mocks.national_portal.catalogue import Catalogue
from mocks.national_portal.dossiers import DossierRecord, DossierStore
from mocks.national_portal.sessions import SessionStore
from mocks.tokens import TokenStore

_CODE = {"type": "string", "minLength": 1}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["dossiers"],
    "additionalProperties": False,
    "properties": {
        "dossiers": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["dossier"],
                "additionalProperties": False,
                "properties": {
                    "dossier": {
                        "type": "object",
                        "required": ["MaHoSo"],
                        "properties": {"MaHoSo": _CODE},
                    },
                    "progress": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["MaHoSo"],
                            "properties": {"MaHoSo": _CODE},
                        },
                    },
                    "writes": {"type": "integer", "minimum": 1},
                },
            },
        }
    },
}


class PortalScenario:
    """The portal's state: dossiers, sessions and tokens over the seeded catalogue."""

    schema = SCHEMA

    def __init__(
        self,
        store: DossierStore,
        sessions: SessionStore,
        tokens: TokenStore,
        catalogue: Catalogue,
        refused: dict[str, str] | None = None,
    ) -> None:
        self.refused = refused if refused is not None else {}
        self.store = store
        self.sessions = sessions
        self.tokens = tokens
        self.catalogue = catalogue

    def state(self) -> dict[str, Any]:
        return {
            **self.store.counts(),
            "sessions": self.sessions.active(),
            "tokens": self.tokens.active(),
            "procedures": len(self.catalogue.procedures),
            "fields": len(self.catalogue.fields),
        }

    def reset(self) -> None:
        """Forget dossiers, sessions, tokens and refused procedures; the catalogue and the
        accounts stay."""
        self.store.clear()
        self.refused.clear()
        self.sessions.expire_all()
        self.tokens.revoke_all()

    def expire(self) -> dict[str, int]:
        return {"sessions": self.sessions.expire_all(), "tokens": self.tokens.expire_all()}

    def snapshot(self) -> dict[str, Any]:
        return {"dossiers": [r.as_json() for r in self.store.records()]}

    def restore(self, spec: Mapping[str, Any]) -> None:
        """Hold exactly the dossiers of ``spec``; each step must name its own dossier."""
        records: list[DossierRecord] = []
        seen: set[str] = set()
        for i, entry in enumerate(spec["dossiers"]):
            code: str = entry["dossier"]["MaHoSo"]
            if code in seen:
                raise ScenarioError(f"dossiers.{i}.dossier.MaHoSo: {code} is given twice")
            seen.add(code)
            progress = list(entry.get("progress", []))
            for j, step in enumerate(progress):
                if step["MaHoSo"] != code:
                    raise ScenarioError(
                        f"dossiers.{i}.progress.{j}.MaHoSo: {step['MaHoSo']} is not the "
                        f"dossier's {code}"
                    )
            records.append(DossierRecord(entry["dossier"], progress, entry.get("writes", 1)))
        self.store.replace(records)
