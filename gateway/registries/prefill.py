"""Prefill: the applicant's form fields from every registry that can fill one, asked at once,
and the components the applicant need not submit because a reusable result exists.

For a citizen, the sources are the population registry (identity and addresses), the insurance
database (insurance code and card), the digitised-results store (earlier results, and from them
what can be reused) and the land registry (parcels whose land use right the person holds). For a
business, the business registry (cached). Each source the caller's scopes allow is asked
concurrently; each asked source leaves exactly one audit record (``action`` ``prefill``) and is
reported with what came of it (``found``, ``not_found``, ``failed`` with the system's reason);
one that fails does not fail the others. A source the caller may not see is reported
``not_permitted``, one switched off ``not_in_use``, one that cannot be asked for this applicant
(the insurance database and the results store know no old 9-digit ID) ``not_applicable``; none
of them is asked. Every field carries its source and the time it was read.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from adapters.business_registry import BUSINESS_REGISTRY
from adapters.errors import AdapterError
from adapters.land_registry import LAND_REGISTRY, LandRegistry
from adapters.population_registry import POPULATION_REGISTRY
from adapters.results_store import RESULTS_STORE
from adapters.social_insurance import SOCIAL_INSURANCE
from gateway.registries.audit import Access, Auditor
from gateway.registries.audited import audited
from gateway.registries.insurance import InsuranceLookups
from gateway.registries.lookups import Declared, Lookups, Person, Prefilled
from gateway.registries.results import Component, ResultLookups, Reusable, reusable
from gateway.store import Store
from mappings.land_registry import Parcel
from mappings.results_store import IssuedResult
from mappings.social_insurance import InsuranceRecord

Clock = Callable[[], datetime]

SOURCE_SCOPES: dict[str, str] = {
    POPULATION_REGISTRY.name: "citizens:lookup",
    SOCIAL_INSURANCE.name: "insurance:lookup",
    RESULTS_STORE.name: "results:lookup",
    LAND_REGISTRY.name: "parcels:lookup",
}
"""The scope a caller needs for each source of a citizen's prefill to be asked."""
CONTRIBUTIONS_SCOPE = "insurance:lookup:contributions"
BY_PERSONAL_ID = frozenset({SOCIAL_INSURANCE.name, RESULTS_STORE.name})
"""Sources that know people only by the 12-digit personal ID, not by the old 9-digit one."""
PERSONAL_ID_DIGITS = 12
OLD_ID = "it is asked by the 12-digit personal ID; the applicant gave an old 9-digit ID"


@dataclass(frozen=True, slots=True)
class Filled:
    """One form field, the system it came from and when that system was read."""

    field: str
    value: Any
    source: str
    read_at: datetime


@dataclass(frozen=True, slots=True)
class SourceReport:
    """What came of one source: ``found``, ``not_found``, ``failed`` (``detail`` says what the
    system said), ``not_permitted`` (``detail`` names the scope needed), ``not_in_use`` (the
    system is switched off here) or ``not_applicable`` (it cannot be asked for this applicant:
    ``detail`` says why)."""

    system: str
    outcome: str
    read_at: datetime | None = None
    detail: str | None = None


@dataclass(slots=True)
class PrefillOutcome:
    fields: list[Filled] = field(default_factory=list)
    sources: list[SourceReport] = field(default_factory=list)
    reusable: list[Reusable] = field(default_factory=list)
    stale: bool = False

    @property
    def all_failed(self) -> bool:
        """Every source asked failed: there is nothing to offer but the failures."""
        asked = [s for s in self.sources if s.outcome in ("found", "not_found", "failed")]
        return bool(asked) and all(s.outcome == "failed" for s in asked)


@dataclass(frozen=True, slots=True)
class CitizenRequest:
    person: Person
    procedure: str
    components: tuple[Component, ...]
    declared: Declared


@dataclass(frozen=True, slots=True)
class _Answer:
    fields: list[tuple[str, Any]]
    found: bool
    reusable: list[Reusable] = field(default_factory=list)


def _present(pairs: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [(name, value) for name, value in pairs if value not in (None, [], {})]


def insurance_fields(record: InsuranceRecord, *, contributions: bool) -> list[tuple[str, Any]]:
    """The applicant's form fields the insurance database can fill."""
    card = record.health_card
    paid = record.contribution
    return _present(
        [
            ("applicant.social_insurance_code", record.insurance_code),
            ("applicant.health_insurance_card", card.model_dump(mode="json") if card else None),
            (
                "applicant.insurance_contribution",
                paid.model_dump(mode="json") if paid and contributions else None,
            ),
        ]
    )


def result_fields(results: Sequence[IssuedResult]) -> list[tuple[str, Any]]:
    """The applicant's earlier results, newest first, without their files' addresses."""
    shown = [r.model_dump(mode="json", exclude={"file_url", "file_name"}) for r in results]
    return _present([("applicant.results", shown)])


def parcel_fields(parcels: Sequence[Parcel]) -> list[tuple[str, Any]]:
    """The parcels the applicant holds, without the other holders (their data is not asked
    for)."""
    shown = [p.model_dump(mode="json", exclude={"owners"}, exclude_none=True) for p in parcels]
    return _present([("applicant.land_parcels", shown)])


class Prefill:
    def __init__(
        self,
        store: Store,
        auditor: Auditor,
        lookups: Lookups,
        insurance: InsuranceLookups,
        results: ResultLookups,
        land: LandRegistry,
        *,
        in_use: Collection[str],
        clock: Clock = lambda: datetime.now(UTC),
    ) -> None:
        self._store = store
        self._auditor = auditor
        self._lookups = lookups
        self._insurance = insurance
        self._results = results
        self._land = land
        self._in_use = frozenset(in_use)
        self._clock = clock

    async def citizen(self, request: CitizenRequest, scopes: frozenset[str]) -> PrefillOutcome:
        """Every source ``scopes`` allow, asked at once (see the module's docstring)."""
        sources: dict[str, Callable[[], Awaitable[_Answer]]] = {
            POPULATION_REGISTRY.name: lambda: self._population(request),
            SOCIAL_INSURANCE.name: lambda: self._insurance_of(
                request, contributions=CONTRIBUTIONS_SCOPE in scopes
            ),
            RESULTS_STORE.name: lambda: self._results_of(request),
            LAND_REGISTRY.name: lambda: self._parcels_of(request),
        }
        outcome = PrefillOutcome()
        allowed: dict[str, Callable[[], Awaitable[_Answer]]] = {}
        old_id = len(request.person.id_number) != PERSONAL_ID_DIGITS
        for name, ask in sources.items():
            if name not in self._in_use:
                outcome.sources.append(SourceReport(name, "not_in_use"))
            elif old_id and name in BY_PERSONAL_ID:
                outcome.sources.append(SourceReport(name, "not_applicable", detail=OLD_ID))
            elif SOURCE_SCOPES[name] not in scopes:
                need = f"needs the scope {SOURCE_SCOPES[name]!r}"
                outcome.sources.append(SourceReport(name, "not_permitted", detail=need))
            else:
                allowed[name] = ask
        tasks = [asyncio.create_task(self._asked(name, ask)) for name, ask in allowed.items()]
        try:
            answers = await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            raise
        for report, answer in answers:
            outcome.sources.append(report)
            if answer is not None and report.read_at is not None:
                at = report.read_at
                outcome.fields += [Filled(f, v, report.system, at) for f, v in answer.fields]
                outcome.reusable += answer.reusable
        outcome.sources.sort(key=lambda s: list(sources).index(s.system))
        return outcome

    async def business(self, code: str, *, allow_check_digit_mismatch: bool) -> PrefillOutcome:
        """The business registry's fields (cached; an expired copy while it is down, marked
        stale, its time the time it was read). ``ValueError`` for a malformed code."""
        fields, stale, age = await self._lookups.prefill_business(
            code, allow_check_digit_mismatch=allow_check_digit_mismatch
        )
        read_at = self._clock() - timedelta(seconds=age)
        return PrefillOutcome(
            fields=[Filled(f.field, f.value, f.source, read_at) for f in fields],
            sources=[
                SourceReport(BUSINESS_REGISTRY.name, "found" if fields else "not_found", read_at)
            ],
            stale=stale,
        )

    async def _asked(
        self, system: str, ask: Callable[[], Awaitable[_Answer]]
    ) -> tuple[SourceReport, _Answer | None]:
        try:
            answer = await ask()
        except AdapterError as error:
            said = f"the {error.system} failed: {error.reason}"
            return SourceReport(system, "failed", self._clock(), said), None
        outcome = "found" if answer.found else "not_found"
        return SourceReport(system, outcome, self._clock()), answer

    async def _population(self, request: CitizenRequest) -> _Answer:
        found: list[Prefilled] = await self._lookups.prefill_citizen(
            request.person, request.declared
        )
        return _Answer([(f.field, f.value) for f in found], bool(found))

    async def _insurance_of(self, request: CitizenRequest, *, contributions: bool) -> _Answer:
        record = await self._insurance.find(
            request.person.id_number, request.declared, action="prefill"
        )
        if record is None:
            return _Answer([], False)
        return _Answer(insurance_fields(record, contributions=contributions), True)

    async def _results_of(self, request: CitizenRequest) -> _Answer:
        kinds = sorted({kind for c in request.components for kind in c.kinds})
        found = await self._results.find(
            request.person.id_number, request.procedure, kinds, request.declared, "prefill"
        )
        today = self._clock().date()
        return _Answer(
            result_fields(found), bool(found), reusable(found, request.components, today)
        )

    async def _parcels_of(self, request: CitizenRequest) -> _Answer:
        declared = request.declared
        access = Access(
            action="prefill",
            system=LAND_REGISTRY.name,
            caller=declared.caller,
            officer=declared.officer,
            purpose=declared.purpose,
            dossier_code=declared.dossier_code,
            subject=request.person.id_number,
        )

        async def ask() -> tuple[list[Parcel], str]:
            parcels = await self._land.parcels_of(request.person.id_number)
            return parcels, "found" if parcels else "not_found"

        parcels = await audited(self._store, self._auditor, access, ask)
        return _Answer(parcel_fields(parcels), bool(parcels))
