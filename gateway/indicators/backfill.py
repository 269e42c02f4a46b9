"""Facts for the dossiers stored before the indicators were kept (migration 0009).

Each stored snapshot is read as the intake reads it, with its first acceptance (``created_at``)
and its first delivery to the portal from the outbox; the sums follow. Evaluations accepted
before then are in the outbox only in the portal's format and are not counted. Snapshots that no
longer read as a canonical dossier (a rule tightened since) are left out and counted.
"""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy import Connection, func, select

from gateway.indicators import tallies
from gateway.indicators.facts import PORTAL, SNAPSHOT, Fact, fact_of
from gateway.store.schema import dossiers, indicator_facts, outbox
from mappings.dossier import Dossier

BATCH = 1000


def backfill(connection: Connection) -> tuple[int, int]:
    """Write the facts of every stored dossier that has none, a thousand at a time;
    (written, unreadable)."""
    synced = dict(
        connection.execute(
            select(outbox.c.ordering_key, func.min(outbox.c.delivered_at))
            .where(outbox.c.target == PORTAL, outbox.c.kind == SNAPSHOT)
            .where(outbox.c.delivered_at.is_not(None))
            .group_by(outbox.c.ordering_key)
        ).all()
    )
    have = select(indicator_facts.c.code).where(indicator_facts.c.code == dossiers.c.code)
    page = (
        select(dossiers.c.code, dossiers.c.snapshot, dossiers.c.created_at)
        .where(~have.exists())
        .order_by(dossiers.c.code)
        .limit(BATCH)
    )
    written = unreadable = 0
    after: str | None = None
    while True:
        query = page if after is None else page.where(dossiers.c.code > after)
        rows = connection.execute(query).all()
        if not rows:
            return written, unreadable
        after = rows[-1].code
        facts: list[Fact] = []
        for row in rows:
            try:
                dossier = Dossier.model_validate_json(row.snapshot)
            except ValidationError:
                unreadable += 1
                continue
            fact = fact_of(dossier, accepted_at=row.created_at)
            synced_at = synced.get(row.code)
            if synced_at is not None:
                fact.update(
                    synced_at=synced_at,
                    synced=1,
                    sync_lag=max(0.0, synced_at - row.created_at),
                )
            facts.append(fact)
        if facts:
            connection.execute(indicator_facts.insert(), facts)
            tallies.apply(connection, removed=[], added=facts)
            written += len(facts)
