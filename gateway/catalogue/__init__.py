"""The national procedure catalogue the gateway holds: versions, their differences, lookups.

``Catalogue(store, portal, overrides, config)`` (built by ``gateway.bootstrap`` as
``Gateway.catalogue``):

- ``sync()`` fetches every list the portal publishes (procedures in full, with their fields,
  agencies and fees; fields, religions, marital statuses, applicants, levels, legal bases) and
  keeps it as a new version when anything differs from the version held, with what was added,
  changed (and in which fields) and withdrawn; otherwise it notes that the version held was
  found current. A portal that lists no procedure is refused: an empty catalogue would refuse
  every dossier. Versions are kept whole and never changed.
- ``versions()``, ``version(n)`` (its ``changes``), ``procedures(...)``, ``procedure(code)``
  (local codes are mapped to the national form first), ``entries(list)``.
- ``check`` is what ``POST /v1/dossiers`` asks (``gateway.dossiers.ProcedureCheck``): with a
  catalogue held, a dossier whose procedure (mapped from the province's local code,
  ``mappings.overrides``) is not in it is refused naming ``procedure.code``; with none held,
  every procedure is accepted, as before any sync.
- ``run()`` refreshes every ``refresh_seconds`` on one replica at a time (``gateway.store.
  leader``), once a catalogue is held: the first one is taken deliberately (``lienthong
  catalogue sync`` or the console), because holding one changes what intake accepts.
"""

from __future__ import annotations

from gateway.catalogue.records import (
    HELD_LISTS,
    PROCEDURES,
    Changes,
    EntryRow,
    ListChanges,
    VersionRow,
)
from gateway.catalogue.service import Catalogue, CatalogueConfig, EmptyCatalogue, SyncOutcome

__all__ = [
    "HELD_LISTS",
    "PROCEDURES",
    "Catalogue",
    "CatalogueConfig",
    "Changes",
    "EmptyCatalogue",
    "EntryRow",
    "ListChanges",
    "SyncOutcome",
    "VersionRow",
]
