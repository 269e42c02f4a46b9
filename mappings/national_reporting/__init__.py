"""The national reporting system's wire format: the report submitted and its receipt."""

from __future__ import annotations

from mappings.national_reporting.wire import (
    PERIOD_KINDS,
    BaoCao,
    BienNhan,
    ChiTieuDonVi,
    SoLieu,
    to_national_report,
)

__all__ = ["PERIOD_KINDS", "BaoCao", "BienNhan", "ChiTieuDonVi", "SoLieu", "to_national_report"]
