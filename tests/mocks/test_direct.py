"""A request for a fixed path of a mounted mock goes straight to its route, as the routers would
have chosen it, with the same scope, errors and exceptions (``mocks.direct``)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from mocks.direct import DirectRoutes


async def _scope_seen(request: Request) -> Response:
    scope = request.scope
    return JSONResponse(
        {
            "root_path": scope["root_path"],
            "app_root_path": scope["app_root_path"],
            "path_params": scope["path_params"],
            "app": request.app.state.name,
            "route": scope["route"].path,
            "endpoint": scope["endpoint"].__name__,
            "router_is_the_outer": scope["router"] is scope["outer"],
        }
    )


async def _answer(request: Request) -> Response:
    return JSONResponse({"answered_by": "fixed"})


async def _by_name(request: Request) -> Response:
    return JSONResponse({"answered_by": "pattern", "name": request.path_params["name"]})


async def _fails(request: Request) -> Response:
    raise RuntimeError("the handler failed")


async def _refuses(request: Request) -> Response:
    raise HTTPException(418, "no coffee here")


def _mock(routes: list[BaseRoute], **options: Any) -> Starlette:
    app = Starlette(routes=routes, **options)
    app.state.name = "mock"
    return app


def _served(outer: type[Starlette], mounts: list[BaseRoute]) -> ASGIApp:
    """``mounts`` on an ``outer`` app, which marks its router in the scope for the tests."""
    app = (
        DirectRoutes(routes=mounts, lifespan=None)
        if outer is DirectRoutes
        else Starlette(routes=mounts)
    )

    async def marked(scope: Scope, receive: Receive, send: Send) -> None:
        scope["outer"] = app.router
        await app(scope, receive, send)

    return marked


def _client(app: ASGIApp) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://mocks.test")


OUTERS = pytest.mark.parametrize("outer", [Starlette, DirectRoutes], ids=["routed", "direct"])


@OUTERS
async def test_the_handler_sees_the_scope_the_routers_give_it(outer: type[Starlette]) -> None:
    mock = _mock([Route("/seen", _scope_seen)])
    async with _client(_served(outer, [Mount("/registry", app=mock)])) as http:
        seen = (await http.get("/registry/seen")).json()

    assert seen == {
        "root_path": "/registry",
        "app_root_path": "",
        "path_params": {},
        "app": "mock",
        "route": "/seen",
        "endpoint": "_scope_seen",
        "router_is_the_outer": True,
    }


@OUTERS
async def test_a_fixed_path_behind_a_pattern_that_matches_it_goes_to_the_pattern(
    outer: type[Starlette],
) -> None:
    mock = _mock([Route("/{name}", _by_name), Route("/fixed", _answer)])
    async with _client(_served(outer, [Mount("/registry", app=mock)])) as http:
        answered = (await http.get("/registry/fixed")).json()

    assert answered == {"answered_by": "pattern", "name": "fixed"}


@OUTERS
async def test_a_mount_behind_another_that_matches_it_is_not_reached(
    outer: type[Starlette],
) -> None:
    first = _mock([Route("/{name:path}", _by_name)])
    second = _mock([Route("/fixed", _answer)])
    mounts: list[BaseRoute] = [Mount("/registry", app=first), Mount("/registry", app=second)]
    async with _client(_served(outer, mounts)) as http:
        answered = (await http.get("/registry/fixed")).json()

    assert answered["answered_by"] == "pattern"


@OUTERS
async def test_a_method_the_route_does_not_take_is_refused_with_405(
    outer: type[Starlette],
) -> None:
    mock = _mock([Route("/fixed", _answer, methods=["GET"])])
    async with _client(_served(outer, [Mount("/registry", app=mock)])) as http:
        refused = await http.post("/registry/fixed")
        head = await http.head("/registry/fixed")

    assert refused.status_code == 405
    assert set(refused.headers["allow"].split(", ")) == {"GET", "HEAD"}
    assert head.status_code == 200


@OUTERS
async def test_a_failing_handler_answers_500_and_an_http_exception_its_status(
    outer: type[Starlette],
) -> None:
    mock = _mock([Route("/fails", _fails), Route("/refuses", _refuses)])
    async with _client(_served(outer, [Mount("/registry", app=mock)])) as http:
        failed = await http.get("/registry/fails")
        refused = await http.get("/registry/refuses")

    assert (failed.status_code, failed.text) == (500, "Internal Server Error")
    assert (refused.status_code, refused.text) == (418, "no coffee here")


@OUTERS
async def test_a_mock_with_middleware_of_its_own_still_runs_it(outer: type[Starlette]) -> None:
    class Stamp:
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
            async def stamped(message: Any) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message["headers"], (b"x-stamp", b"yes")]
                await send(message)

            await self.app(scope, receive, stamped)

    mock = _mock([Route("/fixed", _answer)], middleware=[Middleware(Stamp)])
    async with _client(_served(outer, [Mount("/registry", app=mock)])) as http:
        answered = await http.get("/registry/fixed")

    assert answered.headers["x-stamp"] == "yes"


@OUTERS
async def test_paths_with_parameters_and_unknown_paths_go_through_the_routers(
    outer: type[Starlette],
) -> None:
    mock = _mock([Route("/items/{name}", _by_name)])
    async with _client(_served(outer, [Mount("/registry", app=mock)])) as http:
        named = (await http.get("/registry/items/one")).json()
        unknown = await http.get("/registry/nothing")

    assert named == {"answered_by": "pattern", "name": "one"}
    assert unknown.status_code == 404
