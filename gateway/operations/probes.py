"""The "test now" of a national system: its probe (``NationalSystem.probe``) run through the
adapter the gateway uses, within a time limit, its answer kept for the overview.

A probe proves the system answers and accepts our credentials, and changes nothing there. What
it said (or how it failed, as the adapter's error names it) is kept per system, the last one
only; the operator action audit keeps every test.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Connection, Executable, select
from sqlalchemy.dialects import postgresql, sqlite

from adapters import AdapterError, NationalSystem
from gateway.logging import mask_personal_data
from gateway.store.schema import system_probes

PROBE_SECONDS = 30.0
"""How long a probe may take, retries included, before it counts as failed."""


@dataclass(frozen=True, slots=True)
class ProbeResult:
    system: str
    at: float
    ok: bool
    detail: str
    """What the system said, or how the probe failed."""
    actor: str


async def run_probe(
    system: NationalSystem[Any],
    adapter: object,
    config: object,
    *,
    seconds: float = PROBE_SECONDS,
) -> tuple[bool, str]:
    """Run ``system``'s probe: ``(True, what it said)`` or ``(False, why it failed)``."""
    if system.probe is None:
        return False, f"{system.name} has no probe: it cannot be tested from here"
    try:
        async with asyncio.timeout(seconds):
            said = await system.probe(adapter, config)
    except TimeoutError:
        return False, f"{system.name} did not answer within {seconds:.0f} s"
    except AdapterError as error:
        return False, mask_personal_data(str(error))
    except Exception as error:  # a probe must report, never raise, whatever went wrong
        return False, mask_personal_data(f"{type(error).__name__}: {error}")
    return True, mask_personal_data(said)


@cache
def _upsert(dialect_name: str) -> Executable:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(system_probes)
    upsert: Executable = statement.on_conflict_do_update(
        index_elements=[system_probes.c.system],
        set_={
            "at": statement.excluded.at,
            "ok": statement.excluded.ok,
            "detail": statement.excluded.detail,
            "actor": statement.excluded.actor,
        },
    )
    return upsert


def keep_probe(connection: Connection, result: ProbeResult) -> None:
    """Keep ``result`` as its system's last probe."""
    connection.execute(
        _upsert(connection.dialect.name),
        {
            "system": result.system,
            "at": result.at,
            "ok": result.ok,
            "detail": result.detail,
            "actor": result.actor,
        },
    )


def last_probes(connection: Connection) -> dict[str, ProbeResult]:
    """The last probe of each system that had one, by system name."""
    return {
        row.system: ProbeResult(row.system, row.at, bool(row.ok), row.detail, row.actor)
        for row in connection.execute(select(system_probes))
    }


def probe_result(system: str, ok: bool, detail: str, actor: str) -> ProbeResult:
    return ProbeResult(system, time.time(), ok, detail, actor)
