"""``POST /oauth/token``: OAuth2 client credentials (RFC 6749 §4.4), the one way in for API clients.

Client id and secret come by HTTP Basic or in the form; errors follow RFC 6749 §5.2, so any
OAuth2 client library understands them. A client id may be given a wrong secret at most
``WRONG_SECRETS_PER_MINUTE`` times a minute; past that every request for it answers 429 with
Retry-After, right secret or not, so a secret cannot be guessed at speed.
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any
from urllib.parse import parse_qs, unquote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import BaseModel

from gateway.api.caller import TOKEN_URL
from gateway.api.deps import GatewayDep
from gateway.auth.clients import authenticate

router = APIRouter(tags=["oauth"])

WRONG_SECRETS_PER_MINUTE = 10


class OAuthError(BaseModel):
    """An error of the token endpoint, as RFC 6749 §5.2 shapes it (not a problem body: OAuth2
    client libraries read this one)."""

    error: str
    error_description: str


def _oauth_error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": OAuthError.model_json_schema()}},
    }


class TokenAnswer(BaseModel):
    access_token: str
    token_type: str = "Bearer"  # noqa: S105 - the token type, not a secret
    expires_in: int
    scope: str


_FORM = {
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["grant_type"],
                    "properties": {
                        "grant_type": {"type": "string", "enum": ["client_credentials"]},
                        "client_id": {"type": "string"},
                        "client_secret": {"type": "string"},
                        "scope": {"type": "string", "description": "Space-separated scopes."},
                    },
                }
            }
        },
    }
}


def _error(status: int, error: str, description: str) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="lienthong"'
    return JSONResponse(
        {"error": error, "error_description": description}, status_code=status, headers=headers
    )


def _basic(request: Request) -> tuple[str, str] | None:
    scheme, value = get_authorization_scheme_param(request.headers.get("authorization"))
    if scheme.lower() != "basic" or not value:
        return None
    try:
        client_id, _, secret = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return unquote(client_id), unquote(secret)


@router.post(
    TOKEN_URL,
    response_model=TokenAnswer,
    openapi_extra=_FORM,
    responses={
        400: _oauth_error("Bad grant or scope"),
        401: _oauth_error("Bad client"),
        429: {
            **_oauth_error("Too many wrong secrets for this client id; see Retry-After"),
            "headers": {
                "Retry-After": {
                    "description": "Seconds to wait before trying again.",
                    "schema": {"type": "integer"},
                }
            },
        },
    },
)
async def issue_token(request: Request, gateway: GatewayDep) -> JSONResponse:
    """A short-lived access token for an API client, with the scopes asked (all of the client's
    when none are)."""
    form = {k: v[0] for k, v in parse_qs((await request.body()).decode(errors="replace")).items()}
    if form.get("grant_type") != "client_credentials":
        return _error(400, "unsupported_grant_type", "grant_type must be client_credentials")
    credentials = _basic(request) or (form.get("client_id"), form.get("client_secret"))
    client_id, secret = credentials
    if not client_id or secret is None:
        return _error(401, "invalid_client", "client_id and client_secret are required")
    auth = gateway.auth
    guesses = f"wrong-secret:{client_id}"
    wait = auth.limiter.check(guesses, WRONG_SECRETS_PER_MINUTE)
    if wait is not None:
        refused = _error(429, "slow_down", f"too many wrong secrets for {client_id!r}")
        refused.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return refused
    client = authenticate(auth.clients, client_id, secret)
    if client is None:
        auth.limiter.take(guesses, WRONG_SECRETS_PER_MINUTE)
        return _error(401, "invalid_client", f"unknown client {client_id!r} or wrong secret")
    asked = form.get("scope", "").split()
    not_allowed = sorted(set(asked) - set(client.scopes))
    if not_allowed:
        return _error(
            400, "invalid_scope", f"client {client_id!r} may not have: {' '.join(not_allowed)}"
        )
    scopes = asked or list(client.scopes)
    answer = TokenAnswer(
        access_token=auth.issuer.issue(client_id, scopes),
        expires_in=auth.issuer.lifetime,
        scope=" ".join(scopes),
    )
    return JSONResponse(answer.model_dump(), headers={"Cache-Control": "no-store"})
