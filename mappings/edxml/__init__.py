"""edXML (QCVN 102:2016/BTTTT), the package format of the national document exchange axis.

``write_package`` and ``write_status`` turn a model into the bytes a receiver accepts (the
document element ``edXML`` holding the envelope and the attachments), checked against
``edxml.xsd``; ``read_package`` turns the bytes of a real, possibly messy, package into a model
(either form: ``edXML`` or, as older packages have it, ``edXMLEnvelope`` as the document
element), refusing what is unsafe or ambiguous, and ``read_package_with_warnings`` also says
what it kept that a strict reader would refuse. Signing and verifying work on the bytes and are not
part of this package's models.
"""

from __future__ import annotations

from mappings.edxml.codes import EDXML_CODES, BusinessDocType, DocumentStatus, EdxmlCodes
from mappings.edxml.dates import (
    DATE_RULE,
    TIMESTAMP_RULE,
    format_date,
    format_timestamp,
    parse_date,
    parse_timestamp,
)
from mappings.edxml.errors import EdxmlError
from mappings.edxml.identifiers import (
    CONTENT_ID_RULE,
    DOCUMENT_ID_RULE,
    ORGAN_ID_RULE,
    DocumentIdentifier,
    check_content_id,
    check_document_id,
    check_document_id_form,
    check_organ_id,
)
from mappings.edxml.package import (
    DEFAULT_CONTENT_TYPE,
    Attachment,
    Business,
    DocumentCode,
    DocumentKind,
    DocumentReference,
    MessageHeader,
    Officer,
    Organisation,
    OtherDetails,
    Package,
    Promulgation,
    Receiver,
    Replacement,
    Signer,
    StatusPackage,
    Trace,
    UpdateInfo,
)
from mappings.edxml.reader import (
    DEFAULT_MAX_BYTES,
    Reading,
    ReadWarning,
    read_package,
    read_package_with_warnings,
)
from mappings.edxml.schema import (
    EDXML_NAMESPACE,
    XMLDSIG_NAMESPACE,
    check_against_schema,
    schema_text,
)
from mappings.edxml.writer import write_package, write_status

__all__ = [
    "CONTENT_ID_RULE",
    "DATE_RULE",
    "DEFAULT_CONTENT_TYPE",
    "DEFAULT_MAX_BYTES",
    "DOCUMENT_ID_RULE",
    "EDXML_CODES",
    "EDXML_NAMESPACE",
    "ORGAN_ID_RULE",
    "TIMESTAMP_RULE",
    "XMLDSIG_NAMESPACE",
    "Attachment",
    "Business",
    "BusinessDocType",
    "DocumentCode",
    "DocumentIdentifier",
    "DocumentKind",
    "DocumentReference",
    "DocumentStatus",
    "EdxmlCodes",
    "EdxmlError",
    "MessageHeader",
    "Officer",
    "Organisation",
    "OtherDetails",
    "Package",
    "Promulgation",
    "ReadWarning",
    "Reading",
    "Receiver",
    "Replacement",
    "Signer",
    "StatusPackage",
    "Trace",
    "UpdateInfo",
    "check_against_schema",
    "check_content_id",
    "check_document_id",
    "check_document_id_form",
    "check_organ_id",
    "format_date",
    "format_timestamp",
    "parse_date",
    "parse_timestamp",
    "read_package",
    "read_package_with_warnings",
    "schema_text",
    "write_package",
    "write_status",
]
