"""How intake routes refuse work past the backlog limit: 503, ``Retry-After``, a problem body.

An intake route declares ``ADMIT`` among its dependencies, after its scope, so that a caller
without the right token still learns that first; ``BACKLOGGED`` documents the 503 in its OpenAPI.
The refusal comes before the body is validated: a gateway holding back work should not spend
itself on it. The body is an RFC 9457 problem (``application/problem+json``) whose ``reason``
a program can branch on and whose ``detail`` a person can act on, like every other error here.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from gateway.api.deps import GatewayDep
from gateway.backpressure import Backlogged

PROBLEM_TYPE = "urn:lienthong:problem:backlog"
PROBLEM_MEDIA_TYPE = "application/problem+json"


class BacklogProblem(BaseModel):
    """Nothing was accepted: too many events already wait for delivery. Send it again later."""

    type: str = Field(default=PROBLEM_TYPE, description="What kind of problem this is.")
    title: str = "Too many events wait for delivery"
    status: Literal[503] = 503
    detail: str = Field(description="What happened and what to do, for a person.")
    reason: Literal["backlog"] = Field(
        default="backlog", description="Why intake refused, for a program."
    )
    backlog: int = Field(description="Events waiting for delivery when the request came.")
    limit: int = Field(description="The backlog at which intake refuses (LIENTHONG_MAX_BACKLOG).")
    retry_after: int = Field(description="Seconds to wait before sending again, as Retry-After.")


async def admit_intake(gateway: GatewayDep) -> None:
    """Let the request through unless the gateway's backlog is at its limit."""
    await gateway.backlog.admit()


ADMIT = Depends(admit_intake)

BACKLOGGED: dict[int | str, dict[str, Any]] = {
    503: {
        "description": "Too many events already wait for delivery: nothing was accepted; send "
        "it again after the time in Retry-After.",
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before sending again.",
                "schema": {"type": "integer"},
            }
        },
        "content": {PROBLEM_MEDIA_TYPE: {"schema": BacklogProblem.model_json_schema()}},
    }
}


async def answer_backlogged(request: Request, error: Exception) -> JSONResponse:
    """The 503 for a ``Backlogged`` refusal (an exception handler of the app)."""
    assert isinstance(error, Backlogged)
    problem = BacklogProblem(
        detail=str(error),
        backlog=error.backlog,
        limit=error.limit,
        retry_after=error.retry_after,
    )
    return JSONResponse(
        problem.model_dump(),
        status_code=503,
        headers={"Retry-After": str(error.retry_after)},
        media_type=PROBLEM_MEDIA_TYPE,
    )
