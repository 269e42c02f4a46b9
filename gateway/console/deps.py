"""What the console's routes declare: the console's parts and the operator signed in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from gateway.console.access import SESSION_COOKIE, Operator, Sessions, SignInNeeded
from gateway.console.rendering import Pages


@dataclass(slots=True)
class Console:
    """Built once by ``mount_console``: the templates and the sessions."""

    pages: Pages
    sessions: Sessions


async def get_console(request: Request) -> Console:
    console: Console = request.app.state.console
    return console


async def get_operator(request: Request) -> Operator:
    """The operator signed in; ``SignInNeeded`` (the sign-in page, then back here) if none."""
    console: Console = request.app.state.console
    operator = console.sessions.read(request.cookies.get(SESSION_COOKIE))
    if operator is None:
        back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInNeeded(back if request.method == "GET" else "/console/")
    return operator


ConsoleDep = Annotated[Console, Depends(get_console)]
OperatorDep = Annotated[Operator, Depends(get_operator)]
