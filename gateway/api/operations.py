"""Probes and sync status for operators: ``/healthz``, ``/readyz``, ``/metrics``, ``/v1/status``."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import text

from gateway import outbox
from gateway.api.caller import requires
from gateway.api.deps import GatewayDep

router = APIRouter(tags=["operations"])


class TargetStatus(BaseModel):
    accepted: int
    pending: int
    delivered: int
    dead: int
    retried: int
    last_success_at: datetime | None = None
    failing_since: datetime | None = None
    last_error: str | None = None


class Status(BaseModel):
    targets: dict[str, TargetStatus]


def _time(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(gateway: GatewayDep) -> JSONResponse:
    """Ready when the store answers. National systems are reported, not required: while one is
    down the gateway still accepts work and delivers it later."""
    try:
        await gateway.store.read(lambda connection: connection.execute(text("SELECT 1")))
        store = "ok"
    except Exception as error:  # any failure of the store makes the gateway not ready
        store = f"unavailable: {type(error).__name__}"
    national = {
        name: "failing" if health.failing_since else "ok"
        for name, health in gateway.worker.health.items()
    }
    if gateway.documents.poller.failing_since is not None:
        national["document_axis"] = "failing"
    ready = store == "ok"
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "store": store, "national": national},
        status_code=200 if ready else 503,
    )


@router.get("/metrics", include_in_schema=False, dependencies=[requires("ops:read")])
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


@router.get("/v1/status", response_model=Status, dependencies=[requires("ops:read")])
async def status(gateway: GatewayDep) -> Status:
    """Events per national system: accepted, pending, delivered, dead, and how each is doing."""
    counts = await gateway.store.read(outbox.counts)
    targets = {}
    for name in sorted(set(counts) | set(gateway.worker.health)):
        c = counts.get(name, outbox.TargetCounts())
        h = gateway.worker.health.get(name)
        targets[name] = TargetStatus(
            accepted=c.accepted,
            pending=c.pending,
            delivered=c.delivered,
            dead=c.dead,
            retried=c.retried,
            last_success_at=_time(h.last_success_at) if h else None,
            failing_since=_time(h.failing_since) if h else None,
            last_error=h.last_error if h else None,
        )
    return Status(targets=targets)
