"""``/v1/citizens``, ``/v1/businesses``, ``/v1/prefill``, ``/v1/audit``: data the state already
holds, so citizens and businesses are not asked for it again.

A citizen's data is personal data: every request names its purpose, the officer and the dossier,
leaves an audit record, and is answered with only the fields the caller's scope allows. A
business record is public and cached; while the registry is down an expired copy is served,
marked stale.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response, Security
from fastapi.exceptions import RequestValidationError
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic.config import JsonDict
from pydantic_core import InitErrorDetails, PydanticCustomError

from adapters.errors import PermanentError, RefusedError, TransientError
from gateway.api.caller import Caller, any_of, get_caller, one_of
from gateway.api.deps import GatewayDep
from gateway.api.problems import problems
from gateway.registries.audit import AuditQuery
from gateway.registries.cache import Answer
from gateway.registries.lookups import CachedBusiness, Declared, Person, check_id_number
from gateway.registries.prefill import CitizenRequest
from gateway.registries.results import Component
from mappings.canonical import Time, checked_text
from mappings.dossier import DossierCode
from mappings.identifiers import DOSSIER_CODE_PATTERN
from mappings.registries import (
    ENTERPRISE_CODE_PATTERN,
    OLD_ID_PATTERN,
    Business,
    CheckDigitMismatch,
    Citizen,
    personal_id_pattern,
)
from mappings.results_store import IssuedResult

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


BIRTH_YEARS = (1900, 2199)
"""The years a personal ID can encode (century digits 0-5)."""
BIRTH_RULE = (
    f"a date of birth is yyyy-mm-dd, or the year alone (yyyy, {BIRTH_YEARS[0]}-{BIRTH_YEARS[1]}) "
    "when only that is known"
)


def _birth(value: object) -> date | int:
    """A date, or a year alone; from the wire only ``yyyy-mm-dd`` or ``yyyy`` (a number for the
    year is taken too), each on the calendar."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    year: object = value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}", value):
        year = int(value)
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise PydanticCustomError(
                "date_of_birth", f"{value!r} is not on the calendar: {BIRTH_RULE}"
            ) from None
    if (
        isinstance(year, int)
        and not isinstance(year, bool)
        and BIRTH_YEARS[0] <= year <= BIRTH_YEARS[1]
    ):
        return year
    raise PydanticCustomError("date_of_birth", BIRTH_RULE)


BirthDateIn = Annotated[
    date | int,
    BeforeValidator(_birth),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": "^[0-9]{4}$"},
                {"type": "integer", "minimum": BIRTH_YEARS[0], "maximum": BIRTH_YEARS[1]},
            ],
            "description": "yyyy-mm-dd, or the year alone when only that is known",
            "examples": ["1990-05-14"],
        }
    ),
]
ID_NUMBER_PATTERN = f"^(?:{personal_id_pattern()[1:-1]}|{OLD_ID_PATTERN[1:-1]})$"
"""A 12-digit personal ID or a 9-digit old ID (whose birth year must match a date of birth)."""
IdNumber = Annotated[
    str,
    Field(
        description="12-digit personal ID, or the 9-digit old ID",
        json_schema_extra={"pattern": ID_NUMBER_PATTERN},
        examples=["001095012345"],
    ),
]
Purpose = Annotated[str, Field(min_length=3, max_length=500, description="Why the data is needed")]
Officer = Annotated[str, Field(min_length=1, max_length=200, description="The officer's id")]


class Request(BaseModel):
    """A lookup request: only the fields it declares, its text well-formed Unicode
    (``mappings.canonical``)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _well_formed(cls, data: Any) -> Any:
        return checked_text(data, normalise=False)


EXAMPLE_DECLARED: JsonDict = {
    "purpose": "Xác minh nhân thân khi tiếp nhận hồ sơ",
    "officer": "cb-0042",
    "dossier_code": "000.00.01.H56-250301-00012",
}
EXAMPLE_PERSON: JsonDict = {
    "id_number": "001095012345",
    "full_name": "Nguyễn Văn An",
    "date_of_birth": "1995-03-14",
}


class Declaration(Request):
    purpose: Purpose
    officer: Officer
    dossier_code: DossierCode


class VerifyRequest(Declaration):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{**EXAMPLE_DECLARED, **EXAMPLE_PERSON}]}
    )

    id_number: IdNumber
    full_name: str = Field(min_length=1, max_length=200)
    date_of_birth: BirthDateIn

    @model_validator(mode="after")
    def _id_is_valid(self) -> VerifyRequest:
        try:
            check_id_number(self.id_number, self.date_of_birth)
        except ValueError as error:
            raise ValidationError.from_exception_data(
                "VerifyRequest",
                [
                    InitErrorDetails(
                        type=PydanticCustomError("id_number", str(error)),
                        loc=("id_number",),
                        input=self.id_number,
                    )
                ],
            ) from None
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


class CitizenApplicant(Request):
    id_number: IdNumber
    full_name: str = Field(min_length=1, max_length=200)
    date_of_birth: BirthDateIn


EnterpriseCode = Annotated[
    str,
    Field(
        description="Enterprise code: 10 digits, or NNNNNNNNNN-NNN for a branch; its tenth digit "
        "must pass the check-digit rule unless allow_check_digit_mismatch is set",
        json_schema_extra={"pattern": ENTERPRISE_CODE_PATTERN},
        examples=["0100109106"],
    ),
]


class BusinessApplicant(Request):
    enterprise_code: EnterpriseCode
    allow_check_digit_mismatch: bool = False


class ComponentIn(Request):
    code: str = Field(min_length=1, max_length=100, description="MaThanhPhanHoSo")
    result_kinds: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(
        min_length=1,
        max_length=10,
        description="The kinds of result (MaKetQua of the results store) that can stand for "
        "this component, e.g. KQ.KS for a birth certificate extract",
    )


class PrefillRequest(Declaration):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **EXAMPLE_DECLARED,
                    "procedure": "1.001193",
                    "applicant": EXAMPLE_PERSON,
                    "components": [{"code": "TP.01", "result_kinds": ["KQ.KS"]}],
                },
                {
                    **EXAMPLE_DECLARED,
                    "procedure": "1.001612",
                    "applicant": {"enterprise_code": "0100109106"},
                },
            ]
        }
    )

    procedure: str = Field(min_length=1, max_length=50, description="MaTTHC, e.g. 1.001193")
    applicant: CitizenApplicant | BusinessApplicant
    components: list[ComponentIn] = Field(
        default_factory=list,
        max_length=50,
        description="The components the procedure asks a citizen for, each with the kinds of "
        "result that can stand for it: the answer's reusable says which the applicant need "
        "not submit",
    )


class PrefilledField(BaseModel):
    field: str
    value: Any
    source: str
    """The national system the value came from."""
    read_at: datetime
    """When that system was read (for a cached business record, when it was fetched)."""


class SourceAnswer(BaseModel):
    system: str
    outcome: Literal[
        "found", "not_found", "failed", "not_permitted", "not_in_use", "not_applicable"
    ]
    read_at: datetime | None
    detail: str | None = None
    """For ``failed``, what the system said; for ``not_permitted``, the scope it needs."""


class ReusableResult(BaseModel):
    """A component the applicant need not submit: push the dossier's document for it with
    ``reused`` true and ``replaces_result_code`` set to ``result.id``."""

    component: str
    result: IssuedResult


class PrefillAnswer(BaseModel):
    procedure: str
    fields: list[PrefilledField]
    sources: list[SourceAnswer]
    reusable: list[ReusableResult]
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


def require_scope(caller: Caller, scope: str) -> None:
    if scope not in caller.scopes:
        raise HTTPException(
            403,
            detail=f"this applicant needs the scope {scope!r}, which the token of "
            f"{caller.name!r} does not carry",
        )


def invalid_input(loc: tuple[str, ...], error: ValueError) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": loc, "msg": str(error)}])


async def national_call(
    call: Callable[[], Awaitable[T]], system: str, asked: tuple[str, ...] = ("body",)
) -> T:
    """Registry failures as HTTP: 422 naming ``asked`` (where the caller put what was looked
    up) with the registry's reason when it refused the caller's own input; 503 with Retry-After
    while it is unavailable; 502 when it answered what the gateway cannot use."""
    try:
        return await call()
    except TransientError as error:
        wait = str(math.ceil(error.retry_after)) if error.retry_after else "5"
        raise HTTPException(
            503,
            detail=f"the {system} is unavailable: {error.reason}",
            headers={"Retry-After": wait},
        ) from None
    except RefusedError as error:
        raise RequestValidationError(
            [
                {
                    "type": "national_refusal",
                    "loc": asked,
                    "msg": f"the {system} refused it: {error.reason}",
                }
            ]
        ) from None
    except PermanentError as error:
        raise HTTPException(
            502, detail=f"the {system} answered what the gateway cannot use: {error.reason}"
        ) from None


LOOKUP_FAILURES = problems(
    502,
    503,
    bad_gateway="The registry answered what the gateway cannot use.",
    service_unavailable="The registry is unavailable (or its circuit is open); retry after "
    "the time given.",
)


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


@router.get(
    "/v1/citizens/{id_number}",
    response_model=CitizenAnswer,
    responses={
        **problems(404, not_found="No citizen matches this ID, name and date of birth."),
        **LOOKUP_FAILURES,
    },
)
async def get_citizen(
    id_number: Annotated[
        str,
        Path(
            description="12-digit personal ID, or the 9-digit old ID",
            json_schema_extra={"pattern": ID_NUMBER_PATTERN},
            examples=["001095012345"],
        ),
    ],
    gateway: GatewayDep,
    caller: CitizensCaller,
    full_name: Annotated[str, Query(min_length=1, max_length=200)],
    date_of_birth: Annotated[BirthDateIn, Query()],
    purpose: Annotated[str, Query(min_length=3, max_length=500)],
    officer: Annotated[str, Query(min_length=1, max_length=200)],
    dossier_code: Annotated[
        DossierCode, Query(json_schema_extra={"pattern": DOSSIER_CODE_PATTERN})
    ],
) -> CitizenAnswer:
    """The population registry's record of a person, trimmed to what the caller may see."""
    try:
        check_id_number(id_number, date_of_birth)
    except ValueError as error:
        raise invalid_input(("path", "id_number"), error) from None
    person = Person(id_number, full_name, date_of_birth)
    declared = Declared(caller.name, purpose, officer, dossier_code)
    lookups = gateway.lookups
    citizen = await national_call(
        lambda: lookups.find_citizen(person, declared), "population registry", ("path", "id_number")
    )
    if citizen is None:
        raise HTTPException(404, detail="no citizen matches this ID, name and date of birth")
    return _trimmed(citizen, caller)


@router.post("/v1/citizens/verify", response_model=Match, responses=LOOKUP_FAILURES)
async def verify_citizen(
    request: VerifyRequest, gateway: GatewayDep, caller: CitizensCaller
) -> Match:
    """Whether a person with this ID, name and date of birth exists; nothing else is disclosed."""
    require_scope(caller, "citizens:lookup")
    person = Person(request.id_number, request.full_name, request.date_of_birth)
    declared = Declared(caller.name, request.purpose, request.officer, request.dossier_code)
    lookups = gateway.lookups
    matched = await national_call(
        lambda: lookups.verify_citizen(person, declared),
        "population registry",
        ("body", "id_number"),
    )
    return Match(match=matched)


@router.get(
    "/v1/businesses/{code}",
    response_model=BusinessAnswer,
    responses={
        **problems(404, not_found="The business registry holds no such enterprise."),
        **LOOKUP_FAILURES,
    },
)
async def get_business(
    code: Annotated[
        str,
        Path(
            description="Enterprise code: 10 digits, or NNNNNNNNNN-NNN",
            json_schema_extra={"pattern": ENTERPRISE_CODE_PATTERN},
            examples=["0100109106"],
        ),
    ],
    gateway: GatewayDep,
    caller: BusinessesCaller,
    allow_check_digit_mismatch: bool = False,
) -> Response:
    """The business registry's record (cached; an expired copy, marked stale, while it is down).
    A code whose check digit does not match is refused unless the operator overrides it."""
    require_scope(caller, "businesses:lookup")
    lookups = gateway.lookups
    try:
        answer = await national_call(
            lambda: lookups.find_business(
                code, allow_check_digit_mismatch=allow_check_digit_mismatch
            ),
            "business registry",
            ("path", "code"),
        )
    except CheckDigitMismatch as error:
        raise invalid_input(
            ("path", "code"),
            ValueError(f"{error}; to look it up anyway, pass allow_check_digit_mismatch=true"),
        ) from None
    except ValueError as error:
        raise invalid_input(("path", "code"), error) from None
    if answer.value.record is None:
        raise HTTPException(404, detail=f"the business registry holds no enterprise {code}")
    return Response(
        business_answer_json(answer),
        media_type="application/json",
        headers={"Warning": '110 - "Response is Stale"'} if answer.stale else None,
    )


def business_answer_json(answer: Answer[CachedBusiness]) -> bytes:
    """``BusinessAnswer`` as JSON, byte for byte what FastAPI would send, around the record's
    JSON as it was encoded when fetched: a cached record is not encoded again for each answer."""
    return b'{"business":%b,"stale":%b,"fetched_seconds_ago":%b}' % (
        answer.value.encoded,
        b"true" if answer.stale else b"false",
        json.dumps(round(answer.age, 1)).encode(),
    )


@router.post(
    "/v1/prefill",
    response_model=PrefillAnswer,
    openapi_extra=any_of("citizens:lookup", "businesses:lookup"),
    responses=problems(
        503, service_unavailable="Every registry asked failed; each one's reason is given."
    ),
)
async def prefill(
    request: PrefillRequest, gateway: GatewayDep, caller: PrefillCaller
) -> PrefillAnswer:
    """The applicant's form fields every registry the caller may see can fill, each with its
    source and the time it was read, asked at once; and the components the applicant need not
    submit because a reusable result exists. A citizen applicant needs ``citizens:lookup``
    (the insurance database, the results store and the land registry are asked when the caller
    holds ``insurance:lookup``, ``results:lookup``, ``parcels:lookup``); a business applicant
    ``businesses:lookup``. A registry that fails is reported in ``sources``; only when every
    one asked failed is the answer 503."""
    applicant = request.applicant
    service = gateway.prefill
    if isinstance(applicant, CitizenApplicant):
        require_scope(caller, "citizens:lookup")
        try:
            check_id_number(applicant.id_number, applicant.date_of_birth)
        except ValueError as error:
            raise invalid_input(("body", "applicant", "id_number"), error) from None
        asked = CitizenRequest(
            person=Person(applicant.id_number, applicant.full_name, applicant.date_of_birth),
            procedure=request.procedure,
            components=tuple(Component(c.code, tuple(c.result_kinds)) for c in request.components),
            declared=Declared(caller.name, request.purpose, request.officer, request.dossier_code),
        )
        outcome = await service.citizen(asked, caller.scopes)
    else:
        require_scope(caller, "businesses:lookup")
        try:
            outcome = await national_call(
                lambda: service.business(
                    applicant.enterprise_code,
                    allow_check_digit_mismatch=applicant.allow_check_digit_mismatch,
                ),
                "business registry",
                ("body", "applicant", "enterprise_code"),
            )
        except ValueError as error:
            raise invalid_input(("body", "applicant", "enterprise_code"), error) from None
    if outcome.all_failed:
        said = "; ".join(f"{s.system}: {s.detail}" for s in outcome.sources if s.detail)
        raise HTTPException(
            503, detail=f"every registry asked failed ({said})", headers={"Retry-After": "5"}
        )
    return PrefillAnswer(
        procedure=request.procedure,
        fields=[
            PrefilledField(field=f.field, value=f.value, source=f.source, read_at=f.read_at)
            for f in outcome.fields
        ],
        sources=[
            SourceAnswer(system=s.system, outcome=s.outcome, read_at=s.read_at, detail=s.detail)
            for s in outcome.sources
        ],
        reusable=[ReusableResult(component=r.component, result=r.result) for r in outcome.reusable],
        stale=outcome.stale,
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
    since: Annotated[Time | None, Query(description="From this time on (ISO 8601).")] = None,
    until: Annotated[Time | None, Query(description="Up to this time (ISO 8601).")] = None,
    after: Annotated[
        int | None, Query(ge=0, le=2**63 - 1, description="The next_after of the page before.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditPage:
    """Who looked at whose personal data, why, for which dossier, and what came of it."""
    require_scope(caller, "audit:read")
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
