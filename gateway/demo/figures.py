"""The figures of what the demo pushed: ``GET /v1/indicators`` over the days its dossiers were
received, as the province's operators would read them (``gateway.indicators``).

Counted once every event is delivered, so the share synced to the portal is the demo's whole
run. On a database that held dossiers before, the days of the demo's dossiers count theirs too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from rich.console import Console

from gateway.demo.servers import DemoError
from gateway.demo.traffic import DemoEvent, SnapshotEvent
from mappings.dossier import VIETNAM


@dataclass(frozen=True, slots=True)
class DemoFigures:
    start: str
    end: str
    counts: dict[str, Any]
    """``total.counts`` of the answer: received, on_time, late, online, synced, ..."""
    score: float | None
    """The projected QĐ 766 score out of 100."""
    scores: dict[str, float | None] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "from": self.start,
            "to": self.end,
            "counts": self.counts,
            "score": None if self.score is None else round(self.score, 2),
            "scores": {k: None if v is None else round(v, 2) for k, v in self.scores.items()},
        }


async def figures_of(gateway: httpx.AsyncClient, events: Sequence[DemoEvent]) -> DemoFigures:
    """The figures of the days from the demo's first dossier received to its last."""
    days = sorted(
        event.dossier.received_at.astimezone(VIETNAM).date()
        for event in events
        if isinstance(event, SnapshotEvent) and event.dossier.received_at is not None
    )
    if not days:
        raise DemoError("the demo generated no dossier to count figures of")
    period = {"from": days[0].isoformat(), "to": days[-1].isoformat()}
    reply = await gateway.get("/v1/indicators", params=period)
    if reply.status_code != 200:
        raise DemoError(f"GET /v1/indicators answered {reply.status_code}: {reply.text[:300]}")
    answer = reply.json()
    return DemoFigures(
        start=period["from"],
        end=period["to"],
        counts=answer["total"]["counts"],
        score=answer["score"],
        scores={group["group"]: group["score"] for group in answer["scores"]},
    )


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def render_figures(console: Console, figures: DemoFigures) -> None:
    """A short block of the figures for a person at a terminal."""
    c = figures.counts
    received, resolved = c["received"], c["resolved"]
    lag = c["sync_lag_seconds"]
    score = "-" if figures.score is None else f"{figures.score:.1f}"
    console.print(
        f"Figures of the dossiers received {figures.start} to {figures.end} "
        f"(GET /v1/indicators): {received} received, {resolved} resolved, "
        f"{c['on_time']} on time ({_share(c['on_time'], resolved)}), {c['late']} late, "
        f"{c['overdue']} overdue; {_share(c['online'], received)} online, "
        f"{_share(c['paid_online'], received)} paid online, "
        f"{_share(c['digitised'], received)} with digitised components, "
        f"{_share(c['prefilled'], received)} filled from national databases, "
        f"{_share(c['reused'], received)} reusing an earlier result, "
        f"{_share(c['results_digitised'], resolved)} of results issued as files; "
        f"{c['satisfied']} of {c['evaluated']} evaluations satisfied; "
        f"{c['synced']} synced to the portal"
        + (f" ({lag:.1f} s after acceptance on average)" if lag is not None else "")
        + f"; projected QĐ 766 score {score} / 100.",
        markup=False,
    )
