"""The outbox's append lock on PostgreSQL: asked of the server once a transaction, and held by
every transaction that asked, the next one on the same pooled connection included."""

from __future__ import annotations

from sqlalchemy import Connection, create_engine, event, text

from gateway import outbox
from gateway.store import sync_url

TRY = text("SELECT pg_try_advisory_xact_lock(:key)")


def _free(other: Connection) -> bool:
    with other.begin():
        taken = bool(other.execute(TRY, {"key": outbox.APPEND_LOCK}).scalar_one())
    return taken


def test_each_transaction_holds_the_lock_it_asked_for_and_asks_once(postgres_url: str) -> None:
    engine = create_engine(sync_url(postgres_url), pool_size=2)
    asked: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def count(*args: object) -> None:
        if "pg_advisory_xact_lock" in str(args[2]):
            asked.append("lock")

    try:
        with engine.connect() as connection, engine.connect() as other:
            for _ in range(2):
                with connection.begin():
                    outbox.hold_append_lock(connection)
                    outbox.hold_append_lock(connection)
                    assert not _free(other)
                assert _free(other)
            assert asked == ["lock", "lock"]
    finally:
        engine.dispose()
