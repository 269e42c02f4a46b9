"""The dossiers the portal holds: the last snapshot of each, its progress, and how often written.

Snapshots replace each other whole (an upsert keyed by ``MaHoSo``); progress steps are appended
in arrival order and never deduplicated, so a test can see a client that sent a step twice.
Stored objects are never changed in place, so replies and the journal may share them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Dossier = dict[str, Any]
Step = dict[str, Any]


@dataclass(slots=True)
class DossierRecord:
    """One dossier: its current snapshot, its progress in arrival order, and its write count."""

    dossier: Dossier
    progress: list[Step] = field(default_factory=list)
    writes: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"dossier": self.dossier, "progress": self.progress, "writes": self.writes}


class DossierStore:
    """In-memory dossiers keyed by ``MaHoSo``."""

    def __init__(self) -> None:
        self._records: dict[str, DossierRecord] = {}
        self._writes = 0
        self._steps = 0

    def get(self, code: str) -> DossierRecord | None:
        return self._records.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._records

    def write(self, dossier: Dossier) -> bool:
        """Store ``dossier`` as the snapshot of its ``MaHoSo``; True when it was new."""
        code: str = dossier["MaHoSo"]
        record = self._records.get(code)
        created = record is None
        if record is None:
            record = self._records[code] = DossierRecord(dossier)
        else:
            record.dossier = dossier
        record.writes += 1
        self._writes += 1
        return created

    def append(self, step: Step) -> bool:
        """Append a progress step to its dossier; False when the portal holds no such dossier."""
        record = self._records.get(step["MaHoSo"])
        if record is None:
            return False
        record.progress.append(step)
        self._steps += 1
        return True

    def forget(self, code: str) -> bool:
        """Lose a dossier and its progress, as a portal that lost data; False if not held."""
        record = self._records.pop(code, None)
        if record is None:
            return False
        self._steps -= len(record.progress)
        return True

    def drop_last_step(self, code: str) -> bool:
        """Lose the last progress step of a dossier; False when it has none."""
        record = self._records.get(code)
        if record is None or not record.progress:
            return False
        record.progress = record.progress[:-1]
        self._steps -= 1
        return True

    def records(self) -> list[DossierRecord]:
        """Every dossier, in the order the portal first stored them."""
        return list(self._records.values())

    def replace(self, records: list[DossierRecord]) -> None:
        """Hold exactly ``records`` (their ``MaHoSo`` distinct), as if clients had written them."""
        self._records = {r.dossier["MaHoSo"]: r for r in records}
        self._writes = sum(r.writes for r in records)
        self._steps = sum(len(r.progress) for r in records)

    def clear(self) -> None:
        self._records.clear()
        self._writes = 0
        self._steps = 0

    def counts(self) -> dict[str, int]:
        return {"dossiers": len(self._records), "writes": self._writes, "progress": self._steps}
