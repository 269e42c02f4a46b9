"""Every operator action goes to the operator audit trail: sign-in and sign-out, replay,
discard, test, export, download."""

from __future__ import annotations

import logging

from gateway.bootstrap import Gateway
from gateway.console.access import Operator

log = logging.getLogger("gateway.console.actions")


async def record(
    gateway: Gateway,
    operator: Operator,
    action: str,
    *,
    target: str | None = None,
    detail: str | None = None,
) -> None:
    """Write one action of ``operator`` to the trail."""
    log.info("%s: %s %s %s", operator.label, action, target or "", detail or "")
