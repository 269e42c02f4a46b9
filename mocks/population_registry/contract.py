"""The registry's contract as the mock reads it: the WSDL it serves, and a hardened XML parser.

The mock reads ``population_registry.wsdl`` and nothing else of the project. The repository's
copy (``openapi/national/population_registry``) is used when it is there; an installed wheel
falls back to the copy shipped in this package (``contract/``), which a test keeps identical.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree

WSDL_NAME = "population_registry.wsdl"
REPOSITORY_CONTRACT = (
    Path(__file__).resolve().parents[2] / "openapi" / "national" / "population_registry"
)
PACKAGED_CONTRACT = Path(__file__).resolve().parent / "contract"

#: The registry's namespace, for requests, replies and the fault detail.
REGISTRY_NS = "http://dancuquocgia.bca"
SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSDL_SOAP_NS = "http://schemas.xmlsoap.org/wsdl/soap/"


class XmlRejected(ValueError):
    """Bytes that are not a well-formed, DTD-free XML document."""


def parse_xml(data: bytes) -> etree._Element:
    """The root of ``data``: no DTD, no entity expansion, no network; a fresh parser per call."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise XmlRejected(f"not well-formed XML: {exc.msg}") from None
    if root.getroottree().docinfo.doctype:
        raise XmlRejected("a DOCTYPE is not accepted (no DTDs, no entities)")
    return root


def default_contract_dir() -> Path:
    """The repository's contract when present, else the copy packaged with the mock."""
    if (REPOSITORY_CONTRACT / WSDL_NAME).is_file():
        return REPOSITORY_CONTRACT
    return PACKAGED_CONTRACT


@cache
def load_wsdl(path: Path) -> bytes:
    return path.read_bytes()


def wsdl_with_address(wsdl: bytes, address: str) -> bytes:
    """``wsdl`` with every ``soap:address/@location`` set to ``address``; the rest unchanged."""
    root = parse_xml(wsdl)
    for element in root.iter(f"{{{WSDL_SOAP_NS}}}address"):
        element.set("location", address)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
