"""Land dossiers forwarded to the provincial land system: one row per dossier with its receipt
number there, whether it was forwarded, the last status pulled back, what the land office asks for, and the version the
one-stop system took; the results' files; and the timeline of events.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "land_dossiers",
        sa.Column("code", sa.String(64), primary_key=True, comment="the one-stop dossier code"),
        sa.Column(
            "receipt", sa.String(64), nullable=False, comment="SoBienNhan at the land office"
        ),
        sa.Column("procedure_code", sa.String(64), nullable=False),
        sa.Column(
            "state",
            sa.String(16),
            nullable=False,
            comment="queued | forwarded | unforwardable (reason)",
        ),
        sa.Column("status", sa.String(32), comment="the land office's last status, pulled back"),
        sa.Column("status_at", sa.Float, comment="when the land office set it"),
        sa.Column("supplement", sa.Text, comment="what the land office asks the applicant for"),
        sa.Column("supplement_due", sa.Float),
        sa.Column("reason", sa.Text, comment="why it cannot be forwarded, or was refused"),
        sa.Column("version", sa.Integer, nullable=False, comment="+1 for each change pulled back"),
        sa.Column(
            "taken_version", sa.Integer, nullable=False, comment="the version the province took"
        ),
        sa.Column("forwarded_at", sa.Float, nullable=False),
        sa.Column("checked_at", sa.Float, nullable=False, comment="when it was last asked about"),
        sa.Column("updated_at", sa.Float, nullable=False),
    )
    op.create_index("ix_land_dossiers_receipt", "land_dossiers", ["receipt"])
    op.create_index("ix_land_dossiers_checked", "land_dossiers", ["state", "status", "checked_at"])
    op.create_index("ix_land_dossiers_news", "land_dossiers", ["updated_at", "code"])
    op.create_table(
        "land_results",
        sa.Column("dossier", sa.String(64), primary_key=True, comment="land_dossiers.code"),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("number", sa.String(100)),
        sa.Column("signed_on", sa.String(10)),
        sa.Column("file_name", sa.Text),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "land_dossier_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dossier", sa.String(64), nullable=False, comment="the one-stop dossier code"),
        sa.Column(
            "event",
            sa.String(32),
            nullable=False,
            comment="forwarded, status, supplement_sent, handover_sent, unreadable",
        ),
        sa.Column("status", sa.String(32)),
        sa.Column("outbox_event", sa.Integer, comment="outbox.id of what was sent"),
        sa.Column("description", sa.Text),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("ix_land_dossier_events_dossier", "land_dossier_events", ["dossier", "id"])


def downgrade() -> None:
    op.drop_table("land_dossier_events")
    op.drop_table("land_results")
    op.drop_table("land_dossiers")
