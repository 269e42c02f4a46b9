"""Who is calling the API, and what they may see.

Every route but the public ones declares ``Security(get_caller, scopes=[...])``: the caller shows
a Bearer token (from ``POST /oauth/token``, or from the province's identity provider), and the
token must carry the route's scope. Tests override ``get_caller`` to check what a narrower scope
sees.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Security
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.security import OAuth2, SecurityScopes
from fastapi.security.utils import get_authorization_scheme_param

from gateway.auth import SCOPES as SCOPE_DESCRIPTIONS
from gateway.auth import Authenticator, InvalidToken

SCOPES = tuple(SCOPE_DESCRIPTIONS)

TOKEN_URL = "/oauth/token"  # noqa: S105 - a path, not a secret

oauth2 = OAuth2(
    flows=OAuthFlows(
        clientCredentials=OAuthFlowClientCredentials(
            tokenUrl=TOKEN_URL, scopes=dict(SCOPE_DESCRIPTIONS)
        )
    ),
    scheme_name="OAuth2",
    description="Client credentials: trade a client id and secret for a short-lived token.",
    auto_error=False,
)


@dataclass(frozen=True, slots=True)
class Caller:
    name: str
    scopes: frozenset[str]


def _unauthorized(detail: str, *, token_given: bool) -> HTTPException:
    challenge = 'Bearer error="invalid_token"' if token_given else "Bearer"
    return HTTPException(401, detail=detail, headers={"WWW-Authenticate": challenge})


async def get_caller(
    security_scopes: SecurityScopes,
    request: Request,
    authorization: Annotated[str | None, Depends(oauth2)],
) -> Caller:
    """The caller behind the Bearer token: 401 without a valid one, 403 without the route's
    scope, 429 (with Retry-After) past the client's rate."""
    scheme, token = get_authorization_scheme_param(authorization)
    if not authorization or scheme.lower() != "bearer" or not token:
        raise _unauthorized(
            f"a Bearer token is required: get one from POST {TOKEN_URL}", token_given=False
        )
    authenticator: Authenticator = request.app.state.gateway.auth
    try:
        principal = await authenticator.verify(token)
    except InvalidToken as error:
        raise _unauthorized(f"the token was refused: {error}", token_given=True) from None
    missing = [s for s in security_scopes.scopes if s not in principal.scopes]
    if missing:
        raise HTTPException(
            403,
            detail=f"this route needs the scope {missing[0]!r}, which the token of "
            f"{principal.name!r} does not carry",
            headers={
                "WWW-Authenticate": f'Bearer error="insufficient_scope", '
                f'scope="{security_scopes.scope_str}"'
            },
        )
    wait = authenticator.limiter.take(principal.name, principal.per_minute)
    if wait is not None:
        raise HTTPException(
            429,
            detail=f"client {principal.name!r} is over its {principal.per_minute} requests a "
            "minute; retry after the time given",
            headers={"Retry-After": str(max(1, math.ceil(wait)))},
        )
    return Caller(principal.name, principal.scopes)


def requires(scope: str) -> Any:
    """``Security(get_caller, scopes=[scope])``, for a route's ``dependencies``."""
    return Security(get_caller, scopes=[scope])


def one_of(*scopes: str) -> Callable[[Request], Awaitable[Caller]]:
    """A dependency for a route that needs any one of ``scopes`` (which one depends on the
    request, so the route checks it again); 403 for a caller holding none of them.

    It reads the token without FastAPI's security scheme, so the route's OpenAPI carries only
    the alternatives that ``any_of`` declares, not a requirement of "any token".
    """

    async def caller_with_one_of(request: Request) -> Caller:
        caller = await get_caller(SecurityScopes(), request, request.headers.get("Authorization"))
        if caller.scopes.isdisjoint(scopes):
            raise HTTPException(
                403,
                detail=f"this route needs one of the scopes {', '.join(map(repr, scopes))}, "
                f"which the token of {caller.name!r} does not carry",
                headers={
                    "WWW-Authenticate": f'Bearer error="insufficient_scope", '
                    f'scope="{" ".join(scopes)}"'
                },
            )
        return caller

    return caller_with_one_of


def any_of(*scopes: str) -> dict[str, Any]:
    """``openapi_extra`` declaring OpenAPI alternatives: a token with any one of ``scopes``."""
    return {"security": [{"OAuth2": [scope]} for scope in scopes]}


CallerDep = Annotated[Caller, Security(get_caller)]
