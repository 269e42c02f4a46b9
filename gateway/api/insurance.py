"""``/v1/insurance/{personal_id}``: a person's record in the national insurance database, so the
applicant is not asked for their insurance book or card again.

Like every citizen lookup, a request names its purpose, the officer and the dossier, leaves one
audit record, and is answered with only the fields the caller's scopes allow: the contribution
history needs ``insurance:lookup:contributions`` on top of ``insurance:lookup``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Security
from pydantic import BaseModel

from gateway.api.caller import Caller, get_caller
from gateway.api.deps import GatewayDep
from gateway.api.problems import problems
from gateway.api.registries import (
    LOOKUP_FAILURES,
    invalid_input,
    national_call,
)
from gateway.registries.insurance import CONTRIBUTIONS
from gateway.registries.lookups import Declared
from mappings.dossier import DossierCode
from mappings.identifiers import DOSSIER_CODE_PATTERN
from mappings.registries import check_personal_id, personal_id_pattern
from mappings.social_insurance import InsuranceRecord

router = APIRouter(tags=["registries"])

InsuranceCaller = Annotated[Caller, Security(get_caller, scopes=["insurance:lookup"])]
PersonalIdPath = Annotated[
    str,
    Path(
        description="12-digit personal ID",
        json_schema_extra={"pattern": personal_id_pattern()},
        examples=["001095012345"],
    ),
]


class InsuranceAnswer(BaseModel):
    record: dict[str, Any]
    """The person's record (``InsuranceRecord``) without the fields withheld."""
    withheld: list[str]
    """Fields the database gave that the caller's scopes do not allow."""


def trimmed(record: InsuranceRecord, caller: Caller) -> InsuranceAnswer:
    shown = record.model_dump(mode="json", exclude_none=True)
    hidden: list[str] = []
    if "insurance:lookup:contributions" not in caller.scopes:
        hidden = [name for name in CONTRIBUTIONS if shown.pop(name, None) is not None]
    return InsuranceAnswer(record=shown, withheld=hidden)


@router.get(
    "/v1/insurance/{personal_id}",
    response_model=InsuranceAnswer,
    responses={
        **problems(404, not_found="The insurance database holds no record of this person."),
        **LOOKUP_FAILURES,
    },
)
async def get_insurance(
    personal_id: PersonalIdPath,
    gateway: GatewayDep,
    caller: InsuranceCaller,
    purpose: Annotated[str, Query(min_length=3, max_length=500)],
    officer: Annotated[str, Query(min_length=1, max_length=200)],
    dossier_code: Annotated[
        DossierCode, Query(json_schema_extra={"pattern": DOSSIER_CODE_PATTERN})
    ],
) -> InsuranceAnswer:
    """The insurance database's record of a person: insurance code, health insurance card
    (validity, registered hospital) and, with ``insurance:lookup:contributions``, the
    contribution status."""
    try:
        check_personal_id(personal_id)
    except ValueError as error:
        raise invalid_input(("path", "personal_id"), error) from None
    declared = Declared(caller.name, purpose, officer, dossier_code)
    insurance = gateway.insurance
    record = await national_call(
        lambda: insurance.find(personal_id, declared),
        "social insurance database",
        ("path", "personal_id"),
    )
    if record is None:
        raise HTTPException(404, detail="the insurance database holds no record of this person")
    return trimmed(record, caller)
