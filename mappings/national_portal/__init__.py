"""The National Public Service Portal's formats: wire objects, code tables, times and the mapping
between them and the canonical dossier."""

from __future__ import annotations

from mappings.national_portal.codes import NATIONAL_CODES, TABLE_KINDS, CodeTable, CodeTables
from mappings.national_portal.dates import PORTAL_TIME_RULE, format_portal_time, parse_portal_time
from mappings.national_portal.mapping import (
    from_portal_dossier,
    from_portal_progress,
    to_portal_dossier,
    to_portal_progress,
)
from mappings.national_portal.wire import (
    DinhDanhCHS,
    GiayToKetQua,
    HoSoBoSung,
    KetNoiCSDL,
    LePhi,
    PortalDossier,
    PortalObject,
    PortalProcedure,
    PortalProgress,
    TaiLieuNop,
    TepDinhKemKhac,
)

__all__ = [
    "NATIONAL_CODES",
    "PORTAL_TIME_RULE",
    "TABLE_KINDS",
    "CodeTable",
    "CodeTables",
    "DinhDanhCHS",
    "GiayToKetQua",
    "HoSoBoSung",
    "KetNoiCSDL",
    "LePhi",
    "PortalDossier",
    "PortalObject",
    "PortalProcedure",
    "PortalProgress",
    "TaiLieuNop",
    "TepDinhKemKhac",
    "format_portal_time",
    "from_portal_dossier",
    "from_portal_progress",
    "parse_portal_time",
    "to_portal_dossier",
    "to_portal_progress",
]
