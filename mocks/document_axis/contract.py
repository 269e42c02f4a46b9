"""The axis's contract as the mock enforces it: the WSDL it serves and the edXML schema.

The mock reads ``document_axis.wsdl`` and ``edxml.xsd`` and nothing else of the project, so it
stays an independent reading of the contract. The repository's contract
(``openapi/national/document_axis``) is used when it is there (an editable install or a
checkout); an installed wheel falls back to the copy shipped in this package (``contract/``
beside this module), which a test keeps identical to the repository's.

Every XML document that reaches the mock, SOAP envelope or edXML package, is parsed by
``parse_xml``: no DTD, no entity expansion, no network, no huge trees. The schema is compiled
once per file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

WSDL_NAME = "document_axis.wsdl"
XSD_NAME = "edxml.xsd"

REPOSITORY_CONTRACT = Path(__file__).resolve().parents[2] / "openapi" / "national" / "document_axis"
PACKAGED_CONTRACT = Path(__file__).resolve().parent / "contract"

#: The namespace of the WSDL's own types (requests, responses, fault detail).
AXIS_NS = "urn:lienthong:document-axis"
#: The namespace of edXML packages (QCVN 102:2016).
EDXML_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/"
WSDL_SOAP_NS = "http://schemas.xmlsoap.org/wsdl/soap/"
WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
_UT_PROFILE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
PASSWORD_TEXT = f"{_UT_PROFILE}#PasswordText"
PASSWORD_DIGEST = f"{_UT_PROFILE}#PasswordDigest"


class XmlRejected(ValueError):
    """Bytes that are not a well-formed, DTD-free XML document; ``line`` where parsing stopped."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        # packages travel as base64 text nodes, past lxml's 10 MB default; the size of what is
        # parsed is bounded by the endpoint before parsing, and DTDs are refused
        huge_tree=True,
    )


def parse_xml(data: bytes) -> etree._Element:
    """The root of ``data``, refusing DTDs (and so entity tricks) outright.

    A fresh parser per document: lxml parsers keep state and must not be shared between
    concurrent parses.
    """
    try:
        root = etree.fromstring(data, _hardened_parser())
    except etree.XMLSyntaxError as exc:
        raise XmlRejected(f"not well-formed XML: {exc.msg}", exc.lineno) from None
    if root.getroottree().docinfo.doctype:
        raise XmlRejected("a DOCTYPE is not accepted (no DTDs, no entities)", 1)
    return root


def default_contract_dir() -> Path:
    """The repository's contract when present, else the copy packaged with the mock."""
    if (REPOSITORY_CONTRACT / WSDL_NAME).is_file():
        return REPOSITORY_CONTRACT
    return PACKAGED_CONTRACT


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One rule a package breaks: where (line, element path) and which rule (libxml2's words)."""

    line: int
    element: str
    message: str

    def describe(self) -> str:
        return f"line {self.line}, {self.element}: {self.message}"


class PackageSchema:
    """The compiled ``edxml.xsd``; validation is read-only and may be shared by every request."""

    def __init__(self, path: Path) -> None:
        self.path = path
        document = etree.parse(str(path), _hardened_parser())
        self._schema = etree.XMLSchema(document)

    def problems(self, root: etree._Element) -> list[SchemaProblem]:
        """Every rule ``root`` breaks, in document order; empty when the package is valid."""
        if self._schema.validate(root):
            return []
        return [
            SchemaProblem(line=error.line, element=error.path or "/", message=error.message)
            for error in self._schema.error_log.filter_from_errors()
        ]


@cache
def load_package_schema(path: Path) -> PackageSchema:
    """The compiled schema of ``path``, compiled once per process."""
    return PackageSchema(path)


@cache
def load_wsdl(path: Path) -> bytes:
    """The WSDL's bytes, as the mock serves them before rewriting the address."""
    return path.read_bytes()


def wsdl_with_address(wsdl: bytes, address: str) -> bytes:
    """``wsdl`` with every ``soap:address/@location`` set to ``address``; the rest unchanged."""
    root = parse_xml(wsdl)
    for element in root.iter(f"{{{WSDL_SOAP_NS}}}address"):
        element.set("location", address)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
