"""The edXML code tables, loaded from ``codes.yaml`` beside this module.

The models hold English values (``DocumentStatus.done``); the wire holds the codes (``06``). The
tables are data so that they can be read against QCVN 102 and checked against ``edxml.xsd``.
Reading is strict: a code outside the table raises ``MappingError`` naming the element, because a
status or a business type guessed wrong would be acted on (a recall taken for a new document).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any, TypeVar

import yaml

from mappings.national_portal.codes import CodeTable

E = TypeVar("E", bound=StrEnum)


class DocumentStatus(StrEnum):
    """What happened to a document at a receiver (``StatusCode``)."""

    arrived = "arrived"
    refused = "refused"
    accepted = "accepted"
    """Accepted and registered."""
    assigned = "assigned"
    processing = "processing"
    done = "done"
    recall_requested = "recall_requested"
    recall_or_update_agreed = "recall_or_update_agreed"
    recall_or_update_refused = "recall_or_update_refused"


class BusinessDocType(StrEnum):
    """What a package does to the exchange (``BussinessDocType``)."""

    new = "new"
    recall = "recall"
    """Takes back a document sent before (named in ``Bussiness/DocumentId``)."""
    update = "update"
    """Changes a document sent before: its information, its receivers or both."""
    replacement = "replace"
    """Replaces documents sent before (listed in ``ReplacementInfoList``). The value is
    ``replace``, like the other verbs; the member cannot be named so, as it would hide
    ``str.replace``."""


@dataclass(frozen=True)
class EdxmlCodes:
    """Every code table of an edXML package, each covering every value of its kind."""

    status: CodeTable[DocumentStatus]
    """``StatusCode`` of a status package."""
    business_doc_type: CodeTable[BusinessDocType]
    """``BussinessDocType`` of a package's ``Bussiness``."""


def _table(name: str, kind: type[E], data: Mapping[str, Any], source: str) -> CodeTable[E]:
    entries = data.get(name)
    if not isinstance(entries, Mapping):
        raise ValueError(f"{source}: {name}: expected a mapping of code to value")
    codes: dict[E, str] = {}
    for code, value in entries.items():
        if not isinstance(code, str):
            raise ValueError(f"{source}: {name}: code {code!r} must be quoted, as the wire has it")
        try:
            member = kind(value)
        except ValueError:
            known = ", ".join(kind)
            raise ValueError(
                f"{source}: {name}.{code}: {value!r} is not a {kind.__name__}; use one of {known}"
            ) from None
        if member in codes:
            raise ValueError(f"{source}: {name}: {value} has two codes, {codes[member]} and {code}")
        codes[member] = code
    missing = [member.value for member in kind if member not in codes]
    if missing:
        raise ValueError(f"{source}: {name}: no code for {', '.join(missing)}")
    return CodeTable(name, kind, codes)


def _load() -> EdxmlCodes:
    source = "mappings/edxml/codes.yaml"
    text = resources.files("mappings.edxml").joinpath("codes.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, Mapping):
        raise ValueError(f"{source}: expected a mapping of table name to codes")
    return EdxmlCodes(
        status=_table("StatusCode", DocumentStatus, data, source),
        business_doc_type=_table("BussinessDocType", BusinessDocType, data, source),
    )


EDXML_CODES = _load()
"""The tables as QCVN 102 and NATIONAL-SYSTEMS.md §2 give them."""
