"""Tổng quan: every national system in use, how it stands, and the pollers.

Each system shows a state (a colour and a word, never the colour alone), its circuit, its
backlog and the age of its oldest pending event, what was delivered and what died today, its
last success, and its last error with the next step to take (``gateway.console.advice``).
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
from gateway.console.advice import ADVICE, Advice, ErrorClass, classify
from gateway.console.deps import ConsoleDep, OperatorDep
from gateway.console.rendering import N_
from gateway.console.status import SystemFigures, figures
from gateway.guards import guard_report


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
    figures: SystemFigures
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


def _health(circuit: GuardSnapshot | None, figures: SystemFigures, failing: bool) -> Health:
    if (circuit is not None and circuit.state is CircuitState.open) or failing:
        return Health.down
    if (circuit is not None and circuit.state is CircuitState.half_open) or figures.dead_today:
        return Health.warning
    if figures.pending and figures.retrying:
        return Health.warning
    if not (figures.pending or figures.delivered_today or figures.last_success_at):
        return Health.idle
    return Health.ok


async def systems(gateway: Gateway) -> list[SystemView]:
    """Every national system in use, in the registry's order."""
    counted = await figures(gateway)
    circuits = guard_report(gateway.national.guards)
    views = []
    for name in gateway.national.in_use:
        entry = gateway.national.entries[name]
        circuit = circuits.get(name)
        numbers = counted.get(name, SystemFigures())
        health = gateway.worker.health.get(name)
        failing = bool(health and health.failing_since)
        error = health.last_error if health else None
        if error is None and numbers.last_dead_error:
            error_class = classify(numbers.last_dead_error, dead=True)
        else:
            error_class = classify(error) if failing else None
        if circuit is not None and circuit.state is CircuitState.open:
            error_class = ErrorClass.circuit_open
        views.append(
            SystemView(
                name=name,
                title=entry.title,
                title_en=entry.title_en,
                health=_health(circuit, numbers, failing),
                circuit=circuit,
                figures=numbers.with_error(error if failing else None),
                error_class=error_class,
                advice=ADVICE[error_class] if error_class else None,
                delivers=name in gateway.worker.health,
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


@router.get("/")
async def overview(
    request: Request, gateway: GatewayDep, console: ConsoleDep, operator: OperatorDep
) -> Response:
    context = {
        "systems": await systems(gateway),
        "pollers": pollers(gateway),
        "now": time.time(),
        "probes": False,
        "probe": None,
    }
    return console.pages.render(request, "overview.html", context, operator=operator)
