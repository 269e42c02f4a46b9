"""Inter-connected submissions (DVCLT birth and death bundles): each stored once by its DVCLT
code with its form, state (new, taken, set aside with the reason), the province's code and last
reported status; its attachments; and its timeline of events.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "linked_dossiers",
        sa.Column(
            "code", sa.String(64), primary_key=True, comment="the DVCLT dossier code (maHoSo)"
        ),
        sa.Column(
            "submission_id", sa.String(128), nullable=False, comment="the national system's id"
        ),
        sa.Column(
            "module", sa.String(8), nullable=False, comment="KS birth | KT death registration"
        ),
        sa.Column("procedure_code", sa.String(64), nullable=False),
        sa.Column(
            "unit_code",
            sa.String(16),
            nullable=False,
            comment="the district or commune it is for",
        ),
        sa.Column(
            "national_received", sa.String(16), nullable=False, comment="ngayTiepNhan as given"
        ),
        sa.Column(
            "account", sa.String(128), nullable=False, comment="techId: the citizen's account"
        ),
        sa.Column("state", sa.String(16), nullable=False, comment="new | taken | set_aside"),
        sa.Column("reason", sa.Text, comment="why the gateway could not take it (set_aside)"),
        sa.Column(
            "status", sa.String(32), comment="the last handling the one-stop system reported"
        ),
        sa.Column("province_code", sa.String(64), comment="the one-stop system's own code of it"),
        sa.Column(
            "supplement_requested_at",
            sa.Float,
            comment="when a supplement was asked for that the citizen has not sent yet",
        ),
        sa.Column(
            "version", sa.Integer, nullable=False, comment="1, +1 each time it was resubmitted"
        ),
        sa.Column("form", sa.Text, nullable=False, comment="the form's XML as received"),
        sa.Column(
            "record", sa.Text, comment="the canonical Submission as JSON (none while set aside)"
        ),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column(
            "listed_at", sa.Float, nullable=False, comment="when it last entered the inbox"
        ),
        sa.Column("updated_at", sa.Float, nullable=False),
        sa.Column("acknowledged_at", sa.Float, comment="when the one-stop system took it"),
        sa.Column(
            "national_acknowledged_at", sa.Float, comment="when the national system was told"
        ),
    )
    op.create_index("ix_linked_dossiers_inbox", "linked_dossiers", ["state", "listed_at", "code"])
    op.create_index(
        "ix_linked_dossiers_module",
        "linked_dossiers",
        ["module", "state", "listed_at", "code"],
    )
    op.create_table(
        "linked_attachments",
        sa.Column(
            "dossier", sa.String(64), primary_key=True, comment="linked_dossiers.code"
        ),
        sa.Column(
            "id",
            sa.String(128),
            primary_key=True,
            comment="the national system's id of the file",
        ),
        sa.Column(
            "position", sa.Integer, nullable=False, comment="its place in the submission"
        ),
        sa.Column("document_type", sa.String(64), comment="loaiGiayTo"),
        sa.Column("name", sa.Text, comment="tenGiayTo: what the paper is"),
        sa.Column("file_name", sa.Text, comment="tenTepDinhKem"),
        sa.Column("withdrawn", sa.Boolean, nullable=False, comment="huyGiayTo = 1"),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "linked_dossier_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("dossier", sa.String(64), nullable=False, comment="linked_dossiers.code"),
        sa.Column(
            "event",
            sa.String(32),
            nullable=False,
            comment="received, set_aside, resubmitted, acknowledged, taken, status",
        ),
        sa.Column("status", sa.String(32), comment="the handling reported, for a status"),
        sa.Column("outbox_event", sa.Integer, comment="outbox.id of the status sent back"),
        sa.Column("description", sa.Text),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index(
        "ix_linked_dossier_events_dossier", "linked_dossier_events", ["dossier", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_linked_dossier_events_dossier", table_name="linked_dossier_events")
    op.drop_table("linked_dossier_events")
    op.drop_table("linked_attachments")
    op.drop_index("ix_linked_dossiers_module", table_name="linked_dossiers")
    op.drop_index("ix_linked_dossiers_inbox", table_name="linked_dossiers")
    op.drop_table("linked_dossiers")
