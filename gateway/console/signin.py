"""Signing in and out of the console, and choosing its language.

Through national SSO: ``/console/sign-in/sso`` starts the gateway's own sign-on
(``/sso/login``), which comes back to ``/console/signed-in``; there the SSO account is looked up
in ``LIENTHONG_CONSOLE_ROLES`` and, when it has a role, a console session opens. With an
invitation: ``/console/invitation/{token}`` opens one at once, once.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from gateway.api.deps import GatewayDep
from gateway.console import invitations, trail
from gateway.console.access import (
    LANGUAGE_COOKIE,
    PATH,
    Operator,
    Via,
    check_csrf,
    end_session,
    set_session,
)
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.i18n import LANGUAGES
from gateway.operations import Action
from gateway.settings import ConsoleRole
from gateway.sso import SESSION_COOKIE as SSO_SESSION_COOKIE
from gateway.sso import BadToken, safe_return_to

router = APIRouter(prefix="/console", include_in_schema=False)

Next = Annotated[str, Query()]


def _next(value: str) -> str:
    """``value`` if it is a console path, else the overview (no open redirect)."""
    try:
        path = safe_return_to(value)
    except ValueError:
        return "/console/"
    return path if path.startswith("/console") else "/console/"


@router.get("/sign-in")
async def sign_in(request: Request, console: ConsoleDep, next: Next = "/console/") -> Response:
    return console.pages.render(
        request, "signin.html", {"next": _next(next), "refused": None}, operator=None
    )


@router.get("/sign-in/sso")
async def sign_in_with_sso(next: Next = "/console/") -> Response:
    back = "/console/signed-in?" + urlencode({"next": _next(next)})
    return RedirectResponse("/sso/login?return_to=" + quote(back, safe=""), status_code=303)


@router.get("/signed-in")
async def signed_in(
    request: Request, gateway: GatewayDep, console: ConsoleDep, next: Next = "/console/"
) -> Response:
    """Where national sign-on comes back to: a console session for an account with a role."""
    try:
        identity = gateway.sso.identity(request.cookies.get(SSO_SESSION_COOKIE))
    except BadToken:
        return RedirectResponse("/console/sign-in", status_code=303)
    role = console.sessions.roles.get(identity.account_id)
    if role is None:
        context = {"next": _next(next), "refused": identity.account_id}
        return console.pages.render(request, "signin.html", context, operator=None, status_code=403)
    return await _open(
        request,
        gateway,
        console,
        name=identity.name,
        account=identity.account_id,
        role=role,
        via=Via.sso,
        to=_next(next),
    )


@router.get("/invitation/{token}")
async def invitation(
    request: Request, token: str, gateway: GatewayDep, console: ConsoleDep
) -> Response:
    """A one-time link from ``lienthong operators invite``: signs its person in, once."""
    invited = await gateway.store.write(lambda connection: invitations.redeem(connection, token))
    if invited is None:
        return console.pages.render(request, "invitation.html", {}, operator=None, status_code=403)
    return await _open(
        request,
        gateway,
        console,
        name=invited.name,
        account=f"invitation:{invited.name}",
        role=invited.role,
        via=Via.invitation,
        to="/console/",
    )


async def _open(
    request: Request,
    gateway: GatewayDep,
    console: ConsoleDep,
    *,
    name: str,
    account: str,
    role: ConsoleRole,
    via: Via,
    to: str,
) -> Response:
    cookie, csrf = console.sessions.open(name=name, account=account, role=role, via=via)
    operator = Operator(name, account, role, via, csrf, 0.0)
    await trail.record(gateway, operator, Action.sign_in, detail=f"{via.value}, {role.value}")
    response = RedirectResponse(to, status_code=303)
    set_session(response, request, cookie, console.sessions.seconds)
    return response


@router.post("/sign-out")
async def sign_out(request: Request, gateway: GatewayDep, operator: OperatorDep) -> Response:
    check_csrf(request, await request.form(), operator)
    await trail.record(gateway, operator, "sign-out")
    response = RedirectResponse("/console/sign-in?signed_out=1", status_code=303)
    end_session(response, request)
    return response


@router.get("/language/{language}")
async def language(request: Request, language: str, next: Next = "/console/") -> Response:
    """Switch the console's language (a cookie; Vietnamese unless English is chosen)."""
    response = RedirectResponse(_next(next), status_code=303)
    if language in LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=365 * 24 * 3600,
            path=PATH,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response
