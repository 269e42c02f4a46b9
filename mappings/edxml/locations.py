"""Where an element sits in a package, in the form every ``EdxmlError`` names it.

``/edXML/edXMLEnvelope/edXMLHeader/MessageHeader/To[2]/OrganId``: local names from the document
element down (``edXML``, or ``edXMLEnvelope`` in a package of the older form), without prefixes
(a package may use any prefix, or none), and a 1-based position
only where the element has siblings of the same name, so a reader can find the element by eye in
the package and with an XPath that binds the prefix.
"""

from __future__ import annotations

from lxml import etree


def location(element: etree._Element) -> str:
    """The path of ``element`` from the document element."""
    parts: list[str] = []
    node: etree._Element | None = element
    while node is not None:
        name = etree.QName(node)
        parent = node.getparent()
        step = name.localname
        if parent is not None:
            namesakes = list(parent.iterchildren(name.text))
            if len(namesakes) > 1:
                step = f"{step}[{namesakes.index(node) + 1}]"
        parts.append(step)
        node = parent
    return "/" + "/".join(reversed(parts))


def within(element: etree._Element, name: str) -> str:
    """The path a child ``name`` of ``element`` has, or would have: for one that is missing."""
    return f"{location(element)}/{name}"
