"""Documents exchanged through the national axis, and their status timelines.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("direction", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("national_id", sa.String(300), nullable=False),
        sa.Column("from_organ", sa.String(32), nullable=False),
        sa.Column("to_organs", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("business", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("package", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("acknowledged_at", sa.Float),
        sa.UniqueConstraint("direction", "national_id", name="uq_documents_national_id"),
    )
    op.create_index(
        "ix_documents_inbox", "documents", ["direction", "kind", "acknowledged_at", "created_at"]
    )
    op.create_table(
        "document_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document", sa.String(64), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("code", sa.String(4)),
        sa.Column("organ_id", sa.String(32)),
        sa.Column("description", sa.Text),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("ix_document_events_document", "document_events", ["document", "id"])


def downgrade() -> None:
    op.drop_index("ix_document_events_document", "document_events")
    op.drop_table("document_events")
    op.drop_index("ix_documents_inbox", "documents")
    op.drop_table("documents")
