"""Who is calling the API, and what they may see.

Every route but the public ones declares ``Security(get_caller, scopes=[...])``: the caller shows
a Bearer token (from ``POST /oauth/token``, or from the province's identity provider), and the
token must carry the route's scope. Tests override ``get_caller`` to check what a narrower scope
sees.

The token is checked before anything reads the request's body (``TokenFirst``): a caller without
a valid one gets its 401 whatever it sent, and costs the gateway no parsing. The scope, which
only the route knows how to judge, is checked by ``get_caller`` as the route is called.
"""

from __future__ import annotations

import math
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, Security
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.security import OAuth2, SecurityScopes
from fastapi.security.utils import get_authorization_scheme_param
from starlette.datastructures import Headers
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.api.problems import problem_response
from gateway.auth import SCOPES as SCOPE_DESCRIPTIONS
from gateway.auth import Authenticator, InvalidToken, Principal

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


PRINCIPAL = "lienthong.principal"
"""Where ``TokenFirst`` leaves the principal of a token it verified, in the request's scope."""


def _unauthorized(detail: str, *, token_given: bool) -> HTTPException:
    challenge = 'Bearer error="invalid_token"' if token_given else "Bearer"
    return HTTPException(401, detail=detail, headers={"WWW-Authenticate": challenge})


async def _principal(authenticator: Authenticator, authorization: str | None) -> Principal:
    """The principal of a Bearer token; ``HTTPException`` 401 without a valid one."""
    scheme, token = get_authorization_scheme_param(authorization)
    if not authorization or scheme.lower() != "bearer" or not token:
        raise _unauthorized(
            f"a Bearer token is required: get one from POST {TOKEN_URL}", token_given=False
        )
    try:
        return await authenticator.verify(token)
    except InvalidToken as error:
        raise _unauthorized(f"the token was refused: {error}", token_given=True) from None


async def get_caller(
    security_scopes: SecurityScopes,
    request: Request,
    authorization: Annotated[str | None, Depends(oauth2)],
) -> Caller:
    """The caller behind the Bearer token: 401 without a valid one, 403 without the route's
    scope, 429 (with Retry-After) past the client's rate."""
    authenticator: Authenticator = request.app.state.gateway.auth
    principal: Principal | None = request.scope.get(PRINCIPAL)
    if principal is None:
        principal = await _principal(authenticator, authorization)
    return _checked(authenticator, principal, security_scopes.scopes)


def caller_of(request: Request, scope: str) -> Caller:
    """The caller of a route that reads its request by hand (``gateway.api.by_hand``), checked
    as ``get_caller`` checks it: the principal ``TokenFirst`` verified, since such a route
    declares its scope in its OpenAPI ``security``."""
    principal: Principal = request.scope[PRINCIPAL]
    return _checked(request.app.state.gateway.auth, principal, [scope])


def _checked(authenticator: Authenticator, principal: Principal, scopes: list[str]) -> Caller:
    """403 without one of ``scopes``, 429 (with Retry-After) past the client's rate."""
    missing = [s for s in scopes if s not in principal.scopes]
    if missing:
        raise HTTPException(
            403,
            detail=f"this route needs the scope {missing[0]!r}, which the token of "
            f"{principal.name!r} does not carry",
            headers={
                "WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{" ".join(scopes)}"'
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


class TokenFirst:
    """Answers 401 to a request for an operation that needs a token, when it has no valid one,
    before anything reads its body; a verified token's principal is left in the scope for
    ``get_caller``.

    Which operations need one is what the OpenAPI document says (``security``), read once: the
    same declaration that tells API clients to send a token.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._guarded: dict[str, re.Pattern[str]] | None = None

    def _needs_token(self, scope: Scope) -> bool:
        if self._guarded is None:
            self._guarded = _guarded_paths(scope["app"].openapi())
        method = "GET" if scope["method"] == "HEAD" else scope["method"]
        guarded = self._guarded.get(method)
        path = scope["path"].removeprefix(scope.get("root_path", ""))
        return guarded is not None and guarded.match(path) is not None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self._needs_token(scope):
            authenticator: Authenticator = scope["app"].state.gateway.auth
            try:
                principal = await _principal(
                    authenticator, Headers(scope=scope).get("authorization")
                )
            except HTTPException as refusal:
                response = problem_response(401, str(refusal.detail), headers=refusal.headers)
                await response(scope, receive, send)
                return
            scope[PRINCIPAL] = principal
        await self.app(scope, receive, send)


def _guarded_paths(document: dict[str, Any]) -> dict[str, re.Pattern[str]]:
    """For each method, one pattern matching every path of an operation that declares
    ``security`` (the paths' own patterns as alternatives, their parameters unnamed), so a
    request is checked with one match rather than one per operation."""
    paths: dict[str, list[str]] = {}
    for path, operations in document.get("paths", {}).items():
        pattern = _UNNAMED_GROUP.sub("(?:", compile_path(path)[0].pattern)
        for method, operation in operations.items():
            if operation.get("security"):
                paths.setdefault(method.upper(), []).append(f"(?:{pattern})")
    return {method: re.compile("|".join(patterns)) for method, patterns in paths.items()}


_UNNAMED_GROUP = re.compile(r"\(\?P<\w+>")
"""A named group's opening, which may appear once only in a pattern."""
