"""Indicators by procedure and field for a whole province from a few rows: the sums per month,
province, procedure and field (filled from the facts), indexes to read the sums per month of one
unit of any level, and the index of dossiers in progress covering what their figures group by.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
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
NAMES = [name for name, _comment in COUNTS] + ["sync_lag"]
OPEN_COLUMNS = ["day", "due_at", "province", "district", "commune", "unit"]


def upgrade() -> None:
    op.create_table(
        "indicator_procedures",
        sa.Column("month", sa.String(7), primary_key=True, comment="YYYY-MM, Vietnam time"),
        sa.Column("province", sa.String(16), primary_key=True, comment="level 1: 000.00.00.Hnn"),
        sa.Column("procedure_code", sa.String(64), primary_key=True),
        sa.Column("field_code", sa.String(100), primary_key=True),
        *[sa.Column(name, sa.Integer, nullable=False, comment=comment) for name, comment in COUNTS],
        sa.Column(
            "sync_lag",
            sa.Float,
            nullable=False,
            comment="seconds from acceptance to first delivery",
        ),
    )
    facts = sa.table(
        "indicator_facts",
        *[sa.column(name) for name in ("day", "province", "procedure_code", "field_code")],
        *[sa.column(name) for name in NAMES],
    )
    month = sa.func.substr(facts.c.day, 1, 7)
    keys = (month, facts.c.province, facts.c.procedure_code, facts.c.field_code)
    sums = sa.select(*keys, *[sa.func.sum(facts.c[name]) for name in NAMES]).group_by(*keys)
    procedures = sa.table(
        "indicator_procedures",
        *[sa.column(name) for name in ("month", "province", "procedure_code", "field_code")],
        *[sa.column(name) for name in NAMES],
    )
    op.execute(
        sa.insert(procedures).from_select(
            ["month", "province", "procedure_code", "field_code", *NAMES], sums
        )
    )
    for level in ("district", "commune", "unit"):
        op.create_index(f"ix_indicator_months_{level}", "indicator_months", [level, "month"])
    op.drop_index("ix_indicator_facts_open", table_name="indicator_facts")
    op.create_index(
        "ix_indicator_facts_open",
        "indicator_facts",
        [*OPEN_COLUMNS, "procedure_code", "field_code"],
        sqlite_where=sa.text("open = 1"),
        postgresql_where=sa.text("open = 1"),
    )


def downgrade() -> None:
    op.drop_index("ix_indicator_facts_open", table_name="indicator_facts")
    op.create_index(
        "ix_indicator_facts_open",
        "indicator_facts",
        ["day", "due_at"],
        sqlite_where=sa.text("open = 1"),
        postgresql_where=sa.text("open = 1"),
    )
    for level in ("district", "commune", "unit"):
        op.drop_index(f"ix_indicator_months_{level}", table_name="indicator_months")
    op.drop_table("indicator_procedures")
