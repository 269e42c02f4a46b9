"""An index of the outbox's failing events (dead, or pending and tried or failed at least once),
so that how each national system stands (the console's overview) and the search of failed events
read those events alone, newest first as operators page through them, instead of the whole
outbox. With a million pending events on SQLite, the overview's two grouping queries took 1.4 s
and a page of failed events up to 0.5 s. (An error is not a column of the index: PostgreSQL
refuses an index entry larger than a third of a page, and a national system's error can be
longer. An index of pending events by system, for the oldest one's age, was tried and left out:
on PostgreSQL it halved the delivery of batches.)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

FAILING = "state = 'dead' OR (state = 'pending' AND (attempts > 0 OR last_error IS NOT NULL))"


def upgrade() -> None:
    op.create_index(
        "ix_outbox_failing",
        "outbox",
        ["id"],
        sqlite_where=sa.text(FAILING),
        postgresql_where=sa.text(FAILING),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_failing", table_name="outbox")
