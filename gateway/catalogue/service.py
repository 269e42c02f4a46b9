"""``Catalogue``: fetching the national catalogue, keeping its versions, answering from it, and
refreshing it on one replica at a time (see the package's docstring)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from adapters.national_portal import NationalPortal
from gateway.catalogue import records
from gateway.catalogue.records import HELD_LISTS, PROCEDURES, Entry, EntryRow, VersionRow
from gateway.store import Connection, Store
from gateway.store.leader import Leadership
from mappings.dossier import Dossier
from mappings.national_portal import CatalogueList, PortalProcedure, entry_of
from mappings.overrides import ProvinceOverrides

log = logging.getLogger(__name__)


class EmptyCatalogue(RuntimeError):
    """The portal listed no procedure; the catalogue held is kept."""


@dataclass(frozen=True, slots=True)
class CatalogueConfig:
    refresh_seconds: float = 24 * 3600.0
    """How often the catalogue held is fetched again; 0 never."""
    concurrency: int = 4
    """Procedures fetched in full at once."""


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    """What a sync found: the version held now, and whether it is new."""

    version: VersionRow
    new: bool


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value.strip())
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    return value


class Catalogue:
    def __init__(
        self,
        store: Store,
        portal: NationalPortal,
        overrides: ProvinceOverrides,
        config: CatalogueConfig | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._portal = portal
        self.overrides = overrides
        self.config = config or CatalogueConfig()
        self._clock = clock
        self._stopping = asyncio.Event()
        self.leadership = Leadership(store, "catalogue-refresh")
        self.failing_since: float | None = None

    # --- fetching and keeping ---------------------------------------------------------------

    async def fetch(self) -> dict[str, list[Entry]]:
        """Every list the portal publishes, procedures in full (``EmptyCatalogue`` when it
        lists no procedure)."""
        listed = await self._portal.list_procedures()
        if not listed:
            raise EmptyCatalogue(
                "the national portal listed no procedure; the catalogue held is kept"
            )
        limit = asyncio.Semaphore(max(1, self.config.concurrency))

        async def in_full(summary: PortalProcedure) -> Entry:
            async with limit:
                full = await self._portal.get_procedure(summary.MaTTHC)
            body = _nfc((full or summary).model_dump(mode="json"))
            return Entry(body["MaTTHC"], body.get("TenTTHC", ""), body)

        snapshot: dict[str, list[Entry]] = {
            PROCEDURES: list(await asyncio.gather(*(in_full(p) for p in listed)))
        }
        for kind in CatalogueList:
            found = await self._portal.list_entries(kind)
            kept = []
            for index, raw in enumerate(found):
                read = entry_of(kind, raw, index)
                body = _nfc(raw.model_dump(mode="json"))
                kept.append(Entry(read.code, read.name, body))
            snapshot[kind.value] = kept
        return snapshot

    async def sync(self) -> SyncOutcome:
        """Fetch the catalogue and keep it (a new version only when something differs)."""
        snapshot = await self.fetch()
        now = self._clock()
        version, new = await self._store.write(lambda c: records.keep(c, snapshot, now=now))
        if new:
            log.info(
                "national catalogue version %d kept: %d procedures, %d changes",
                version.version,
                version.counts.get(PROCEDURES, 0),
                version.change_count,
            )
        return SyncOutcome(version, new)

    # --- reading ----------------------------------------------------------------------------

    async def latest(self) -> VersionRow | None:
        return await self._store.read(records.latest_version)

    async def versions(self) -> list[VersionRow]:
        """Every version held, newest first."""
        return await self._store.read(records.all_versions)

    async def version(self, number: int) -> VersionRow | None:
        return await self._store.read(lambda c: records.find_version(c, number))

    async def procedures(
        self,
        *,
        field: str | None = None,
        text: str | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> list[EntryRow]:
        """Procedures of the latest version by code, a page after ``after``."""
        return await self._store.read(
            lambda c: records.entries(
                c, PROCEDURES, field=field, text=text, after=after, limit=limit
            )
        )

    async def procedure(self, code: str) -> EntryRow | None:
        """The procedure ``code`` (national, or the province's local form) in the latest
        version, or None."""
        national = self.overrides.national_procedure_code(code)
        return await self._store.read(lambda c: records.entry(c, PROCEDURES, national))

    async def entries(self, list_name: str, *, version: int | None = None) -> list[EntryRow]:
        if list_name not in HELD_LISTS:
            raise KeyError(list_name)
        return await self._store.read(
            lambda c: records.entries(c, list_name, version=version, limit=100_000)
        )

    def check(self, connection: Connection, dossiers: Sequence[Dossier]) -> list[tuple[int, str]]:
        """The dossiers (index, why) whose procedure the catalogue held lacks; none when no
        catalogue is held (``gateway.dossiers.ProcedureCheck``)."""
        national = [self.overrides.national_procedure_code(d.procedure.code) for d in dossiers]
        found = records.known_codes(connection, national)
        if found is None:
            return []
        version, known = found
        return [
            (index, _unknown(dossiers[index].procedure.code, code, version))
            for index, code in enumerate(national)
            if code not in known
        ]

    # --- the scheduled refresh --------------------------------------------------------------

    async def run(self) -> None:
        """Fetch again every ``refresh_seconds`` while this replica leads, once a catalogue is
        held and older than that, until ``stop()``."""
        interval = self.config.refresh_seconds
        if interval <= 0:
            return
        try:
            while not self._stopping.is_set():
                try:
                    await self._refresh_if_due(interval)
                except Exception as error:  # a bug or an outage: say so, try again later
                    if self.failing_since is None:
                        self.failing_since = time.monotonic()
                        log.warning("cannot refresh the national catalogue: %s", error)
                else:
                    self.failing_since = None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), min(interval, 3600.0))
        finally:
            await self.leadership.resign()

    async def _refresh_if_due(self, interval: float) -> None:
        if not await self.leadership.lead():
            return
        held = await self.latest()
        if held is None or self._clock() - held.checked_at < interval:
            return
        await self.sync()

    def stop(self) -> None:
        self._stopping.set()


def _unknown(given: str, national: str, version: int) -> str:
    named = given if given == national else f"{given} (national {national})"
    return (
        f"procedure {named} is not in the national catalogue held (version {version}); use a "
        "procedure GET /v1/procedures lists, or map the province's code in the overrides"
    )
