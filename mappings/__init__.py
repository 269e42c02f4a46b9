"""Pure data: the province's canonical dossier, the national formats, their code tables and the
mappings between them. Nothing here does I/O beyond reading its own package data.

The portal's formats live in ``mappings.national_portal`` and edXML, the document exchange axis's
package format, in ``mappings.edxml``; the names most callers need are re-exported here.
"""

from __future__ import annotations

from mappings.dossier import (
    VIETNAM,
    Applicant,
    ApplicantKind,
    Channel,
    Dossier,
    DossierStatus,
    Fee,
    Identifier,
    IdType,
    OtherDocument,
    Procedure,
    ProgressStep,
    Reference,
    Result,
    ResultDelivery,
    SubmittedDocument,
    SupplementRequest,
)
from mappings.edxml import EDXML_CODES, EdxmlError, read_package, write_package, write_status
from mappings.errors import MappingError
from mappings.identifiers import (
    DOSSIER_CODE_RULE,
    PROCEDURE_CODE_RULE,
    UNIT_ID_RULE,
    check_dossier_code,
    check_procedure_code,
    check_unit_id,
    national_procedure_code,
)
from mappings.national_portal import (
    NATIONAL_CODES,
    CodeTable,
    CodeTables,
    PortalDossier,
    PortalProcedure,
    PortalProgress,
    from_portal_dossier,
    from_portal_progress,
    to_portal_dossier,
    to_portal_progress,
)
from mappings.overrides import NO_OVERRIDES, OverridesError, ProvinceOverrides

__all__ = [
    "DOSSIER_CODE_RULE",
    "EDXML_CODES",
    "NATIONAL_CODES",
    "NO_OVERRIDES",
    "PROCEDURE_CODE_RULE",
    "UNIT_ID_RULE",
    "VIETNAM",
    "Applicant",
    "ApplicantKind",
    "Channel",
    "CodeTable",
    "CodeTables",
    "Dossier",
    "DossierStatus",
    "EdxmlError",
    "Fee",
    "IdType",
    "Identifier",
    "MappingError",
    "OtherDocument",
    "OverridesError",
    "PortalDossier",
    "PortalProcedure",
    "PortalProgress",
    "Procedure",
    "ProgressStep",
    "ProvinceOverrides",
    "Reference",
    "Result",
    "ResultDelivery",
    "SubmittedDocument",
    "SupplementRequest",
    "check_dossier_code",
    "check_procedure_code",
    "check_unit_id",
    "from_portal_dossier",
    "from_portal_progress",
    "national_procedure_code",
    "read_package",
    "to_portal_dossier",
    "to_portal_progress",
    "write_package",
    "write_status",
]
