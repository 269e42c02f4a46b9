"""Who is using the console, and what they may do: the operator's session, roles and CSRF.

An operator signs in through national SSO (the account must be listed in
``LIENTHONG_CONSOLE_ROLES``) or with a one-time invitation link (``gateway.console.invitations``).
Either way the console opens its own session: a cookie signed with the session secret (purpose
``console``), ``HttpOnly``, ``SameSite=Lax``, ``Secure`` when the console is reached over https,
that ends after ``LIENTHONG_CONSOLE_SESSION_SECONDS``. An SSO operator's role is read again from
the setting on every request, so taking someone off the list takes effect at once.

Every form carries the session's CSRF token (a hidden ``csrf`` field, or the ``X-CSRF-Token``
header htmx sends); a POST without the right one is refused 403 before anything happens.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from gateway.settings import ConsoleRole
from gateway.sso import BadToken, CookieSigner

SESSION_COOKIE = "lienthong_console"
LANGUAGE_COOKIE = "lienthong_lang"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
PATH = "/console"

RANK = {ConsoleRole.viewer: 0, ConsoleRole.operator: 1, ConsoleRole.admin: 2}


class Via(StrEnum):
    sso = "sso"
    invitation = "invitation"


class SignInNeeded(Exception):
    """No valid console session: the browser is sent to the sign-in page, then back."""

    def __init__(self, back_to: str) -> None:
        super().__init__("sign-in needed")
        self.back_to = back_to


class Forbidden(Exception):
    """The operator may not do this; ``reason`` says why, for the 403 page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Operator:
    """The person using the console, as their session holds them."""

    name: str
    account: str
    """The national SSO account id, or ``invitation:<name>``."""
    role: ConsoleRole
    via: Via
    csrf: str
    expires_at: float

    def may(self, role: ConsoleRole) -> bool:
        return RANK[self.role] >= RANK[role]

    @property
    def label(self) -> str:
        """How the audit trail names them: their name and account."""
        return f"{self.name} ({self.account})"


class Sessions:
    """Opens and reads console sessions."""

    def __init__(self, secret: str, *, seconds: int, roles: Mapping[str, ConsoleRole]) -> None:
        self._cookies = CookieSigner(secret)
        self.seconds = seconds
        self.roles = dict(roles)

    def open(self, *, name: str, account: str, role: ConsoleRole, via: Via) -> tuple[str, str]:
        """A new session's cookie value and its CSRF token."""
        csrf = secrets.token_urlsafe(24)
        claims = {"name": name, "account": account, "role": role.value, "via": via.value}
        return self._cookies.sign("console", {**claims, "csrf": csrf}, seconds=self.seconds), csrf

    def read(self, value: str | None) -> Operator | None:
        """The operator the cookie holds; None when there is none, or it is forged, expired,
        or names an SSO account no longer given a role."""
        try:
            claims: dict[str, Any] = self._cookies.read("console", value)
            via = Via(claims["via"])
            role = ConsoleRole(claims["role"])
            account = str(claims["account"])
        except (BadToken, KeyError, ValueError):
            return None
        if via is Via.sso:
            current = self.roles.get(account)
            if current is None:
                return None
            role = current
        return Operator(
            name=str(claims["name"]),
            account=account,
            role=role,
            via=via,
            csrf=str(claims["csrf"]),
            expires_at=float(claims["exp"]),
        )


def secure(request: Request) -> bool:
    """Cookies are ``Secure`` when the console was reached over https (behind a proxy, run
    uvicorn with ``--proxy-headers`` so the scheme is the browser's)."""
    return request.url.scheme == "https"


def set_session(response: Response, request: Request, value: str, seconds: int) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        value,
        max_age=seconds,
        path=PATH,
        httponly=True,
        samesite="lax",
        secure=secure(request),
    )


def end_session(response: Response, request: Request) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path=PATH, httponly=True, samesite="lax", secure=secure(request)
    )


def check_csrf(request: Request, form: FormData, operator: Operator) -> None:
    """Refuse (``Forbidden``) a form that does not carry the session's CSRF token."""
    given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not isinstance(given, str) or not hmac.compare_digest(given, operator.csrf):
        raise Forbidden("csrf")


def require(operator: Operator, role: ConsoleRole) -> None:
    if not operator.may(role):
        raise Forbidden(role.value)
