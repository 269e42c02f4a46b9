"""The error raised for a package that breaks a rule of edXML, on reading or on writing.

It is a ``MappingError``, so it is permanent (the same bytes fail the same way every time) and a
caller that handles mapping errors handles it too; catching ``EdxmlError`` alone tells an edXML
problem from the other formats'.
"""

from __future__ import annotations

from mappings.errors import MappingError


class EdxmlError(MappingError):
    """A package, or a value in it, that breaks a rule of edXML.

    ``field`` is where: an XPath-like location without prefixes from the package's document
    element, with a 1-based position where an element has siblings of its name
    (``/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To[2]/OrganId``; a package of the older
    form starts at ``/edXMLEnvelope``), or the whole package (``/``) for what concerns all of it
    (its size, a DOCTYPE, bad XML).
    ``rule`` says what the value should have been, in words a person can act on.
    """
