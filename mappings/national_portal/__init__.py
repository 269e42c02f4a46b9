"""The National Public Service Portal's formats: wire objects, code tables, times, catalogue
lists, and the mapping between them and the canonical dossier, questions and evaluations."""

from __future__ import annotations

from mappings.national_portal.codes import NATIONAL_CODES, TABLE_KINDS, CodeTable, CodeTables
from mappings.national_portal.dates import PORTAL_TIME_RULE, format_portal_time, parse_portal_time
from mappings.national_portal.lists import LISTS, CatalogueList, ListEntry, entry_of
from mappings.national_portal.mapping import (
    from_portal_dossier,
    from_portal_progress,
    to_portal_dossier,
    to_portal_progress,
)
from mappings.national_portal.questions import (
    EvaluationForm,
    from_portal_question,
    to_portal_answer,
    to_portal_evaluation,
    to_portal_published,
)
from mappings.national_portal.wire import (
    CoQuanThucHien,
    DinhDanhCHS,
    GiayToKetQua,
    HoSoBoSung,
    KetNoiCSDL,
    LePhi,
    PhiThuTuc,
    PortalAnswer,
    PortalDossier,
    PortalEvaluation,
    PortalListEntry,
    PortalObject,
    PortalProcedure,
    PortalProcedureInFull,
    PortalProgress,
    PortalPublishedQuestion,
    PortalQuestion,
    PortalRecord,
    TaiLieuNop,
    TepDinhKemKhac,
    TieuChi,
)

__all__ = [
    "LISTS",
    "NATIONAL_CODES",
    "PORTAL_TIME_RULE",
    "TABLE_KINDS",
    "CatalogueList",
    "CoQuanThucHien",
    "CodeTable",
    "CodeTables",
    "DinhDanhCHS",
    "EvaluationForm",
    "GiayToKetQua",
    "HoSoBoSung",
    "KetNoiCSDL",
    "LePhi",
    "ListEntry",
    "PhiThuTuc",
    "PortalAnswer",
    "PortalDossier",
    "PortalEvaluation",
    "PortalListEntry",
    "PortalObject",
    "PortalProcedure",
    "PortalProcedureInFull",
    "PortalProgress",
    "PortalPublishedQuestion",
    "PortalQuestion",
    "PortalRecord",
    "TaiLieuNop",
    "TepDinhKemKhac",
    "TieuChi",
    "entry_of",
    "format_portal_time",
    "from_portal_dossier",
    "from_portal_progress",
    "from_portal_question",
    "parse_portal_time",
    "to_portal_answer",
    "to_portal_dossier",
    "to_portal_evaluation",
    "to_portal_progress",
    "to_portal_published",
]
