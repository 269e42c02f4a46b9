"""An event's payload as an operator may see it: personal data masked.

Payloads are what the national system is sent: JSON objects in its own format for the portal,
a signed edXML package (base64) for the axis. In JSON, the fields that name, identify or reach a
person are masked whatever their value (``PERSONAL_FIELDS``), and every other text goes through
the log masking (``gateway.logging.mask_personal_data``: ID numbers, dates of birth). A package
is described, not shown: it is a signed official document, read in the document's own record.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from gateway.logging import mask_personal_data
from gateway.registries.audit import mask

PERSONAL_FIELDS = frozenset(
    {
        # the portal's dossier (mappings.national_portal.wire.PortalDossier)
        "ChuHoSo",
        "SoGiayToChuHoSo",
        "SoDinhDanh",
        "Email",
        "Fax",
        "SoDienThoai",
        "DiaChi",
        "ThongTinKhac",
        # canonical names, should a payload carry them
        "name",
        "full_name",
        "id_number",
        "number",
        "email",
        "phone",
        "fax",
        "address",
        "date_of_birth",
        "other_info",
    }
)
"""Fields whose whole value is personal data."""


def mask_value(value: str) -> str:
    """Keep the shape, hide the person: digits keep their first and last three (as the audit
    shows an ID number), words keep their first letter, an e-mail its domain."""
    text = value.strip()
    if not text:
        return value
    if "@" in text:
        local, _, domain = text.partition("@")
        return f"{local[:1]}***@{domain}"
    compact = text.replace(" ", "").replace(".", "").replace("-", "")
    if compact.isdigit() or (compact[:1] == "+" and compact[1:].isdigit()):
        return mask(compact)
    return " ".join(word[:1] + "*" * max(len(word) - 1, 0) for word in text.split())


def _masked(value: Any, field: str | None = None) -> Any:
    if isinstance(value, dict):
        return {key: _masked(item, key) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item, field) for item in value]
    if isinstance(value, str):
        if field in PERSONAL_FIELDS:
            return mask_value(value)
        return mask_personal_data(value)
    return value


def masked_payload(payload: str) -> str:
    """``payload`` for an operator's eyes: JSON pretty-printed with personal data masked, a
    package described by its size, anything else through the log masking."""
    try:
        body = json.loads(payload)
    except ValueError:
        body = None
    if isinstance(body, dict | list):
        return json.dumps(_masked(body), ensure_ascii=False, indent=2)
    try:
        package = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return mask_personal_data(payload)
    kind = "edXML package" if package.lstrip().startswith(b"<") else "binary payload"
    return f"({kind}, {len(package):,} bytes, signed as sent; see the document's record)"
