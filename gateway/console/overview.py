"""Tổng quan: every national system in use, how it stands, and the pollers.

Each system shows a state (a colour and a word, never the colour alone), its circuit, its
backlog and the age of its oldest pending event, what was delivered and what died today, its
last success, and its last error with the next step to take (``gateway.console.advice``). An
operator may test a system now (its probe); the answer shows in place (htmx) or on the page.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from fastapi import APIRouter, Request
from fastapi.responses import Response

from adapters import CircuitState, GuardSnapshot
from gateway.api.deps import GatewayDep
from gateway.bootstrap import Gateway
from gateway.console import trail
from gateway.console.access import check_csrf, require
from gateway.console.advice import ADVICE, Advice, ErrorClass, classify
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.rendering import N_
from gateway.guards import guard_report
from gateway.operations import ProbeResult, SystemStatus, UnknownSystem
from gateway.settings import ConsoleRole


class Health(StrEnum):
    ok = "ok"
    warning = "warning"
    down = "down"
    idle = "idle"


HEALTH_LABELS = {
    Health.ok: N_("Hoạt động bình thường"),
    Health.warning: N_("Cần chú ý"),
    Health.down: N_("Đang gặp sự cố"),
    Health.idle: N_("Chưa có hoạt động"),
}

CIRCUIT_LABELS = {
    CircuitState.closed: N_("Đóng (gọi bình thường)"),
    CircuitState.open: N_("Mở (tạm ngừng gọi)"),
    CircuitState.half_open: N_("Nửa mở (đang thử lại)"),
}


@dataclass(frozen=True, slots=True)
class SystemView:
    name: str
    title: str
    title_en: str
    health: Health
    circuit: GuardSnapshot | None
    status: SystemStatus
    error_class: ErrorClass | None
    advice: Advice | None
    delivers: bool
    """Whether the worker delivers events to it (else it is called synchronously or polled)."""

    @property
    def health_label(self) -> str:
        return HEALTH_LABELS[self.health]

    @property
    def circuit_label(self) -> str | None:
        return CIRCUIT_LABELS[self.circuit.state] if self.circuit else None


@dataclass(frozen=True, slots=True)
class PollerView:
    title: str
    enabled: bool
    leading: bool
    failing_for: float | None


def _failing(gateway: Gateway, name: str) -> bool:
    health = gateway.worker.health.get(name)
    return bool(health and health.failing_since)


def _health(circuit: GuardSnapshot | None, status: SystemStatus, failing: bool) -> Health:
    if (circuit is not None and circuit.state is CircuitState.open) or failing:
        return Health.down
    if circuit is not None and circuit.state is CircuitState.half_open:
        return Health.warning
    if status.dead_today or status.retrying or status.counts.dead:
        return Health.warning
    if status.probe is not None and not status.probe.ok:
        return Health.warning
    if not (status.counts.accepted or status.last_success_at or status.probe):
        return Health.idle
    return Health.ok


def _error_class(
    circuit: GuardSnapshot | None, status: SystemStatus, failing: bool
) -> ErrorClass | None:
    if circuit is not None and circuit.state is CircuitState.open:
        return ErrorClass.circuit_open
    if failing or status.retrying:
        return classify(status.last_error)
    if status.counts.dead:
        return ErrorClass.permanent
    if status.probe is not None and not status.probe.ok:
        return classify(status.probe.detail)
    return None


async def systems(gateway: Gateway) -> list[SystemView]:
    """Every national system in use, in the registry's order."""
    statuses = await gateway.operations.status()
    circuits = guard_report(gateway.national.guards)
    views = []
    for status in statuses:
        if status.system not in gateway.national.entries:
            continue
        entry = gateway.national.entries[status.system]
        circuit = circuits.get(status.system)
        failing = _failing(gateway, status.system)
        error_class = _error_class(circuit, status, failing)
        views.append(
            SystemView(
                name=status.system,
                title=entry.title,
                title_en=entry.title_en,
                health=_health(circuit, status, failing),
                circuit=circuit,
                status=status,
                error_class=error_class,
                advice=ADVICE[error_class] if error_class else None,
                delivers=status.system in gateway.worker.health or status.counts.accepted > 0,
            )
        )
    return views


def pollers(gateway: Gateway) -> list[PollerView]:
    poller = gateway.documents.poller
    failing_since = poller.failing_since
    return [
        PollerView(
            title=N_("Nhận văn bản từ trục liên thông"),
            enabled=gateway.settings.document_poller_enabled,
            leading=poller.leadership.leading,
            failing_for=None if failing_since is None else time.monotonic() - failing_since,
        )
    ]


router = APIRouter(prefix="/console", include_in_schema=False)


async def _page(
    request: Request,
    gateway: Gateway,
    console: ConsoleDep,
    operator: OperatorDep,
    probe: ProbeResult | None = None,
) -> Response:
    context = {
        "systems": await systems(gateway),
        "pollers": pollers(gateway),
        "now": time.time(),
        "probe": probe,
    }
    return console.pages.render(request, "overview.html", context, operator=operator)


@router.get("/")
async def overview(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    return await _page(request, gateway, console, operator)


@router.post("/systems/{system}/test")
async def test_now(
    request: Request,
    system: str,
    gateway: GatewayDep,
    console: ConsoleDep,
    operator: OperatorDep,
) -> Response:
    """Run the system's probe now (audited by the service); htmx gets the answer alone."""
    check_csrf(request, await request.form(), operator)
    require(operator, ConsoleRole.operator)
    try:
        probe = await gateway.operations.test(system, operator=trail.actor(operator))
    except UnknownSystem:
        return console.pages.render(request, "missing.html", {}, operator=operator, status_code=404)
    if request.headers.get("HX-Request"):
        return console.pages.render(request, "probe.html", {"probe": probe}, operator=operator)
    return await _page(request, gateway, console, operator, probe)
