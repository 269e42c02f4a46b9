"""``/v1/citizens``, ``/v1/businesses``, ``/v1/prefill``, ``/v1/audit``: data the state already
holds, so citizens and businesses are not asked for it again.

A citizen's data is personal data: every request names its purpose, the officer and the dossier,
leaves an audit record, and is answered with only the fields the caller's scope allows. A
business record is public and cached; while the registry is down an expired copy is served,
marked stale.
"""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response, Security
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, BeforeValidator, Field, model_validator

from adapters.errors import PermanentError, TransientError
from gateway.api.caller import Caller, any_of, get_caller, one_of
from gateway.api.deps import GatewayDep
from gateway.registries.audit import AuditQuery
from gateway.registries.lookups import Declared, Person, Prefilled, check_id_number
from mappings.dossier import DossierCode
from mappings.registries import Business, CheckDigitMismatch, Citizen

router = APIRouter(tags=["registries"])

CitizensCaller = Annotated[Caller, Security(get_caller, scopes=["citizens:lookup"])]
BusinessesCaller = Annotated[Caller, Security(get_caller, scopes=["businesses:lookup"])]
AuditCaller = Annotated[Caller, Security(get_caller, scopes=["audit:read"])]
PrefillCaller = Annotated[Caller, Depends(one_of("citizens:lookup", "businesses:lookup"))]

T = TypeVar("T")

FAMILY = ("father", "mother", "spouse", "representative", "household_head", "household_relation")
SENSITIVE = ("religion", "marital_status", "blood_group")
"""Fields of a citizen shown only to callers with ``citizens:lookup:family`` or
``citizens:lookup:sensitive``; everything else needs ``citizens:lookup``."""


def _birth(value: object) -> object:
    if isinstance(value, str) and re.fullmatch(r"\d{4}", value):
        return int(value)
    return value


BirthDateIn = Annotated[
    date | int,
    BeforeValidator(_birth),
    Field(description="yyyy-mm-dd, or the year alone when only that is known"),
]
Purpose = Annotated[str, Field(min_length=3, max_length=500, description="Why the data is needed")]
Officer = Annotated[str, Field(min_length=1, max_length=200, description="The officer's id")]


class Declaration(BaseModel):
    purpose: Purpose
    officer: Officer
    dossier_code: DossierCode


class VerifyRequest(Declaration):
    id_number: str = Field(description="12-digit personal ID, or the 9-digit old ID")
    full_name: str = Field(min_length=1, max_length=200)
    date_of_birth: BirthDateIn

    @model_validator(mode="after")
    def _id_is_valid(self) -> VerifyRequest:
        check_id_number(self.id_number, self.date_of_birth)
        return self


class Match(BaseModel):
    match: bool
    """Whether the registry holds this person with this name and date of birth; nothing else."""


class CitizenAnswer(BaseModel):
    citizen: dict[str, Any]
    withheld: list[str]
    """Fields the registry gave that the caller's scopes do not allow."""


class BusinessAnswer(BaseModel):
    business: Business
    stale: bool
    """True when the registry could not be reached and this is an expired copy."""
    fetched_seconds_ago: float


class CitizenApplicant(BaseModel):
    id_number: str
    full_name: str = Field(min_length=1, max_length=200)
    date_of_birth: BirthDateIn


class BusinessApplicant(BaseModel):
    enterprise_code: str
    allow_check_digit_mismatch: bool = False


class PrefillRequest(Declaration):
    procedure: str = Field(min_length=1, max_length=50, description="MaTTHC, e.g. 1.001193")
    applicant: CitizenApplicant | BusinessApplicant


class PrefilledField(BaseModel):
    field: str
    value: Any
    source: str


class PrefillAnswer(BaseModel):
    procedure: str
    fields: list[PrefilledField]
    stale: bool = False


class AuditEntry(BaseModel):
    id: int
    at: datetime
    action: str
    system: str
    caller: str
    officer: str
    purpose: str
    dossier_code: str
    subject: str
    outcome: str
    detail: str | None


class AuditPage(BaseModel):
    records: list[AuditEntry]
    next_after: int | None


def _require(caller: Caller, scope: str) -> None:
    if scope not in caller.scopes:
        raise HTTPException(
            403,
            detail=f"this applicant needs the scope {scope!r}, which the token of "
            f"{caller.name!r} does not carry",
        )


def _invalid(loc: tuple[str, ...], error: ValueError) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": loc, "msg": str(error)}])


async def _national(call: Callable[[], Awaitable[T]], system: str) -> T:
    """Registry failures as HTTP: 503 with Retry-After while it is unavailable, 502 when it
    refused what was asked."""
    try:
        return await call()
    except TransientError as error:
        wait = str(math.ceil(error.retry_after)) if error.retry_after else "5"
        raise HTTPException(
            503,
            detail=f"the {system} is unavailable: {error.reason}",
            headers={"Retry-After": wait},
        ) from None
    except PermanentError as error:
        raise HTTPException(
            502, detail=f"the {system} refused the request: {error.reason}"
        ) from None


def _trimmed(citizen: Citizen, caller: Caller) -> CitizenAnswer:
    shown = citizen.model_dump(mode="json", exclude_none=True)
    hidden: list[str] = []
    for scope, fields in (
        ("citizens:lookup:family", FAMILY),
        ("citizens:lookup:sensitive", SENSITIVE),
    ):
        if scope not in caller.scopes:
            hidden += [name for name in fields if shown.pop(name, None) is not None]
    return CitizenAnswer(citizen=shown, withheld=sorted(hidden))


@router.get("/v1/citizens/{id_number}", response_model=CitizenAnswer)
async def get_citizen(
    id_number: Annotated[str, Path(description="12-digit personal ID, or the 9-digit old ID")],
    gateway: GatewayDep,
    caller: CitizensCaller,
    full_name: Annotated[str, Query(min_length=1, max_length=200)],
    date_of_birth: Annotated[str, Query(pattern=r"^\d{4}(-\d{2}-\d{2})?$")],
    purpose: Annotated[str, Query(min_length=3, max_length=500)],
    officer: Annotated[str, Query(min_length=1, max_length=200)],
    dossier_code: Annotated[DossierCode, Query()],
) -> CitizenAnswer:
    """The population registry's record of a person, trimmed to what the caller may see."""
    birth: date | int = (
        int(date_of_birth) if len(date_of_birth) == 4 else date.fromisoformat(date_of_birth)
    )
    try:
        check_id_number(id_number, birth)
    except ValueError as error:
        raise _invalid(("path", "id_number"), error) from None
    person = Person(id_number, full_name, birth)
    declared = Declared(caller.name, purpose, officer, dossier_code)
    lookups = gateway.lookups
    citizen = await _national(lambda: lookups.find_citizen(person, declared), "population registry")
    if citizen is None:
        raise HTTPException(404, detail="no citizen matches this ID, name and date of birth")
    return _trimmed(citizen, caller)


@router.post("/v1/citizens/verify", response_model=Match)
async def verify_citizen(
    request: VerifyRequest, gateway: GatewayDep, caller: CitizensCaller
) -> Match:
    """Whether a person with this ID, name and date of birth exists; nothing else is disclosed."""
    _require(caller, "citizens:lookup")
    person = Person(request.id_number, request.full_name, request.date_of_birth)
    declared = Declared(caller.name, request.purpose, request.officer, request.dossier_code)
    lookups = gateway.lookups
    matched = await _national(
        lambda: lookups.verify_citizen(person, declared), "population registry"
    )
    return Match(match=matched)


@router.get("/v1/businesses/{code}", response_model=BusinessAnswer)
async def get_business(
    code: Annotated[str, Path(description="Enterprise code: 10 digits, or NNNNNNNNNN-NNN")],
    gateway: GatewayDep,
    caller: BusinessesCaller,
    response: Response,
    allow_check_digit_mismatch: bool = False,
) -> BusinessAnswer:
    """The business registry's record (cached; an expired copy, marked stale, while it is down).
    A code whose check digit does not match is refused unless the operator overrides it."""
    _require(caller, "businesses:lookup")
    lookups = gateway.lookups
    try:
        answer = await _national(
            lambda: lookups.find_business(
                code, allow_check_digit_mismatch=allow_check_digit_mismatch
            ),
            "business registry",
        )
    except CheckDigitMismatch as error:
        raise _invalid(
            ("path", "code"),
            ValueError(f"{error}; to look it up anyway, pass allow_check_digit_mismatch=true"),
        ) from None
    except ValueError as error:
        raise _invalid(("path", "code"), error) from None
    if answer.value is None:
        raise HTTPException(404, detail=f"the business registry holds no enterprise {code}")
    if answer.stale:
        response.headers["Warning"] = '110 - "Response is Stale"'
    return BusinessAnswer(
        business=answer.value, stale=answer.stale, fetched_seconds_ago=round(answer.age, 1)
    )


@router.post(
    "/v1/prefill",
    response_model=PrefillAnswer,
    openapi_extra=any_of("citizens:lookup", "businesses:lookup"),
)
async def prefill(
    request: PrefillRequest, gateway: GatewayDep, caller: PrefillCaller
) -> PrefillAnswer:
    """The applicant's form fields the registries can fill, each with its source: a citizen
    applicant needs ``citizens:lookup``, a business applicant ``businesses:lookup``."""
    lookups = gateway.lookups
    applicant = request.applicant
    fields: list[Prefilled]
    stale = False
    if isinstance(applicant, CitizenApplicant):
        _require(caller, "citizens:lookup")
        try:
            check_id_number(applicant.id_number, applicant.date_of_birth)
        except ValueError as error:
            raise _invalid(("body", "applicant", "id_number"), error) from None
        person = Person(applicant.id_number, applicant.full_name, applicant.date_of_birth)
        declared = Declared(caller.name, request.purpose, request.officer, request.dossier_code)
        fields = await _national(
            lambda: lookups.prefill_citizen(person, declared), "population registry"
        )
    else:
        _require(caller, "businesses:lookup")
        try:
            fields, stale = await _national(
                lambda: lookups.prefill_business(
                    applicant.enterprise_code,
                    allow_check_digit_mismatch=applicant.allow_check_digit_mismatch,
                ),
                "business registry",
            )
        except ValueError as error:
            raise _invalid(("body", "applicant", "enterprise_code"), error) from None
    return PrefillAnswer(
        procedure=request.procedure,
        fields=[PrefilledField(field=f.field, value=f.value, source=f.source) for f in fields],
        stale=stale,
    )


@router.get("/v1/audit", response_model=AuditPage)
async def audit(
    gateway: GatewayDep,
    caller: AuditCaller,
    subject: Annotated[str | None, Query(description="An ID number: its records")] = None,
    officer: str | None = None,
    client: Annotated[str | None, Query(alias="caller")] = None,
    dossier_code: str | None = None,
    purpose: str | None = None,
    action: str | None = None,
    outcome: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    after: int | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditPage:
    """Who looked at whose personal data, why, for which dossier, and what came of it."""
    _require(caller, "audit:read")
    query = AuditQuery(
        subject=subject,
        officer=officer,
        caller=client,
        dossier_code=dossier_code,
        purpose=purpose,
        action=action,
        outcome=outcome,
        since=since.timestamp() if since else None,
        until=until.timestamp() if until else None,
        after=after,
        limit=limit,
    )
    auditor = gateway.auditor
    found = await gateway.store.read(lambda c: auditor.find(c, query))
    records = [
        AuditEntry(
            id=r.id,
            at=datetime.fromtimestamp(r.at, UTC),
            action=r.action,
            system=r.system,
            caller=r.caller,
            officer=r.officer,
            purpose=r.purpose,
            dossier_code=r.dossier_code,
            subject=r.subject_masked,
            outcome=r.outcome,
            detail=r.detail,
        )
        for r in found
    ]
    return AuditPage(records=records, next_after=records[-1].id if len(records) == limit else None)
