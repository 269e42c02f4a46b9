"""Periodic reports submitted to the national reporting system: one row per submission of a
period's report for a unit, with the report as sent, the outbox event that carries it, and the
receipt the system gave (or why it refused).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_submissions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("period", sa.String(16), nullable=False, comment="2026-Q4, 2026-H2, 2026, ..."),
        sa.Column("unit", sa.String(64), nullable=False, comment="the reporting unit"),
        sa.Column(
            "request_id",
            sa.String(100),
            nullable=False,
            unique=True,
            comment="MaYeuCau: the submission's id, the same on every attempt",
        ),
        sa.Column("requested_by", sa.String(200), nullable=False, comment="schedule, or who"),
        sa.Column("report", sa.Text, nullable=False, comment="the report as sent (BaoCao JSON)"),
        sa.Column("outbox_event", sa.Integer, comment="outbox.id of the delivery"),
        sa.Column("state", sa.String(16), nullable=False, comment="queued | received | refused"),
        sa.Column("receipt", sa.String(64), comment="MaBienNhan, once received"),
        sa.Column("submission", sa.Integer, comment="LanNop: 1, +1 for each replacing report"),
        sa.Column("received_at", sa.Float, comment="ThoiGianTiepNhan, as the system gave it"),
        sa.Column("error", sa.Text, comment="why the system refused it"),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_index("ix_report_submissions_period", "report_submissions", ["period", "unit", "id"])


def downgrade() -> None:
    op.drop_index("ix_report_submissions_period", table_name="report_submissions")
    op.drop_table("report_submissions")
