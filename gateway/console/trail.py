"""Every operator action goes to the operator audit trail (``gateway.operations``): sign-in and
sign-out, replay, discard, test, export, download. Replays, discards, tests and the export of the
trail are audited by the service itself, in the transaction of their effect; what the console
does on its own (signing in, downloading) is recorded here."""

from __future__ import annotations

from gateway.bootstrap import Gateway
from gateway.console.access import Operator
from gateway.operations import Action
from gateway.operations import Operator as Actor


def actor(operator: Operator) -> Actor:
    """The operator as the audit trail names them: their account and their name."""
    return Actor(id=operator.account, name=operator.name)


async def record(
    gateway: Gateway,
    operator: Operator,
    action: Action | str,
    *,
    count: int = 0,
    detail: str | None = None,
    selection: dict[str, object] | None = None,
) -> None:
    """Write one action of ``operator`` to the trail."""
    await gateway.operations.record(
        actor(operator), action, count=count, detail=detail, selection=selection
    )
