"""SOAP 1.1 on the registry's side: read a request, write replies and faults with lxml.

Requests are read leniently about prefixes; the Body's operation must be in the registry's
namespace. A parameter with element children (``NgayThangNamSinh``) is read as a mapping of its
children's texts. Faults are ``soap:Client`` (or ``soap:Server``) with a ``Loi`` detail naming
the header or element (``Truong``) and the rule (``MoTa``), answered with HTTP 500.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from mocks.population_registry.contract import (
    REGISTRY_NS,
    SOAP_ENV_NS,
    XmlRejected,
    parse_xml,
)

_NSMAP = {"soap": SOAP_ENV_NS, "dc": REGISTRY_NS}

Param = str | Mapping[str, str]


class RegistryFault(Exception):
    """A refusal answered as a SOAP Fault; ``field`` names the header or element at fault."""

    def __init__(
        self,
        field: str,
        message: str,
        *,
        code: Literal["soap:Client", "soap:Server"] = "soap:Client",
    ) -> None:
        super().__init__(message)
        self.field = field
        self.code = code

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "field": self.field, "string": str(self)}


@dataclass(frozen=True, slots=True)
class SoapRequest:
    operation: str
    params: Mapping[str, Param] = field(default_factory=dict)


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def read_request(data: bytes) -> SoapRequest:
    """The operation call in a SOAP 1.1 envelope, or ``RegistryFault`` naming what is wrong."""
    try:
        root = parse_xml(data)
    except XmlRejected as exc:
        raise RegistryFault("Envelope", f"SOAP envelope: {exc}") from None
    if root.tag != f"{{{SOAP_ENV_NS}}}Envelope":
        raise RegistryFault(
            "Envelope", f"the root is {etree.QName(root).text}, not a SOAP 1.1 Envelope"
        )
    body = root.find(f"{{{SOAP_ENV_NS}}}Body")
    call = None if body is None else next(iter(body.iterchildren(etree.Element)), None)
    if call is None:
        raise RegistryFault("Body", "the SOAP Body holds no operation")
    name = etree.QName(call)
    if name.namespace != REGISTRY_NS:
        raise RegistryFault(
            "Body", f"{name.text} is not an operation of the registry (namespace {REGISTRY_NS})"
        )
    params: dict[str, Param] = {}
    for child in call.iterchildren(etree.Element):
        nested = list(child.iterchildren(etree.Element))
        key = etree.QName(child).localname
        params[key] = (
            {etree.QName(n).localname: _text(n) for n in nested} if nested else _text(child)
        )
    return SoapRequest(operation=name.localname, params=params)


#: A reply's content: element name and either text or child elements, in the WSDL's order.
Node = tuple[str, "str | Sequence[Node]"]


def _put(parent: etree._Element, node: Node) -> None:
    name, value = node
    element = etree.SubElement(parent, f"{{{REGISTRY_NS}}}{name}")
    if isinstance(value, str):
        element.text = value
    else:
        for child in value:
            _put(element, child)


def _envelope(payload: etree._Element) -> bytes:
    envelope = etree.Element(f"{{{SOAP_ENV_NS}}}Envelope", nsmap=_NSMAP)
    etree.SubElement(envelope, f"{{{SOAP_ENV_NS}}}Body").append(payload)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def response(operation: str, content: Sequence[Node]) -> bytes:
    """The envelope of ``<operation>Response`` holding ``content``."""
    payload = etree.Element(f"{{{REGISTRY_NS}}}{operation}Response", nsmap=_NSMAP)
    for node in content:
        _put(payload, node)
    return _envelope(payload)


def fault(error: RegistryFault) -> bytes:
    """The SOAP 1.1 Fault envelope of ``error``, with its ``Loi`` detail."""
    node = etree.Element(f"{{{SOAP_ENV_NS}}}Fault", nsmap=_NSMAP)
    etree.SubElement(node, "faultcode").text = error.code
    etree.SubElement(node, "faultstring").text = str(error)
    detail = etree.SubElement(node, "detail")
    _put(detail, ("Loi", [("Truong", error.field), ("MoTa", str(error))]))
    return _envelope(node)
