"""The population and business registries: personal IDs and enterprise codes, the canonical
``Citizen`` and ``Business``, and the mappings from the registries' own records to them."""

from __future__ import annotations

from mappings.registries.business import (
    Branch,
    Business,
    BusinessLine,
    LegalStatus,
    LegalStatusKind,
    Representative,
)
from mappings.registries.business_registry import LEGAL_STATUS_CODES, business_from_registry
from mappings.registries.citizen import Address, BirthDate, Citizen, RelatedPerson
from mappings.registries.enterprise_code import (
    CHECK_DIGIT_RULE,
    ENTERPRISE_CODE_PATTERN,
    ENTERPRISE_CODE_RULE,
    CheckDigitMismatch,
    EnterpriseCode,
    check_digit,
    check_enterprise_code,
)
from mappings.registries.personal_id import (
    OLD_ID_PATTERN,
    OLD_ID_RULE,
    PERSONAL_ID_RULE,
    PersonalId,
    Sex,
    check_old_id,
    check_personal_id,
    personal_id_pattern,
    provinces,
)
from mappings.registries.population_registry import citizen_from_registry, registry_name

__all__ = [
    "CHECK_DIGIT_RULE",
    "ENTERPRISE_CODE_PATTERN",
    "ENTERPRISE_CODE_RULE",
    "LEGAL_STATUS_CODES",
    "OLD_ID_PATTERN",
    "OLD_ID_RULE",
    "PERSONAL_ID_RULE",
    "Address",
    "BirthDate",
    "Branch",
    "Business",
    "BusinessLine",
    "CheckDigitMismatch",
    "Citizen",
    "EnterpriseCode",
    "LegalStatus",
    "LegalStatusKind",
    "PersonalId",
    "RelatedPerson",
    "Representative",
    "Sex",
    "business_from_registry",
    "check_digit",
    "check_enterprise_code",
    "check_old_id",
    "check_personal_id",
    "citizen_from_registry",
    "personal_id_pattern",
    "provinces",
    "registry_name",
]
