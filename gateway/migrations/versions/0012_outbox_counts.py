"""Outbox counts kept as rows change, on SQLite: events per national system and state, and how
many of them were tried more than once, so ``GET /v1/status`` reads a few rows instead of grouping
the whole outbox. Triggers keep them in the transaction that changes the outbox, whatever code
changes it; they are filled from the rows already there.

PostgreSQL gets the table but no triggers, and ``gateway.outbox.counts`` groups the outbox there
as before: kept counts are a few rows that every replica's intake and delivery update, so the
replicas' transactions queue on them, and with them the writes that beat the workers' leases. In
a chaos run (three replicas, one killed twice under faults) with counts kept by statement
triggers, leases ran out and events were delivered twice and out of order.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER outbox_counts_inserted AFTER INSERT ON outbox
    BEGIN
      INSERT OR IGNORE INTO outbox_counts (target, state, events, retried)
        VALUES (NEW.target, NEW.state, 0, 0);
      UPDATE outbox_counts SET events = events + 1, retried = retried + (NEW.attempts > 1)
        WHERE target = NEW.target AND state = NEW.state;
    END
    """,
    """
    CREATE TRIGGER outbox_counts_deleted AFTER DELETE ON outbox
    BEGIN
      UPDATE outbox_counts SET events = events - 1, retried = retried - (OLD.attempts > 1)
        WHERE target = OLD.target AND state = OLD.state;
    END
    """,
    """
    CREATE TRIGGER outbox_counts_updated AFTER UPDATE OF target, state, attempts ON outbox
    WHEN OLD.target IS NOT NEW.target OR OLD.state IS NOT NEW.state
      OR (OLD.attempts > 1) IS NOT (NEW.attempts > 1)
    BEGIN
      UPDATE outbox_counts SET events = events - 1, retried = retried - (OLD.attempts > 1)
        WHERE target = OLD.target AND state = OLD.state;
      INSERT OR IGNORE INTO outbox_counts (target, state, events, retried)
        VALUES (NEW.target, NEW.state, 0, 0);
      UPDATE outbox_counts SET events = events + 1, retried = retried + (NEW.attempts > 1)
        WHERE target = NEW.target AND state = NEW.state;
    END
    """,
)


def upgrade() -> None:
    op.create_table(
        "outbox_counts",
        sa.Column("target", sa.String(32), primary_key=True),
        sa.Column("state", sa.String(16), primary_key=True),
        sa.Column("events", sa.Integer, nullable=False, comment="outbox rows in this state"),
        sa.Column("retried", sa.Integer, nullable=False, comment="of those, tried more than once"),
    )
    if op.get_bind().dialect.name == "postgresql":
        return
    op.execute(
        "INSERT INTO outbox_counts (target, state, events, retried) "
        "SELECT target, state, count(*), sum(CASE WHEN attempts > 1 THEN 1 ELSE 0 END) "
        "FROM outbox GROUP BY target, state"
    )
    for trigger in SQLITE_TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for name in ("outbox_counts_inserted", "outbox_counts_deleted", "outbox_counts_updated"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("outbox_counts")
