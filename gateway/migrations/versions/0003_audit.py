"""An audit record of every access to a citizen's personal data.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("system", sa.String(32), nullable=False),
        sa.Column("caller", sa.String(200), nullable=False),
        sa.Column("officer", sa.String(200), nullable=False),
        sa.Column("purpose", sa.Text, nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("subject_key", sa.String(64), nullable=False),
        sa.Column("subject_masked", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text),
    )
    op.create_index("ix_audit_at", "audit_records", ["at"])
    op.create_index("ix_audit_subject", "audit_records", ["subject_key", "at"])
    op.create_index("ix_audit_dossier", "audit_records", ["dossier_code", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_dossier", "audit_records")
    op.drop_index("ix_audit_subject", "audit_records")
    op.drop_index("ix_audit_at", "audit_records")
    op.drop_table("audit_records")
