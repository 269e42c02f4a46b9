"""The figures the overview shows per national system, read from the outbox in one pass.

Today is the province's day (Asia/Ho_Chi_Minh), whatever the server's time zone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection, case, func, select

from gateway.bootstrap import Gateway
from gateway.console.i18n import ZONE
from gateway.outbox import State
from gateway.store.schema import outbox


@dataclass(frozen=True, slots=True)
class SystemFigures:
    pending: int = 0
    retrying: int = 0
    """Pending events tried at least once."""
    oldest_pending_at: float | None = None
    delivered_today: int = 0
    dead: int = 0
    """Dead events waiting for an operator."""
    dead_today: int = 0
    last_success_at: float | None = None
    last_error: str | None = None
    last_dead_error: str | None = None

    @property
    def oldest_pending_age(self) -> float | None:
        return None if self.oldest_pending_at is None else time.time() - self.oldest_pending_at

    def with_error(self, error: str | None) -> SystemFigures:
        return replace(self, last_error=error or self.last_error)


def start_of_today(now: float | None = None) -> float:
    moment = datetime.fromtimestamp(now if now is not None else time.time(), ZONE)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def read_figures(connection: Connection, today: float) -> dict[str, SystemFigures]:
    """Per target: the backlog and its oldest event, today's deliveries and deaths, the last
    delivery, and the reason of the newest dead event."""
    pending = outbox.c.state == State.pending.value
    dead = outbox.c.state == State.dead.value
    delivered_today = (outbox.c.state == State.delivered.value) & (outbox.c.delivered_at >= today)
    rows = connection.execute(
        select(
            outbox.c.target,
            func.sum(case((pending, 1), else_=0)),
            func.sum(case((pending & (outbox.c.attempts > 0), 1), else_=0)),
            func.min(case((pending, outbox.c.created_at), else_=None)),
            func.sum(case((delivered_today, 1), else_=0)),
            func.sum(case((dead, 1), else_=0)),
            func.sum(case((dead & (outbox.c.due_at >= today), 1), else_=0)),
            func.max(outbox.c.delivered_at),
        ).group_by(outbox.c.target)
    )
    found = {}
    for target, waiting, retrying, oldest, delivered, dead_count, dead_now, last in rows:
        found[target] = SystemFigures(
            pending=int(waiting or 0),
            retrying=int(retrying or 0),
            oldest_pending_at=oldest,
            delivered_today=int(delivered or 0),
            dead=int(dead_count or 0),
            dead_today=int(dead_now or 0),
            last_success_at=last,
        )
    for target, figures in list(found.items()):
        if figures.dead:
            error = connection.execute(
                select(outbox.c.last_error)
                .where(outbox.c.target == target, dead)
                .order_by(outbox.c.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            found[target] = replace(figures, last_dead_error=error)
    return found


async def figures(gateway: Gateway) -> dict[str, SystemFigures]:
    today = start_of_today()
    counted = await gateway.store.read(lambda connection: read_figures(connection, today))
    for name, health in gateway.worker.health.items():
        if health.last_success_at is not None and name in counted:
            known = counted[name].last_success_at or 0.0
            counted[name] = replace(
                counted[name], last_success_at=max(known, health.last_success_at)
            )
    return counted
