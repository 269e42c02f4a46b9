"""The National Insurance Database: the canonical ``InsuranceRecord`` and the reading of the
database's ``ThongTinBaoHiem`` into it."""

from __future__ import annotations

from mappings.social_insurance.record import (
    CONTRIBUTION_STATUSES,
    Contribution,
    ContributionStatus,
    HealthCard,
    InsuranceRecord,
    insurance_from_registry,
)

__all__ = [
    "CONTRIBUTION_STATUSES",
    "Contribution",
    "ContributionStatus",
    "HealthCard",
    "InsuranceRecord",
    "insurance_from_registry",
]
