"""Outbox counts kept as rows change: events per national system and state, and how many of
them were tried more than once, so ``GET /v1/status`` reads a few rows instead of grouping the
whole outbox. Triggers keep them in the transaction that changes the outbox, whatever code
changes it; filled from the rows already there.

SQLite counts row by row. PostgreSQL counts each statement's rows at once (transition tables),
so a claim or a lease extended, which changes neither state nor the tried-more-than-once mark,
writes nothing, and replicas do not queue on the counts' rows for them.

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

_POSTGRESQL_ADD = """
    INSERT INTO outbox_counts AS kept (target, state, events, retried)
    SELECT target, state, sum(events), sum(retried) FROM ({changes}) AS change
    GROUP BY target, state
    HAVING sum(events) <> 0 OR sum(retried) <> 0
    ON CONFLICT (target, state) DO UPDATE
      SET events = kept.events + EXCLUDED.events, retried = kept.retried + EXCLUDED.retried
"""
_ADDED = "SELECT target, state, 1 AS events, (attempts > 1)::int AS retried FROM added_rows"
_REMOVED = "SELECT target, state, -1 AS events, -((attempts > 1)::int) AS retried FROM removed_rows"

POSTGRESQL_FUNCTIONS = {
    "outbox_counts_inserted": _POSTGRESQL_ADD.format(changes=_ADDED),
    "outbox_counts_deleted": _POSTGRESQL_ADD.format(changes=_REMOVED),
    "outbox_counts_updated": _POSTGRESQL_ADD.format(changes=f"{_REMOVED} UNION ALL {_ADDED}"),
}
POSTGRESQL_TRIGGERS = {
    "outbox_counts_inserted": "AFTER INSERT ON outbox REFERENCING NEW TABLE AS added_rows",
    "outbox_counts_deleted": "AFTER DELETE ON outbox REFERENCING OLD TABLE AS removed_rows",
    "outbox_counts_updated": (
        "AFTER UPDATE ON outbox REFERENCING OLD TABLE AS removed_rows NEW TABLE AS added_rows"
    ),
}


def upgrade() -> None:
    op.create_table(
        "outbox_counts",
        sa.Column("target", sa.String(32), primary_key=True),
        sa.Column("state", sa.String(16), primary_key=True),
        sa.Column("events", sa.Integer, nullable=False, comment="outbox rows in this state"),
        sa.Column("retried", sa.Integer, nullable=False, comment="of those, tried more than once"),
    )
    op.execute(
        "INSERT INTO outbox_counts (target, state, events, retried) "
        "SELECT target, state, count(*), sum(CASE WHEN attempts > 1 THEN 1 ELSE 0 END) "
        "FROM outbox GROUP BY target, state"
    )
    if op.get_bind().dialect.name == "postgresql":
        for name, body in POSTGRESQL_FUNCTIONS.items():
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n{body};\nRETURN NULL;\nEND\n$$"
            )
            op.execute(
                f"CREATE TRIGGER {name} {POSTGRESQL_TRIGGERS[name]} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
            )
    else:
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for name in POSTGRESQL_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}" + (" ON outbox" if postgresql else ""))
        if postgresql:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("outbox_counts")
