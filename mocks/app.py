"""Every national mock on one ASGI app, each under its own path, as ``lienthong mocks`` serves it.

``GET /`` lists the mounted mocks. Each mock keeps its own state and its own admin API under
``<path>/__admin/``. ``MOCKS`` is the one list of them: a new mock is mounted by adding its
entry, and so gets the admin API, stories, callbacks, scenario files, the pytest plugin's client
and the conformance report without anything else being edited.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from mocks import (
    business_registry,
    document_axis,
    land_registry,
    linked_services,
    monitoring_centre,
    national_portal,
    national_reporting,
    national_sso,
    population_registry,
    results_store,
    social_insurance,
)
from mocks.admin import Admin, ScenarioError
from mocks.direct import DirectRoutes
from mocks.journal import DEFAULT_CAPACITY
from mocks.scenario_files import ScenarioFile, read_scenario


@dataclass(frozen=True, slots=True)
class MockSpec:
    """One national mock: its name, where it is mounted, its title and how to build it.

    ``create`` takes ``seed`` and ``journal_capacity`` and returns an app whose
    ``state.admin`` is its ``mocks.admin.Admin``.
    """

    name: str
    path: str
    title: str
    create: Callable[..., Starlette]

    def as_json(self) -> dict[str, str]:
        return {
            "name": self.name,
            "path": self.path,
            "title": self.title,
            "admin": f"{self.path}/__admin/",
        }


MOCKS: tuple[MockSpec, ...] = (
    MockSpec(
        "national_portal",
        "/national-portal",
        "Cổng Dịch vụ công quốc gia (National Public Service Portal)",
        national_portal.create_app,
    ),
    MockSpec(
        "linked_services",
        "/linked-services",
        "Dịch vụ công liên thông khai sinh, khai tử (Inter-connected public services)",
        linked_services.create_app,
    ),
    MockSpec(
        "document_axis",
        "/document-axis",
        "Trục liên thông văn bản quốc gia (National document exchange axis)",
        document_axis.create_app,
    ),
    MockSpec(
        "population_registry",
        "/population-registry",
        "Cơ sở dữ liệu quốc gia về dân cư (National Population Database)",
        population_registry.create_app,
    ),
    MockSpec(
        "business_registry",
        "/business-registry",
        "CSDL quốc gia về đăng ký doanh nghiệp (National Business Registration Database)",
        business_registry.create_app,
    ),
    MockSpec(
        "land_registry",
        "/land-registry",
        "Hệ thống thông tin đất đai (Land registration system, ILIS / VBDLIS)",
        land_registry.create_app,
    ),
    MockSpec(
        "national_sso",
        "/sso",
        "Hệ thống đăng nhập một lần quốc gia (National single sign-on)",
        national_sso.create_app,
    ),
    MockSpec(
        "national_reporting",
        "/national-reporting",
        "Hệ thống thông tin báo cáo quốc gia (National reporting system)",
        national_reporting.create_app,
    ),
    MockSpec(
        "monitoring_centre",
        "/monitoring-centre",
        "Trung tâm thông tin, chỉ đạo, điều hành của Chính phủ (Government monitoring centre)",
        monitoring_centre.create_app,
    ),
    MockSpec(
        "social_insurance",
        "/social-insurance",
        "Cơ sở dữ liệu quốc gia về bảo hiểm (National Insurance Database)",
        social_insurance.create_app,
    ),
    MockSpec(
        "results_store",
        "/results-store",
        "Kho quản lý dữ liệu điện tử (Digitised-results store)",
        results_store.create_app,
    ),
)


def mock_named(key: str) -> str | None:
    """The name of the mock ``key`` names, by name (``national_portal``) or path
    (``national-portal``, ``/national-portal``); ``None`` for none."""
    for spec in MOCKS:
        if key in (spec.name, spec.path, spec.path.lstrip("/")):
            return spec.name
    return None


def admins(app: Starlette) -> dict[str, Admin]:
    """The admin of each mock of an app ``create_mocks_app`` made, by mock name."""
    found: dict[str, Admin] = app.state.admins
    return found


def load_scenario(app: Starlette, scenario: ScenarioFile, *, baseline: bool = False) -> None:
    """Put ``scenario`` in place on the mocks of ``app``, checking every section first.

    With ``baseline`` a reset of a mock returns it to its section rather than to nothing.
    Raises ``ScenarioFileError`` naming the line at fault; then no mock has changed.
    """
    found = admins(app)
    named: dict[str, tuple[str, dict[str, Any]]] = {}
    for key, section in scenario.sections.items():
        name = mock_named(key)
        if name is None or name not in found:
            raise scenario.error_in(key, "no mock of that name or path")
        named[name] = (key, section)
    for name, (key, section) in named.items():
        try:
            found[name].check(section)
        except ScenarioError as exc:
            raise scenario.error_in(key, str(exc)) from None
    for name, (key, section) in named.items():
        try:
            found[name].load(section)
        except ScenarioError as exc:
            raise scenario.error_in(key, str(exc)) from None
        if baseline:
            found[name].baseline = section


def create_mocks_app(
    *,
    seed: int = 0,
    journal_capacity: int = DEFAULT_CAPACITY,
    scenario: str | Path | ScenarioFile | None = None,
) -> Starlette:
    """A fresh app with every national mock mounted.

    ``seed`` seeds each mock's data and fault dice; ``journal_capacity`` bounds each mock's
    journal (the oldest entries are forgotten past it). ``scenario`` is a scenario file (its
    path, or parsed) put in place at once and again by every reset (``mocks.scenario_files``);
    a bad one raises ``ScenarioFileError`` naming the line. A request for a fixed path of a
    mock goes straight to its route (``mocks.direct``).
    """
    apps = {spec.name: spec.create(seed=seed, journal_capacity=journal_capacity) for spec in MOCKS}

    async def index(request: Request) -> Response:
        return JSONResponse({"mocks": [m.as_json() for m in MOCKS]})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        for admin in admins(app).values():
            admin.callbacks.start()
        yield

    routes: list[BaseRoute] = [Route("/", index, methods=["GET"])]
    routes.extend(Mount(spec.path, app=apps[spec.name]) for spec in MOCKS)
    app = DirectRoutes(routes=routes, lifespan=lifespan)
    app.state.admins = {name: mock.state.admin for name, mock in apps.items()}
    if scenario is not None:
        parsed = (
            scenario
            if isinstance(scenario, ScenarioFile)
            else read_scenario(scenario, resolve=mock_named)
        )
        load_scenario(app, parsed, baseline=True)
    return app
