"""Probes and sync status for operators: ``/healthz``, ``/readyz``, ``/metrics``, ``/v1/status``.

Every national system in use (``gateway.systems``) shows in ``/readyz`` and ``/v1/status``, with
its circuit breaker read from ``gateway.guards.guard_report``; a fresh store lists each with
zeros.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Literal

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from pydantic import BaseModel, Field
from sqlalchemy import text

from adapters import DOCUMENT_AXIS, LINKED_SERVICES, CircuitState, GuardSnapshot
from adapters.land_registry import LAND_REGISTRY
from gateway import outbox
from gateway.api.caller import requires
from gateway.api.deps import GatewayDep
from gateway.guards import guard_report
from gateway.indicators.periods import Period
from gateway.indicators.service import Indicators
from gateway.metrics import exposition

router = APIRouter(tags=["operations"])


class Circuit(BaseModel):
    """A national system's circuit breaker: ``open`` while calls to it fail at once."""

    state: CircuitState
    consecutive_failures: int = Field(description="Failed calls since the system last answered.")
    open_since: datetime | None = Field(
        default=None,
        description="When the circuit opened (it may be half-open since, for a trial call); "
        "null while closed.",
    )
    refused_calls: int = Field(
        description="Calls failed at once, never sent, while the circuit was open, since the "
        "gateway started."
    )
    retries_refused: int = Field(
        description="Retries within a call that the system's retry budget refused, since the "
        "gateway started."
    )

    @classmethod
    def of(cls, snapshot: GuardSnapshot) -> Circuit:
        return cls(
            state=snapshot.state,
            consecutive_failures=snapshot.consecutive_failures,
            open_since=_time(snapshot.open_since),
            refused_calls=snapshot.refused_calls,
            retries_refused=snapshot.retries_refused,
        )


class TargetStatus(BaseModel):
    accepted: int
    pending: int
    delivered: int
    dead: int
    retried: int
    last_success_at: datetime | None = None
    failing_since: datetime | None = None
    last_error: str | None = None
    circuit: Circuit | None = None


class Status(BaseModel):
    targets: dict[str, TargetStatus]


def _time(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


class Readiness(BaseModel):
    status: Literal["ready", "not ready"]
    store: str = Field(description='"ok", or why the store is unavailable.')
    national: dict[str, Literal["ok", "failing"]] = Field(
        description="Each national system in use: failing while its deliveries or polls fail."
    )
    circuits: dict[str, Circuit]


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"description": "The store does not answer.", "model": Readiness}},
)
async def readyz(gateway: GatewayDep) -> JSONResponse:
    """Ready when the store answers. National systems are reported, not required: while one is
    down the gateway still accepts work and delivers it later. ``circuits`` holds each national
    system's circuit breaker."""
    try:
        await gateway.store.read(lambda connection: connection.execute(text("SELECT 1")))
        store = "ok"
    except Exception as error:  # any failure of the store makes the gateway not ready
        store = f"unavailable: {type(error).__name__}"
    failing = {name for name, health in gateway.worker.health.items() if health.failing_since}
    if gateway.documents.poller.failing_since is not None:
        failing.add(DOCUMENT_AXIS.name)
    if gateway.linked_poller.failing_since is not None:
        failing.add(LINKED_SERVICES.name)
    if gateway.land.poller.failing_since is not None:
        failing.add(LAND_REGISTRY.name)
    national = {name: "failing" if name in failing else "ok" for name in gateway.national.in_use}
    circuits = {
        name: Circuit.of(snapshot).model_dump(mode="json")
        for name, snapshot in guard_report(gateway.national.guards).items()
    }
    ready = store == "ok"
    return JSONResponse(
        {
            "status": "ready" if ready else "not ready",
            "store": store,
            "national": national,
            "circuits": circuits,
        },
        status_code=200 if ready else 503,
    )


@router.get("/metrics", include_in_schema=False, dependencies=[requires("ops:read")])
async def metrics(gateway: GatewayDep) -> Response:
    settings = gateway.settings
    indicators = Indicators(gateway.store, settings.indicator_targets, settings.indicator_weights)
    now = time.time()
    current = await indicators.report(Period.month_to_date(now), now=now)
    return Response(exposition(gateway.national.guards, current), media_type=CONTENT_TYPE_LATEST)


@router.get("/v1/status", response_model=Status, dependencies=[requires("ops:read")])
async def status(gateway: GatewayDep) -> Status:
    """Events per national system in use: accepted, pending, delivered, dead, and how each is
    doing."""
    counts = await gateway.store.read(outbox.counts)
    guards = guard_report(gateway.national.guards)
    targets = {}
    for name in sorted(set(counts) | set(gateway.worker.health) | set(gateway.national.in_use)):
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
            circuit=Circuit.of(guards[name]) if name in guards else None,
        )
    return Status(targets=targets)
