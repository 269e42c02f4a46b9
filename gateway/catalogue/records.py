"""The catalogue's versions and entries in the store, and the difference between two versions.

A version is every entry of every list, each with a digest of its body (the entry as the portal
sent it, keys sorted); two versions differ where an entry was added, withdrawn, or its digest
changed, and a changed procedure names the fields that differ. Functions taking a ``Connection``
are units of work (``Store.read``/``Store.write``): they touch nothing but the connection.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from gateway.store.schema import catalogue_entries, catalogue_versions
from mappings.national_portal import CatalogueList

PROCEDURES = "procedures"
HELD_LISTS: tuple[str, ...] = (PROCEDURES, *(kind.value for kind in CatalogueList))
"""Every list a version holds, in the order operators read them."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a list as fetched: its code, its name and its body as the portal sent it."""

    code: str
    name: str
    body: dict[str, Any]

    @property
    def digest(self) -> str:
        text = json.dumps(self.body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


Snapshot = Mapping[str, Sequence[Entry]]
"""Every list fetched, by its name in ``HELD_LISTS``."""


@dataclass(frozen=True, slots=True)
class Named:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Changed:
    code: str
    name: str
    fields: list[str]


@dataclass(slots=True)
class ListChanges:
    added: list[Named] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    withdrawn: list[Named] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.changed) + len(self.withdrawn)


Changes = dict[str, ListChanges]
"""Per list, what a version added, changed and withdrawn against the one before."""


@dataclass(frozen=True, slots=True)
class VersionRow:
    version: int
    fetched_at: float
    checked_at: float
    digest: str
    counts: dict[str, int]
    changes: Changes

    @property
    def change_count(self) -> int:
        return sum(c.count for c in self.changes.values())


@dataclass(frozen=True, slots=True)
class EntryRow:
    list: str
    code: str
    name: str
    body: dict[str, Any]


def digest_of(snapshot: Snapshot) -> str:
    """One digest of every entry of every list (order of entries aside)."""
    hashed = hashlib.sha256()
    for name in HELD_LISTS:
        for code, digest in sorted((e.code, e.digest) for e in snapshot.get(name, ())):
            hashed.update(f"{name}\x1f{code}\x1f{digest}\x1e".encode())
    return hashed.hexdigest()


def changes_between(
    before: Mapping[str, Mapping[str, tuple[str, str, dict[str, Any]]]], after: Snapshot
) -> Changes:
    """What ``after`` adds, changes and withdraws against ``before`` (per list, code: name,
    digest, body)."""
    changes: Changes = {}
    for name in HELD_LISTS:
        old = before.get(name, {})
        new = {e.code: e for e in after.get(name, ())}
        listed = ListChanges(
            added=[Named(code, e.name) for code, e in new.items() if code not in old],
            changed=[
                Changed(code, e.name, _fields_changed(old[code][2], e.body))
                for code, e in new.items()
                if code in old and old[code][1] != e.digest
            ],
            withdrawn=[Named(code, old[code][0]) for code in old if code not in new],
        )
        if listed.count:
            changes[name] = listed
    return changes


def _fields_changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    return sorted(key for key in {*before, *after} if before.get(key) != after.get(key))


def _changes_json(changes: Changes) -> str:
    return json.dumps(
        {name: asdict(listed) for name, listed in changes.items()}, ensure_ascii=False
    )


def _changes_of(text: str) -> Changes:
    found: Changes = {}
    for name, listed in json.loads(text).items():
        found[name] = ListChanges(
            added=[Named(**n) for n in listed["added"]],
            changed=[Changed(**c) for c in listed["changed"]],
            withdrawn=[Named(**n) for n in listed["withdrawn"]],
        )
    return found


def _version(row: Any) -> VersionRow:
    return VersionRow(
        version=row.version,
        fetched_at=row.fetched_at,
        checked_at=row.checked_at,
        digest=row.digest,
        counts=json.loads(row.counts),
        changes=_changes_of(row.changes),
    )


def latest_version(connection: Connection) -> VersionRow | None:
    row = connection.execute(
        select(catalogue_versions).order_by(catalogue_versions.c.version.desc()).limit(1)
    ).first()
    return _version(row) if row else None


def find_version(connection: Connection, version: int) -> VersionRow | None:
    row = connection.execute(
        select(catalogue_versions).where(catalogue_versions.c.version == version)
    ).first()
    return _version(row) if row else None


def all_versions(connection: Connection) -> list[VersionRow]:
    rows = connection.execute(
        select(catalogue_versions).order_by(catalogue_versions.c.version.desc())
    )
    return [_version(row) for row in rows]


def _held(connection: Connection, version: int) -> dict[str, dict[str, tuple[str, str, Any]]]:
    held: dict[str, dict[str, tuple[str, str, Any]]] = {}
    rows = connection.execute(
        select(
            catalogue_entries.c.list,
            catalogue_entries.c.code,
            catalogue_entries.c.name,
            catalogue_entries.c.digest,
            catalogue_entries.c.body,
        ).where(catalogue_entries.c.version == version)
    )
    for row in rows:
        held.setdefault(row.list, {})[row.code] = (row.name, row.digest, json.loads(row.body))
    return held


def keep(
    connection: Connection, snapshot: Snapshot, *, now: float | None = None
) -> tuple[VersionRow, bool]:
    """Keep ``snapshot`` as a new version when it differs from the latest, else note the latest
    was found current; returns the version held now and whether it is new."""
    now = time.time() if now is None else now
    digest = digest_of(snapshot)
    current = latest_version(connection)
    if current is not None and current.digest == digest:
        connection.execute(
            update(catalogue_versions)
            .where(catalogue_versions.c.version == current.version)
            .values(checked_at=now)
        )
        return replace(current, checked_at=now), False
    before = _held(connection, current.version) if current else {}
    changes = changes_between(before, snapshot)
    counts = {name: len(snapshot.get(name, ())) for name in HELD_LISTS}
    version = connection.execute(
        insert(catalogue_versions)
        .values(
            fetched_at=now,
            checked_at=now,
            digest=digest,
            counts=json.dumps(counts),
            changes=_changes_json(changes),
        )
        .returning(catalogue_versions.c.version)
    ).scalar_one()
    rows = [
        {
            "version": version,
            "list": name,
            "code": entry.code,
            "name": entry.name,
            "body": json.dumps(entry.body, ensure_ascii=False, sort_keys=True),
            "digest": entry.digest,
        }
        for name in HELD_LISTS
        for entry in _unique(snapshot.get(name, ()))
    ]
    if rows:
        connection.execute(insert(catalogue_entries), rows)
    return VersionRow(version, now, now, digest, counts, changes), True


def _unique(entries: Iterable[Entry]) -> list[Entry]:
    """The entries with distinct codes, the last one of a code winning (as the portal's own
    lookups would answer it)."""
    return list({e.code: e for e in entries}.values())


def _latest_number() -> Any:
    return select(func.max(catalogue_versions.c.version)).scalar_subquery()


def entries(
    connection: Connection,
    list_name: str,
    *,
    version: int | None = None,
    field: str | None = None,
    text: str | None = None,
    after: str | None = None,
    limit: int = 100,
) -> list[EntryRow]:
    """Entries of ``list_name`` in the version given (the latest by default), by code, a page
    after the code ``after``; procedures may be filtered by their field (``MaLinhVuc``) and
    by a piece of their name."""
    query = select(catalogue_entries).where(
        catalogue_entries.c.version == (version if version is not None else _latest_number()),
        catalogue_entries.c.list == list_name,
    )
    if after is not None:
        query = query.where(catalogue_entries.c.code > after)
    if text:
        query = query.where(func.lower(catalogue_entries.c.name).contains(text.lower()))
    rows = connection.execute(query.order_by(catalogue_entries.c.code))
    found = []
    for row in rows:
        body = json.loads(row.body)
        if field and body.get("MaLinhVuc") != field:
            continue
        found.append(EntryRow(row.list, row.code, row.name, body))
        if len(found) == limit:
            break
    return found


def entry(
    connection: Connection, list_name: str, code: str, *, version: int | None = None
) -> EntryRow | None:
    row = connection.execute(
        select(catalogue_entries).where(
            catalogue_entries.c.version == (version if version is not None else _latest_number()),
            catalogue_entries.c.list == list_name,
            catalogue_entries.c.code == code,
        )
    ).first()
    return EntryRow(row.list, row.code, row.name, json.loads(row.body)) if row else None


def known_codes(connection: Connection, codes: Sequence[str]) -> tuple[int, set[str]] | None:
    """The latest version and which of the procedure ``codes`` it lists; None when no
    catalogue is held."""
    version = connection.execute(select(func.max(catalogue_versions.c.version))).scalar()
    if version is None:
        return None
    unique = sorted(set(codes))
    found = connection.execute(
        select(catalogue_entries.c.code).where(
            catalogue_entries.c.version == version,
            catalogue_entries.c.list == PROCEDURES,
            catalogue_entries.c.code.in_(unique),
        )
    ).scalars()
    return version, set(found)
