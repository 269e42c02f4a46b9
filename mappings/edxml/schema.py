"""The edXML schema, ``edxml.xsd`` beside this module, and checking a package against it.

The file is a copy of ``openapi/national/document_axis/edxml.xsd`` (a test keeps the two
identical), shipped as package data so that an installed wheel validates the same way as a
checkout. It is loaded once, with a parser that reads no DTD and fetches nothing.
"""

from __future__ import annotations

import threading
from importlib import resources

from lxml import etree

from mappings.edxml.errors import EdxmlError
from mappings.edxml.locations import location

EDXML_NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
EDXML_PREFIX = "edXML"
XMLDSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#"


def qualified(name: str) -> str:
    """``name`` in the edXML namespace, as lxml spells it: ``{http://...}name``."""
    return f"{{{EDXML_NAMESPACE}}}{name}"


def schema_text() -> bytes:
    """The bytes of ``edxml.xsd`` as shipped with this package."""
    return resources.files("mappings.edxml").joinpath("edxml.xsd").read_bytes()


def _load() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.fromstring(schema_text(), parser))


_SCHEMA = _load()
_LAST_LINE = 65535
"""The largest line number libxml2 keeps on a built element."""
_SCHEMA_LOCK = threading.Lock()
"""One validation at a time: a schema's error log is shared by everything that uses it."""


def check_against_schema(root: etree._Element) -> None:
    """Return if the tree under ``root`` is a valid package, else raise ``EdxmlError``.

    The error names the first offending element and what the schema expected there, and counts
    any further problems. The tree's ``sourceline`` numbers are overwritten: they are how an error
    is traced back to its element, which gives positions (``To[2]``) the schema's own paths lack.
    """
    elements = list(root.iter())[:_LAST_LINE]
    for number, element in enumerate(elements, start=1):
        # The stubs call sourceline read-only; lxml has a setter, for an unsigned short.
        element.sourceline = number  # type: ignore[misc]
    with _SCHEMA_LOCK:
        valid = _SCHEMA.validate(root)
        errors = list(_SCHEMA.error_log)
    if valid:
        return
    if not errors:
        raise EdxmlError("/", "the package does not match edxml.xsd")
    first = errors[0]
    if 0 < first.line <= len(elements):
        where = location(elements[first.line - 1])
    else:
        where = (first.path or "/").replace(f"{EDXML_PREFIX}:", "")
    rule = first.message.replace(f"{{{EDXML_NAMESPACE}}}", f"{EDXML_PREFIX}:")
    if rule.startswith("Element '") and "': " in rule:
        rule = rule.split("': ", 1)[1]
    more = len(errors) - 1
    if more:
        rule = f"{rule} (edxml.xsd; {more} more problem{'s' if more > 1 else ''} in this package)"
    else:
        rule = f"{rule} (edxml.xsd)"
    raise EdxmlError(where, rule)
