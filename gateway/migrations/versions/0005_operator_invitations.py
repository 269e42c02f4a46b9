"""One-time sign-in links to the operator console (``lienthong operators invite``): only the
link's hash is kept, with whom it signs in, as what, until when, and whether it was used.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "operator_invitations",
        sa.Column(
            "token_sha256",
            sa.String(64),
            primary_key=True,
            comment="SHA-256 of the one-time link",
        ),
        sa.Column("name", sa.String(200), nullable=False, comment="who the link signs in"),
        sa.Column("role", sa.String(16), nullable=False, comment="viewer | operator | admin"),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("expires_at", sa.Float, nullable=False),
        sa.Column("used_at", sa.Float, comment="when the link signed its person in; it works once"),
    )


def downgrade() -> None:
    op.drop_table("operator_invitations")
