"""Outbox counts kept on PostgreSQL without a row that every writer updates: each statement that
changes the outbox appends what it changed, per national system and state, to
``outbox_count_changes``, and the counts are the sum of those rows.

The counter rows of migration 0012 are what PostgreSQL could not have: every replica's intake and
delivery would update the same few rows, wait on each other's row locks, and with them the writes
that beat the workers' leases. Here a statement-level trigger reads the statement's transition
tables (``REFERENCING NEW TABLE`` / ``OLD TABLE``) and inserts one row per national system and
state it changed, whatever the number of outbox rows: inserted rows are never updated, so no
writer waits on another. ``gateway.outbox_count_compaction`` folds the rows into one per national
system and state now and then, so the sum stays a few rows long. The rows already in the outbox
are counted into the table in the migration's transaction, which holds the outbox against writes
from the moment the triggers exist.

SQLite keeps the counter rows of 0012: one writer holds the whole file at a time there, so a
counter row adds no waiting, and SQLite has no statement-level triggers to batch the changes
with. The table is created there too, and stays empty.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

INSERTED = """
CREATE FUNCTION outbox_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_count_changes (target, state, events, retried)
    SELECT target, state, count(*), count(*) FILTER (WHERE attempts > 1)
    FROM inserted GROUP BY target, state;
  RETURN NULL;
END
$$
"""

DELETED = """
CREATE FUNCTION outbox_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_count_changes (target, state, events, retried)
    SELECT target, state, -count(*), -count(*) FILTER (WHERE attempts > 1)
    FROM deleted GROUP BY target, state;
  RETURN NULL;
END
$$
"""

UPDATED = """
CREATE FUNCTION outbox_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbox_count_changes (target, state, events, retried)
    SELECT target, state, sum(events), sum(retried)
    FROM (
      SELECT target, state, 1 AS events, (attempts > 1)::integer AS retried FROM updated
      UNION ALL
      SELECT target, state, -1, -(attempts > 1)::integer FROM replaced
    ) AS moved
    GROUP BY target, state
    HAVING sum(events) <> 0 OR sum(retried) <> 0;
  RETURN NULL;
END
$$
"""

TRIGGERS = (
    "CREATE TRIGGER outbox_count_inserted AFTER INSERT ON outbox "
    "REFERENCING NEW TABLE AS inserted "
    "FOR EACH STATEMENT EXECUTE FUNCTION outbox_count_inserted()",
    "CREATE TRIGGER outbox_count_deleted AFTER DELETE ON outbox "
    "REFERENCING OLD TABLE AS deleted "
    "FOR EACH STATEMENT EXECUTE FUNCTION outbox_count_deleted()",
    "CREATE TRIGGER outbox_count_updated AFTER UPDATE ON outbox "
    "REFERENCING OLD TABLE AS replaced NEW TABLE AS updated "
    "FOR EACH STATEMENT EXECUTE FUNCTION outbox_count_updated()",
)

NAMES = ("outbox_count_inserted", "outbox_count_deleted", "outbox_count_updated")


def upgrade() -> None:
    op.create_table(
        "outbox_count_changes",
        sa.Column("target", sa.String(32), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("events", sa.BigInteger, nullable=False, comment="outbox rows added (or < 0)"),
        sa.Column(
            "retried", sa.BigInteger, nullable=False, comment="of those, tried more than once"
        ),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for function in (INSERTED, DELETED, UPDATED):
        op.execute(function)
    for trigger in TRIGGERS:
        op.execute(trigger)
    op.execute(
        "INSERT INTO outbox_count_changes (target, state, events, retried) "
        "SELECT target, state, count(*), count(*) FILTER (WHERE attempts > 1) "
        "FROM outbox GROUP BY target, state"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON outbox")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("outbox_count_changes")
