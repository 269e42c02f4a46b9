"""A claim on PostgreSQL leases at most ``limit`` rows, whatever plan the server picks.

``UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)`` lets the planner run the
locking subquery more than once; under a generic plan (what a prepared statement falls back to)
it did, and one claim of 25 leased hundreds of rows for minutes. Here the server is made to use
generic plans for every prepared statement, and statements are prepared at once.
"""

from __future__ import annotations

import time

from sqlalchemy import create_engine

from gateway import outbox
from gateway.store import sync_url
from gateway.store.engine import migrate


def test_a_claim_under_a_generic_plan_leases_no_more_than_asked(postgres_url: str) -> None:
    engine = create_engine(
        sync_url(postgres_url),
        connect_args={
            "prepare_threshold": 0,
            "options": "-c plan_cache_mode=force_generic_plan -c statement_timeout=20000",
        },
    )
    try:
        migrate(engine)
        with engine.begin() as connection:
            for _ in range(12):
                assert outbox.claim(connection, owner="a", limit=25, lease_seconds=60) == []
            outbox.enqueue(
                connection,
                [
                    outbox.NewEvent(
                        "national_portal", "snapshot", f"dossier-{n % 500}", "{}", f"k{n}"
                    )
                    for n in range(2000)
                ],
            )
        started = time.monotonic()
        with engine.begin() as connection:
            claimed = outbox.claim(connection, owner="a", limit=25, lease_seconds=60)
        assert len(claimed) == 25, (
            f"{len(claimed)} rows leased in {time.monotonic() - started:.1f} s"
        )
        assert len({row.ordering_key for row in claimed}) == 25
    finally:
        engine.dispose()
