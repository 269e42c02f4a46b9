"""``/v1/results/{personal_id}``: a citizen's earlier results in the digitised-results store, and
a result's file, so the applicant is not asked again for a paper the state issued.

Results are personal data: every request names its purpose, the officer and the dossier, and
leaves one audit record (a file fetch as ``fetch``). How a result is reused in a dossier is told
by ``POST /v1/prefill`` (``gateway.registries.results``).
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response, Security
from pydantic import BaseModel

from gateway.api.caller import Caller, get_caller
from gateway.api.deps import GatewayDep
from gateway.api.insurance import PersonalIdPath
from gateway.api.problems import problems
from gateway.api.registries import (
    LOOKUP_FAILURES,
    invalid_input,
    national_call,
)
from gateway.registries.lookups import Declared
from mappings.dossier import DossierCode
from mappings.identifiers import DOSSIER_CODE_PATTERN
from mappings.registries import check_personal_id
from mappings.results_store import IssuedResult

router = APIRouter(tags=["registries"])

ResultsCaller = Annotated[Caller, Security(get_caller, scopes=["results:lookup"])]
ProcedureQuery = Annotated[
    str, Query(min_length=1, max_length=50, description="MaTTHC the results are asked for")
]
DossierQuery = Annotated[DossierCode, Query(json_schema_extra={"pattern": DOSSIER_CODE_PATTERN})]
STORE = "results store"


class ResultsAnswer(BaseModel):
    results: list[IssuedResult]
    """Newest first; ``id`` is what a reused document's ``replaces_result_code`` names."""


def _checked(personal_id: str) -> None:
    try:
        check_personal_id(personal_id)
    except ValueError as error:
        raise invalid_input(("path", "personal_id"), error) from None


@router.get("/v1/results/{personal_id}", response_model=ResultsAnswer, responses=LOOKUP_FAILURES)
async def get_results(
    personal_id: PersonalIdPath,
    gateway: GatewayDep,
    caller: ResultsCaller,
    procedure: ProcedureQuery,
    purpose: Annotated[str, Query(min_length=3, max_length=500)],
    officer: Annotated[str, Query(min_length=1, max_length=200)],
    dossier_code: DossierQuery,
    kind: Annotated[
        list[Annotated[str, Query(min_length=1, max_length=50)]],
        Query(max_length=10, description="MaKetQua kinds wanted (repeat it); all when absent"),
    ] = [],  # noqa: B006 (FastAPI copies defaults per request)
) -> ResultsAnswer:
    """The results the store holds for a citizen, of the kinds asked (every kind when none)."""
    _checked(personal_id)
    declared = Declared(caller.name, purpose, officer, dossier_code)
    results = gateway.results
    found = await national_call(
        lambda: results.find(personal_id, procedure, kind, declared),
        STORE,
        ("path", "personal_id"),
    )
    return ResultsAnswer(results=found)


@router.get(
    "/v1/results/{personal_id}/{result_id}/file",
    response_class=Response,
    responses={
        200: {
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The result's file, in the media type the store gives it.",
        },
        **problems(404, not_found="The citizen holds no such result, or its file is gone."),
        **LOOKUP_FAILURES,
    },
)
async def get_result_file(
    personal_id: PersonalIdPath,
    result_id: Annotated[str, Path(min_length=1, max_length=100, description="A result's id")],
    gateway: GatewayDep,
    caller: ResultsCaller,
    procedure: ProcedureQuery,
    purpose: Annotated[str, Query(min_length=3, max_length=500)],
    officer: Annotated[str, Query(min_length=1, max_length=200)],
    dossier_code: DossierQuery,
) -> Response:
    """A citizen's result's file, given only to whoever names its owner."""
    _checked(personal_id)
    declared = Declared(caller.name, purpose, officer, dossier_code)
    results = gateway.results
    found = await national_call(
        lambda: results.fetch_file(personal_id, result_id, procedure, declared),
        STORE,
        ("path", "result_id"),
    )
    if found is None:
        raise HTTPException(404, detail=f"the citizen holds no result {result_id} with a file")
    result, file = found
    name = re.sub(r"[^A-Za-z0-9._-]", "_", result.file_name)
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
