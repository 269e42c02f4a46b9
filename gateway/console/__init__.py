"""The operator console at ``/console/``: server-rendered pages, Vietnamese first.

``mount_console(app, settings)`` adds its routes, its static files and its error pages to the
gateway's app; nothing is built at import time. The console is left out of the OpenAPI
document: it is for people, not for API clients.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from gateway.console import (
    access_audit,
    actions,
    charts,
    diagnostics,
    failures,
    overview,
    records,
    signin,
)
from gateway.console import catalogue as catalogue_pages
from gateway.console import indicators as indicator_pages
from gateway.console import reconciliation as reconciliation_pages
from gateway.console import reports as report_pages
from gateway.console.access import SESSION_COOKIE, Forbidden, Sessions, SignInNeeded
from gateway.console.deps import Console
from gateway.console.rendering import Pages
from gateway.settings import Settings

__all__ = ["mount_console"]

STATIC = Path(__file__).resolve().parent / "static"


def mount_console(app: FastAPI, settings: Settings) -> None:
    """Serve the console under ``/console/`` in ``app``."""
    console = Console(
        pages=Pages(),
        sessions=Sessions(
            settings.session_secret.get_secret_value(),
            seconds=settings.console_session_seconds,
            roles=settings.console_roles,
        ),
    )
    app.state.console = console
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")
    for module in (signin, overview, failures, actions, records, access_audit, charts, diagnostics):
        app.include_router(module.router)
    app.include_router(reconciliation_pages.router)
    app.include_router(catalogue_pages.router)
    app.include_router(indicator_pages.router)
    app.include_router(report_pages.router)

    async def sign_in_needed(request: Request, error: Exception) -> Response:
        assert isinstance(error, SignInNeeded)
        query = "?" + urlencode({"next": error.back_to}) if error.back_to != "/console/" else ""
        return RedirectResponse("/console/sign-in" + query, status_code=303)

    async def forbidden(request: Request, error: Exception) -> Response:
        assert isinstance(error, Forbidden)
        operator = console.sessions.read(request.cookies.get(SESSION_COOKIE))
        context = {"reason": error.reason}
        return console.pages.render(
            request, "forbidden.html", context, operator=operator, status_code=403
        )

    app.add_exception_handler(SignInNeeded, sign_in_needed)
    app.add_exception_handler(Forbidden, forbidden)
