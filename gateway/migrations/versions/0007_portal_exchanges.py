"""The portal's questions, catalogue and reconciliation: the inbox of questions citizens sent on
the portal (stored once by their id), every version of the national catalogue with its entries
and how it differed from the one before, and each reconciliation with its plan and who applied it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "questions",
        sa.Column("id", sa.String(64), primary_key=True, comment="the portal's HOIDAPID"),
        sa.Column("question", sa.Text, nullable=False, comment="the canonical Question, as JSON"),
        sa.Column("received_at", sa.Float, nullable=False),
        sa.Column("answered_at", sa.Float, comment="when the province's last answer was accepted"),
        sa.Column(
            "answers", sa.Integer, nullable=False, comment="answers accepted, each queued once"
        ),
    )
    op.create_index("ix_questions_inbox", "questions", ["answered_at", "received_at", "id"])

    op.create_table(
        "catalogue_versions",
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "fetched_at", sa.Float, nullable=False, comment="when this version was first fetched"
        ),
        sa.Column(
            "checked_at", sa.Float, nullable=False, comment="when a sync last found it current"
        ),
        sa.Column(
            "digest",
            sa.String(64),
            nullable=False,
            comment="SHA-256 of every entry of every list",
        ),
        sa.Column("counts", sa.Text, nullable=False, comment="entries per list, as JSON"),
        sa.Column("changes", sa.Text, nullable=False, comment="added, changed, withdrawn, as JSON"),
    )
    op.create_table(
        "catalogue_entries",
        sa.Column("version", sa.Integer, primary_key=True, comment="catalogue_versions.version"),
        sa.Column(
            "list", sa.String(32), primary_key=True, comment="procedures, fields, religions, ..."
        ),
        sa.Column("code", sa.String(64), primary_key=True, comment="as the portal codes it"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column(
            "body", sa.Text, nullable=False, comment="the entry as the portal sent it, as JSON"
        ),
        sa.Column("digest", sa.String(64), nullable=False, comment="SHA-256 of body"),
    )

    op.create_table(
        "reconciliations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column(
            "actor",
            sa.String(200),
            nullable=False,
            comment="who ran it: an operator or os:<user>",
        ),
        sa.Column("scope", sa.Text, nullable=False, comment="since and dossier, as JSON"),
        sa.Column(
            "compared", sa.Integer, nullable=False, comment="dossiers compared with the portal"
        ),
        sa.Column("differences", sa.Integer, nullable=False),
        sa.Column(
            "plan",
            sa.Text,
            nullable=False,
            comment="the differences and their repairs, as JSON",
        ),
        sa.Column("applied_at", sa.Float, comment="when its repairs were queued"),
        sa.Column("applied_by", sa.String(200)),
        sa.Column("reason", sa.Text, comment="why the operator applied it"),
        sa.Column("queued", sa.Integer, comment="events its repairs queued"),
    )
    op.create_index("ix_reconciliations_created", "reconciliations", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_reconciliations_created", "reconciliations")
    op.drop_table("reconciliations")
    op.drop_table("catalogue_entries")
    op.drop_table("catalogue_versions")
    op.drop_index("ix_questions_inbox", "questions")
    op.drop_table("questions")
