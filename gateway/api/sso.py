"""National single sign-on for people: ``/sso/login``, ``/sso/callback``, ``/sso/me``,
``/sso/logout``, ``/sso/handoff``, and ``/.well-known/jwks.json`` (the keys of hand-offs)."""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import APIRouter, Cookie, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from adapters.errors import AdapterError, PermanentError, TransientError
from adapters.national_sso import AssuranceTooLow
from gateway.sso import (
    PENDING_COOKIE,
    SESSION_COOKIE,
    BadToken,
    Sso,
    safe_return_to,
)
from mappings.errors import MappingError
from mappings.identity import Identity

router = APIRouter(prefix="/sso", tags=["sso"])
well_known = APIRouter(tags=["sso"])


async def get_sso(request: Request) -> Sso:
    sso: Sso = request.app.state.gateway.sso
    return sso


SsoDep = Annotated[Sso, Depends(get_sso)]
SessionCookie = Annotated[str | None, Cookie(alias=SESSION_COOKIE)]
PendingCookie = Annotated[str | None, Cookie(alias=PENDING_COOKIE)]
ReturnTo = Annotated[
    str, Query(description="Path on this gateway to come back to; absolute URLs are refused.")
]


ASSURANCE_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>Mức độ xác thực chưa đủ / Level of assurance too low</title></head>
<body>
<main>
<h1>Mức độ xác thực chưa đủ</h1>
<p>Dịch vụ này yêu cầu tài khoản được xác thực ở mức <strong>{asked}</strong>; lần đăng nhập
vừa rồi chỉ đạt mức <strong>{given_vi}</strong>. Vui lòng đăng nhập lại bằng phương thức xác
thực ở mức {asked} trở lên.</p>
<p><a href="/sso/login">Đăng nhập lại</a></p>
<section lang="en">
<h2>Level of assurance too low</h2>
<p>This service requires an account authenticated at level <strong>{asked}</strong>; this
sign-in reached only <strong>{given_en}</strong>. Please sign in again with a method at level
{asked} or higher.</p>
<p><a href="/sso/login">Sign in again</a></p>
</section>
</main>
</body></html>
"""


def _assurance_page(refusal: AssuranceTooLow) -> HTMLResponse:
    given = html.escape(refusal.given) if refusal.given else None
    page = ASSURANCE_PAGE.format(
        asked=html.escape(refusal.asked),
        given_vi=given or "không xác định",
        given_en=given or "no level stated",
    )
    return HTMLResponse(page, status_code=403)


def _provider_failed(error: AdapterError) -> HTTPException:
    return HTTPException(502, f"the national SSO provider failed: {error}")


class Logout(BaseModel):
    end_session_url: str | None
    """Where to send the browser so the provider ends its own session too (none if unknown)."""


@router.get(
    "/login",
    status_code=302,
    response_class=RedirectResponse,
    responses={
        400: {"description": "return_to is not a path on this gateway"},
        502: {"description": "The national SSO provider failed or could not be reached"},
    },
)
async def login(
    sso: SsoDep,
    return_to: ReturnTo = "/",
    login_hint: Annotated[str | None, Query(description="Account to sign in as.")] = None,
) -> Response:
    """Send the browser to the national provider (code flow, PKCE S256, state, nonce)."""
    try:
        url, pending = await sso.login(return_to, login_hint)
    except ValueError as error:
        raise HTTPException(400, str(error)) from error
    except AdapterError as error:
        raise _provider_failed(error) from error
    response = RedirectResponse(url, status_code=302)
    response.set_cookie(
        PENDING_COOKIE,
        pending,
        max_age=600,
        path="/sso",
        httponly=True,
        samesite="lax",
        secure=sso.secure_cookies,
    )
    return response


@router.get(
    "/callback",
    status_code=302,
    response_class=RedirectResponse,
    responses={
        400: {"description": "The sign-in was refused (state, issuer, token or claims)"},
        403: {
            "description": "The provider vouched for a lower level of assurance than the "
            "gateway requires (LIENTHONG_SSO_MIN_ACR): an HTML page naming both",
            "content": {"text/html": {}},
        },
        502: {"description": "The national SSO provider failed or could not be reached"},
    },
)
async def callback(
    sso: SsoDep,
    pending: PendingCookie = None,
    code: str | None = None,
    state: str | None = None,
    iss: Annotated[
        str | None, Query(description="The provider's issuer identifier (RFC 9207).")
    ] = None,
    error: str | None = None,
    error_description: str | None = None,
) -> Response:
    """Where the provider sends the browser back: checks everything, then opens a session."""
    if error is not None:
        raise HTTPException(
            400, f"the SSO provider refused the sign-in: {error} {error_description or ''}".strip()
        )
    if code is None or state is None:
        raise HTTPException(400, "the callback carries no code or no state")
    try:
        return_to, session = await sso.callback(pending, code, state, iss)
    except BadToken as refusal:
        raise HTTPException(400, f"no sign-in in progress in this browser: {refusal}") from refusal
    except AssuranceTooLow as refusal:
        return _assurance_page(refusal)
    except (PermanentError, MappingError) as refusal:
        raise HTTPException(400, f"sign-in refused: {refusal}") from refusal
    except TransientError as failure:
        raise _provider_failed(failure) from failure
    response = RedirectResponse(return_to, status_code=302)
    response.delete_cookie(PENDING_COOKIE, path="/sso")
    response.set_cookie(
        SESSION_COOKIE,
        session,
        max_age=sso.session_seconds,
        path="/",
        httponly=True,
        samesite="lax",
        secure=sso.secure_cookies,
    )
    return response


@router.get("/me", responses={401: {"description": "Not signed in"}})
async def me(sso: SsoDep, session: SessionCookie = None) -> Identity:
    """Who is signed in."""
    try:
        return sso.identity(session)
    except BadToken as refusal:
        raise HTTPException(401, "not signed in") from refusal


@router.post("/logout")
async def logout(
    request: Request, sso: SsoDep, session: SessionCookie = None, return_to: ReturnTo = "/"
) -> Response:
    """End the session here; answers the provider's end-session URL to go to next (with the
    session's ID token as ``id_token_hint``)."""
    try:
        path = safe_return_to(return_to)
    except ValueError as refusal:
        raise HTTPException(400, str(refusal)) from refusal
    url = await sso.logout_url(session, str(request.base_url).rstrip("/") + path)
    response = Response(
        Logout(end_session_url=url).model_dump_json(), media_type="application/json"
    )
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get(
    "/handoff",
    status_code=302,
    response_class=RedirectResponse,
    responses={
        400: {"description": "The target is not a configured provincial portal"},
        401: {"description": "Not signed in"},
    },
)
async def handoff(
    sso: SsoDep,
    to: Annotated[str, Query(description="A portal URL set in LIENTHONG_SSO_PORTAL_URLS.")],
    session: SessionCookie = None,
) -> Response:
    """Send the signed-in person to a provincial portal with an assertion of who they are
    (query parameter ``assertion``: a JWT, RS256, valid two minutes, its key at
    /.well-known/jwks.json)."""
    try:
        url = sso.handoff(session, to)
    except BadToken as refusal:
        raise HTTPException(401, "not signed in") from refusal
    except ValueError as refusal:
        raise HTTPException(400, str(refusal)) from refusal
    return RedirectResponse(url, status_code=302)


@well_known.get("/.well-known/jwks.json")
async def jwks(sso: SsoDep) -> dict[str, Any]:
    """The gateway's public keys, which verify its hand-off assertions."""
    return sso.jwks()
