"""The service-quality indicators: one row of facts per dossier, and their sums per day and unit
and per month, unit, procedure and field; filled from the dossiers already stored.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from gateway.indicators.backfill import backfill

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COUNTS = (
    ("received", "1: a dossier received"),
    ("online", "received online (KenhThucHien 2)"),
    ("paid_online", "paid online (DuocThanhToanTrucTuyen)"),
    ("digitised", "with digitised components (HoSoCoThanhPhanSoHoa, TaiLieuNop.DuocSoHoa)"),
    ("results_digitised", "with a result issued as a file (DanhSachGiayToKetQua)"),
    ("reused", "reusing a digitised result (DuocTaiSuDung, MaKetQuaThayThe, DuocLayTuKhoDMQG)"),
    ("prefilled", "using a national database (DSKetNoiCSDL)"),
    ("vneid", "applicant authenticated with VNeID (TaiKhoanDuocXacThucVoiVNeID)"),
    ("resolved", "resolved (NgayKetThucXuLy, or status resolved or returned)"),
    ("on_time", "resolved by its due time (NgayKetThucXuLy <= NgayHenTra)"),
    ("late", "resolved after its due time"),
    ("open", "still in progress (neither resolved, refused, withdrawn nor stopped)"),
    ("synced", "delivered to the national portal at least once"),
    ("evaluated", "evaluated by its applicant"),
    ("satisfied", "evaluated, with a mean score at the satisfied score or above"),
)


def _counts() -> list[sa.Column[int]]:
    columns: list[sa.Column[int]] = [
        sa.Column(name, sa.Integer, nullable=False, comment=comment) for name, comment in COUNTS
    ]
    columns.append(
        sa.Column(
            "sync_lag",
            sa.Float,
            nullable=False,
            comment="seconds from acceptance to first delivery",
        )
    )
    return columns


def _levels(*, unit: bool) -> list[sa.Column[str]]:
    columns = [
        sa.Column("province", sa.String(16), nullable=False, comment="level 1: 000.00.00.Hnn"),
        sa.Column("district", sa.String(16), nullable=False, comment="level 2: 000.00.Y1Y2.Hnn"),
        sa.Column("commune", sa.String(16), nullable=False, comment="level 3: 000.Z1Z2.Y1Y2.Hnn"),
    ]
    if unit:
        columns.append(
            sa.Column(
                "unit", sa.String(16), nullable=False, comment="the handling unit (DonViXuLy)"
            )
        )
    return columns


def upgrade() -> None:
    op.create_table(
        "indicator_facts",
        sa.Column("code", sa.String(64), primary_key=True, comment="dossiers.code"),
        *_levels(unit=True),
        sa.Column("procedure_code", sa.String(64), nullable=False),
        sa.Column(
            "field_code", sa.String(100), nullable=False, comment="MaLinhVuc, empty when unknown"
        ),
        sa.Column(
            "day",
            sa.String(10),
            nullable=False,
            comment="YYYY-MM-DD of received_at, Vietnam time",
        ),
        sa.Column(
            "received_at", sa.Float, nullable=False, comment="NgayTiepNhan, else NgayNopHoSo"
        ),
        sa.Column("due_at", sa.Float, comment="NgayHenTra"),
        sa.Column("finished_at", sa.Float, comment="NgayKetThucXuLy, else NgayTra"),
        sa.Column(
            "accepted_at",
            sa.Float,
            nullable=False,
            comment="when the gateway first accepted it",
        ),
        sa.Column("synced_at", sa.Float, comment="when the portal first took it"),
        sa.Column("score", sa.Float, comment="the mean score of its latest evaluation"),
        *_counts(),
    )
    op.create_index("ix_indicator_facts_day", "indicator_facts", ["day"])
    op.create_index(
        "ix_indicator_facts_open",
        "indicator_facts",
        ["day", "due_at"],
        sqlite_where=sa.text("open = 1"),
        postgresql_where=sa.text("open = 1"),
    )
    op.create_table(
        "indicator_days",
        sa.Column("day", sa.String(10), primary_key=True, comment="YYYY-MM-DD, Vietnam time"),
        sa.Column("unit", sa.String(16), primary_key=True),
        *_levels(unit=False),
        *_counts(),
    )
    op.create_table(
        "indicator_months",
        sa.Column("month", sa.String(7), primary_key=True, comment="YYYY-MM, Vietnam time"),
        sa.Column("unit", sa.String(16), primary_key=True),
        sa.Column("procedure_code", sa.String(64), primary_key=True),
        sa.Column("field_code", sa.String(100), primary_key=True),
        *_levels(unit=False),
        *_counts(),
    )
    backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("indicator_months")
    op.drop_table("indicator_days")
    op.drop_index("ix_indicator_facts_open", table_name="indicator_facts")
    op.drop_index("ix_indicator_facts_day", table_name="indicator_facts")
    op.drop_table("indicator_facts")
