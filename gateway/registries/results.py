"""A citizen's earlier results in the digitised-results store, audited one to one, and which
of them can stand for a component of a new dossier.

Reuse, as the gateway offers it: the one-stop system names the components a procedure asks for
and, for each, the kinds of result (``MaKetQua``) that can stand for it; ``reusable`` answers,
per component, the newest result of those kinds still valid. The one-stop system then marks the
submitted document as reused (``reused``, ``replaces_result_code`` = the result's id) in the
dossier it pushes, and the portal receives ``DuocTaiSuDung`` and ``MaKetQuaThayThe``
(``mappings.national_portal``). The gateway makes no national call when it takes a dossier in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from adapters.results_store import ResultsStore
from adapters.results_store.port import SYSTEM
from gateway.registries.audit import Access, Auditor
from gateway.registries.audited import audited
from gateway.registries.lookups import Declared
from gateway.store import Store
from mappings.results_store import IssuedResult, ResultFile


@dataclass(frozen=True, slots=True)
class Component:
    """A component of a procedure's dossier (``MaThanhPhanHoSo``) and the kinds of result that
    can stand for it."""

    code: str
    kinds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reusable:
    """A component the applicant need not submit: ``result`` stands for it."""

    component: str
    result: IssuedResult


def reusable(
    results: Sequence[IssuedResult], components: Sequence[Component], on: date
) -> list[Reusable]:
    """Per component, the newest of ``results`` of its kinds still valid ``on`` that day."""
    found: list[Reusable] = []
    for component in components:
        fitting = [r for r in results if r.kind in component.kinds and r.valid_on(on)]
        if fitting:
            newest = max(fitting, key=lambda r: r.issued_on)
            found.append(Reusable(component.code, newest))
    return found


class ResultLookups:
    def __init__(self, store: Store, results: ResultsStore, auditor: Auditor) -> None:
        self._store = store
        self._results = results
        self._auditor = auditor

    def _access(self, action: str, owner: str, declared: Declared) -> Access:
        return Access(
            action=action,
            system=SYSTEM,
            caller=declared.caller,
            officer=declared.officer,
            purpose=declared.purpose,
            dossier_code=declared.dossier_code,
            subject=owner,
        )

    async def find(
        self,
        owner: str,
        procedure: str,
        kinds: Sequence[str],
        declared: Declared,
        action: Literal["lookup", "prefill"] = "lookup",
    ) -> list[IssuedResult]:
        """The owner's results of ``kinds`` (all when empty), newest first."""

        async def ask() -> tuple[list[IssuedResult], str]:
            found = await self._results.find_results(owner, procedure, kinds)
            return found, "found" if found else "not_found"

        return await audited(self._store, self._auditor, self._access(action, owner, declared), ask)

    async def fetch_file(
        self, owner: str, result_id: str, procedure: str, declared: Declared
    ) -> tuple[IssuedResult, ResultFile] | None:
        """The owner's result ``result_id`` and its file, or None when the owner holds no such
        result (or the store no longer holds its file): a file is given only to whoever
        names its owner, and the access is recorded against that owner."""

        async def ask() -> tuple[tuple[IssuedResult, ResultFile] | None, str]:
            held = await self._results.find_results(owner, procedure, ())
            result = next((r for r in held if r.id == result_id), None)
            if result is None:
                return None, "not_found"
            file = await self._results.fetch_file(result.file_url)
            return (None, "not_found") if file is None else ((result, file), "found")

        return await audited(
            self._store, self._auditor, self._access("fetch", owner, declared), ask
        )
