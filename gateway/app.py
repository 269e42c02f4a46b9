"""The gateway's web application: ``create_app(settings)``, nothing built at import time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from adapters.business_registry import BusinessRegistry
from adapters.document_axis import DocumentAxis
from adapters.national_portal import NationalPortal
from adapters.population_registry import PopulationRegistry
from gateway import bootstrap
from gateway.api import documents, dossiers, oauth, operations, registries, sso
from gateway.api.backpressure import answer_backlogged
from gateway.api.body_limit import BodyLimit
from gateway.backpressure import Backlogged
from gateway.settings import Settings

DESCRIPTION = """\
lienthong connects a province's one-stop system to the national systems. Writes are accepted
durably (202) and delivered by the worker; nothing accepted is lost by a crash or an outage.
"""


def create_app(
    settings: Settings | None = None,
    *,
    portal: NationalPortal | None = None,
    axis: DocumentAxis | None = None,
    population: PopulationRegistry | None = None,
    businesses: BusinessRegistry | None = None,
    sso_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The API, with the delivery worker and the axis poller beside it when enabled."""
    settings = settings or Settings()
    gateway = bootstrap.build(
        settings,
        portal=portal,
        axis=axis,
        population=population,
        businesses=businesses,
        sso_transport=sso_transport,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await gateway.start()
        worker = asyncio.create_task(gateway.worker.run()) if settings.worker_enabled else None
        poller = (
            asyncio.create_task(gateway.documents.poller.run())
            if settings.document_poller_enabled
            else None
        )
        try:
            yield
        finally:
            await gateway.documents.poller.stop()
            if poller is not None:
                await poller
            await gateway.worker.stop(worker)
            await gateway.close()

    app = FastAPI(
        title="lienthong",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.gateway = gateway
    app.add_exception_handler(Backlogged, answer_backlogged)
    app.add_middleware(
        BodyLimit,
        path="/v1/documents",
        limit=settings.document_max_bytes,
        setting="LIENTHONG_DOCUMENT_MAX_BYTES",
    )
    app.include_router(dossiers.router)
    app.include_router(documents.router)
    app.include_router(registries.router)
    app.include_router(operations.router)
    app.include_router(oauth.router)
    app.include_router(sso.router)
    app.include_router(sso.well_known)
    return app
