"""Requests for a fixed path of a mounted mock go straight to their route.

``lienthong mocks`` mounts every mock under its own path, each a Starlette app of its own, so a
request used to pass two apps' error and exception layers and two routers (each trying its
routes' patterns in turn, the mounts' included) before its handler ran: about a sixth of a
mock's time per request under load. ``DirectRoutes`` is the mocks' outer app with a table made
once, when it is built: the method and full path of every route of a mounted mock whose path
has no parameters (``/business-registry/TraCuuThongTinDoanhNghiep``, ``.../__admin/journal``),
to that route under the same error and exception layers the mock's own app puts around its
router. A request found there is handled as the routers would have handled it, with the same
scope (``root_path``, ``app``, ``route``, ``endpoint``, ``path_params``); anything else (paths
with parameters, a method the route does not take, lifespan) goes through the routers as before.

A route goes into the table only where the routers would choose it: when no route before it,
in its mock or among the mounts, matches the same method and path; and only for a mock whose app
has no middleware or exception handlers of its own, which the table would bypass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.routing import BaseRoute, Match, Mount, Route, Router
from starlette.types import ASGIApp, Lifespan, Receive, Scope, Send


@dataclass(frozen=True, slots=True)
class _Direct:
    """A fixed-path route of a mounted app, and the layers its app would have put around it."""

    mount: str
    app: Starlette
    route: Route
    handle: ASGIApp


def _first_match(routes: Sequence[BaseRoute], method: str, path: str) -> BaseRoute | None:
    """The route a router tries first that fully matches ``method`` and ``path``, if any."""
    scope: dict[str, Any] = {"type": "http", "method": method, "path": path, "root_path": ""}
    for route in routes:
        match, _ = route.matches(scope)
        if match is Match.FULL:
            return route
    return None


def _plain(app: Starlette) -> bool:
    """Whether ``app`` has nothing of its own between its error layers and its router."""
    return (
        not app.user_middleware
        and not app.exception_handlers
        and getattr(app, "max_body_size", None) is None
    )


def direct_routes(router: Router) -> dict[tuple[str, str], _Direct]:
    """The fixed-path routes of the apps mounted on ``router``, by method and full path."""
    table: dict[tuple[str, str], _Direct] = {}
    for mount in router.routes:
        if not isinstance(mount, Mount):
            continue
        app = mount.app
        if not isinstance(app, Starlette) or not _plain(app):
            continue
        for route in app.router.routes:
            if not isinstance(route, Route) or route.param_convertors or route.methods is None:
                continue
            full = f"{mount.path}{route.path}"
            for method in route.methods:
                if (method, full) in table:
                    continue
                if _first_match(router.routes, method, full) is not mount:
                    continue
                if _first_match(app.router.routes, method, route.path) is not route:
                    continue
                layers = ExceptionMiddleware(route.handle, debug=app.debug)
                table[(method, full)] = _Direct(
                    mount.path, app, route, ServerErrorMiddleware(layers, debug=app.debug)
                )
    return table


class DirectRoutes(Starlette):
    """A Starlette app that hands a request for a fixed path of a mounted app to its route."""

    def __init__(self, *, routes: Sequence[BaseRoute], lifespan: Lifespan[Any] | None) -> None:
        super().__init__(routes=routes, lifespan=lifespan)
        self._direct = direct_routes(self.router)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            found = self._direct.get((scope["method"], scope["path"]))
            if found is not None:
                scope["app"] = found.app
                scope["router"] = self.router
                scope["route"] = found.route
                scope["endpoint"] = found.route.endpoint
                scope["path_params"] = {}
                scope["app_root_path"] = ""
                scope["root_path"] = found.mount
                await found.handle(scope, receive, send)
                return
        await super().__call__(scope, receive, send)
