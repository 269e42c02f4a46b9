"""Inter-connected services (DVCLT: birth and death bundles): the national objects, the
canonical submission and its form, the status reported back, and what the province takes."""

from __future__ import annotations

from mappings.linked_services.forms import (
    AttachmentInfo,
    BirthRegistration,
    Child,
    DeathRegistration,
    Deceased,
    Module,
    Person,
    Requester,
    Submission,
    attachment_content,
    form_fields,
    national_date,
    read_submission,
)
from mappings.linked_services.intake import Acceptance, codes
from mappings.linked_services.status import (
    HANDLING_AGENCY,
    Certificate,
    Handling,
    Officer,
    RegistrationResult,
    StatusReport,
    national_time,
    to_wire_status,
)
from mappings.linked_services.wire import (
    ListedSubmission,
    SubmissionDetail,
    WireAttachment,
    WireStatus,
)

__all__ = [
    "HANDLING_AGENCY",
    "Acceptance",
    "AttachmentInfo",
    "BirthRegistration",
    "Certificate",
    "Child",
    "DeathRegistration",
    "Deceased",
    "Handling",
    "ListedSubmission",
    "Module",
    "Officer",
    "Person",
    "RegistrationResult",
    "Requester",
    "StatusReport",
    "Submission",
    "SubmissionDetail",
    "WireAttachment",
    "WireStatus",
    "attachment_content",
    "codes",
    "form_fields",
    "national_date",
    "national_time",
    "read_submission",
    "to_wire_status",
]
