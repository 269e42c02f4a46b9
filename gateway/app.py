"""The gateway's web application: ``create_app(settings)``, nothing built at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.telemetry import TelemetryConfig
from starlette.exceptions import HTTPException

from adapters import NationalSystem
from gateway import bootstrap, tracing
from gateway.api import (
    documents,
    dossiers,
    insurance,
    land,
    linked_dossiers,
    oauth,
    operations,
    problems,
    registries,
    results,
    sso,
)
from gateway.api.backpressure import answer_backlogged
from gateway.api.body_limit import BodyLimit, Limit
from gateway.api.caller import TokenFirst
from gateway.api.indicators import router as indicators_router
from gateway.api.procedures import router as procedures_router
from gateway.api.questions import router as questions_router
from gateway.api.request_id import RequestId
from gateway.backpressure import Backlogged
from gateway.console import mount_console
from gateway.settings import Settings
from gateway.systems import SYSTEMS

DESCRIPTION = """\
lienthong connects a province's one-stop system to the national systems. Writes are accepted
durably (202) and delivered by the worker; nothing accepted is lost by a crash or an outage.

Every error is an RFC 9457 problem (`application/problem+json`) with `type`, `title`, `status`
and `detail`; a 422 lists each field and the rule it breaks. A route that needs a token checks it
before reading the body (401), and every body is limited as it arrives (413).
"""

NO_NATIVE_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False}
"""FastAPI's own OpenTelemetry, off: requests are traced by ``gateway.tracing`` when
``LIENTHONG_OTEL_ENABLED`` is set, and when it is not, FastAPI's would look up the process's
tracer and meter providers on every request to learn that nobody listens."""


def create_app(
    settings: Settings | None = None,
    *,
    systems: bootstrap.SystemOverrides | None = None,
    adapters: Mapping[str, object] | None = None,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    registry: tuple[NationalSystem[Any], ...] = SYSTEMS,
) -> FastAPI:
    """The API, with the delivery worker and the axis poller beside it when enabled; the
    keywords are ``bootstrap.build``'s. Every request gets an ``X-Request-ID``
    (``gateway.api.request_id``); with ``LIENTHONG_OTEL_ENABLED`` requests, national calls and
    SQL are traced (``gateway.tracing``)."""
    settings = settings or Settings()
    tracer_provider = tracing.start(settings.otel_service_name) if settings.otel_enabled else None
    gateway = bootstrap.build(
        settings, systems=systems, adapters=adapters, transports=transports, registry=registry
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with bootstrap.running(
            gateway,
            worker=settings.worker_enabled,
            poller=settings.document_poller_enabled,
        ):
            yield

    app = FastAPI(
        title="lienthong",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        telemetry=NO_NATIVE_TELEMETRY,
    )
    app.state.gateway = gateway
    if tracer_provider is not None:
        tracing.instrument_app(app, tracer_provider)
    app.add_exception_handler(Backlogged, answer_backlogged)
    app.add_exception_handler(HTTPException, problems.answer_http_error)
    app.add_exception_handler(RequestValidationError, problems.answer_invalid)
    app.add_middleware(
        BodyLimit,
        default=Limit(settings.max_body_bytes, "LIENTHONG_MAX_BODY_BYTES"),
        paths=[
            (
                documents.SEND_PATH,
                Limit(settings.document_max_bytes, "LIENTHONG_DOCUMENT_MAX_BYTES"),
            )
        ],
    )
    app.add_middleware(TokenFirst)
    app.add_middleware(problems.Unexpected)
    app.add_middleware(RequestId)
    app.include_router(dossiers.router)
    app.include_router(documents.router)
    app.include_router(linked_dossiers.router)
    app.include_router(land.router)
    app.include_router(registries.router)
    app.include_router(insurance.router)
    app.include_router(results.router)
    app.include_router(questions_router)
    app.include_router(procedures_router)
    app.include_router(indicators_router)
    app.include_router(operations.router)
    app.include_router(oauth.router)
    app.include_router(sso.router)
    app.include_router(sso.well_known)
    mount_console(app, settings)

    completed: set[int] = set()

    def openapi() -> dict[str, Any]:
        document = FastAPI.openapi(app)
        if id(document) not in completed:
            problems.declare_common(document)
            completed.clear()
            completed.add(id(document))
        return document

    app.openapi = openapi  # type: ignore[method-assign]
    return app
