"""Every national mock on one ASGI app, each under its own path, as ``lienthong mocks`` serves it.

``GET /`` lists the mounted mocks. Each mock keeps its own state and its own admin API under
``<path>/__admin/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp

from mocks import (
    business_registry,
    document_axis,
    national_portal,
    national_sso,
    population_registry,
)
from mocks.journal import DEFAULT_CAPACITY


@dataclass(frozen=True, slots=True)
class MountedMock:
    name: str
    path: str
    title: str
    app: ASGIApp

    def as_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "path": self.path,
            "title": self.title,
            "admin": f"{self.path}/__admin/",
        }


def create_mocks_app(*, seed: int = 0, journal_capacity: int = DEFAULT_CAPACITY) -> Starlette:
    """A fresh app with every national mock mounted.

    ``seed`` seeds each mock's data and fault dice; ``journal_capacity`` bounds each mock's
    journal (the oldest entries are forgotten past it).
    """
    mocks = [
        MountedMock(
            name="national_portal",
            path="/national-portal",
            title="Cổng Dịch vụ công quốc gia (National Public Service Portal)",
            app=national_portal.create_app(seed=seed, journal_capacity=journal_capacity),
        ),
        MountedMock(
            name="document_axis",
            path="/document-axis",
            title="Trục liên thông văn bản quốc gia (National document exchange axis)",
            app=document_axis.create_app(seed=seed, journal_capacity=journal_capacity),
        ),
        MountedMock(
            name="population_registry",
            path="/population-registry",
            title="Cơ sở dữ liệu quốc gia về dân cư (National Population Database)",
            app=population_registry.create_app(seed=seed, journal_capacity=journal_capacity),
        ),
        MountedMock(
            name="business_registry",
            path="/business-registry",
            title="CSDL quốc gia về đăng ký doanh nghiệp (National Business Registration Database)",
            app=business_registry.create_app(seed=seed, journal_capacity=journal_capacity),
        ),
        MountedMock(
            name="national_sso",
            path="/sso",
            title="Hệ thống đăng nhập một lần quốc gia (National single sign-on)",
            app=national_sso.create_app(seed=seed, journal_capacity=journal_capacity),
        ),
    ]

    async def index(request: Request) -> Response:
        return JSONResponse({"mocks": [m.as_json() for m in mocks]})

    routes: list[BaseRoute] = [Route("/", index, methods=["GET"])]
    routes.extend(Mount(m.path, app=m.app) for m in mocks)
    return Starlette(routes=routes)
