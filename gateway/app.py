"""The gateway's web application: ``create_app(settings)``, nothing built at import time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from adapters.national_portal import NationalPortal
from gateway import bootstrap
from gateway.api import dossiers, operations
from gateway.settings import Settings

DESCRIPTION = """\
lienthong connects a province's one-stop system to the national systems. Writes are accepted
durably (202) and delivered by the worker; nothing accepted is lost by a crash or an outage.
"""


def create_app(
    settings: Settings | None = None, *, portal: NationalPortal | None = None
) -> FastAPI:
    """The API, with the delivery worker running beside it when ``worker_enabled``."""
    settings = settings or Settings()
    gateway = bootstrap.build(settings, portal=portal)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await gateway.start()
        worker = asyncio.create_task(gateway.worker.run()) if settings.worker_enabled else None
        try:
            yield
        finally:
            await gateway.worker.stop(worker)
            await gateway.close()

    app = FastAPI(
        title="lienthong",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.gateway = gateway
    app.include_router(dossiers.router)
    app.include_router(operations.router)
    return app
