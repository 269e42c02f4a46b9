"""The contract's edxml.xsd: shipped unchanged, agreeing with the code tables; what it admits."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from edxml_samples import golden_path
from lxml import etree

from mappings.edxml import EDXML_CODES, XMLDSIG_NAMESPACE, Package, schema_text, write_package

ROOT = Path(__file__).parents[3]
CONTRACT = ROOT / "openapi" / "national" / "document_axis" / "edxml.xsd"
XS = "{http://www.w3.org/2001/XMLSchema}"
ED = "{http://www.mic.gov.vn/TBT/QCVN_102_2016}"


@pytest.fixture(scope="module")
def contract() -> etree.XMLSchema:
    """The contract's own file, compiled apart from the package's copy."""
    return etree.XMLSchema(etree.parse(str(CONTRACT)))


def enumeration(type_name: str) -> list[str]:
    document = etree.parse(str(CONTRACT))
    (simple,) = document.iterfind(f"{XS}simpleType[@name='{type_name}']")
    return [value.get("value", "") for value in simple.iter(f"{XS}enumeration")]


def test_the_package_ships_the_contracts_schema_byte_for_byte() -> None:
    assert schema_text() == CONTRACT.read_bytes()
    packaged = ROOT / "mappings" / "edxml" / "edxml.xsd"
    assert packaged.read_bytes() == CONTRACT.read_bytes()


def test_status_codes_of_the_schema_are_the_code_tables() -> None:
    assert enumeration("StatusCodeType") == list(EDXML_CODES.status.codes.values())


def test_business_doc_types_of_the_schema_are_the_code_tables() -> None:
    assert enumeration("BussinessDocTypeType") == list(EDXML_CODES.business_doc_type.codes.values())


def test_code_tables_file_is_what_the_tables_hold() -> None:
    tables = yaml.safe_load((ROOT / "mappings" / "edxml" / "codes.yaml").read_text())

    assert list(tables["StatusCode"]) == ["01", "02", "03", "04", "05", "06", "13", "15", "16"]
    assert list(tables["BussinessDocType"]) == ["0", "1", "2", "3"]


def test_written_packages_are_valid_against_the_contract(
    contract: etree.XMLSchema, full_package: Package
) -> None:
    assert contract.validate(etree.fromstring(write_package(full_package)))
    assert contract.validate(etree.parse(str(golden_path("status_package.xml"))))


def test_the_older_form_is_still_valid_against_the_contract(contract: etree.XMLSchema) -> None:
    """The envelope as the document element, attachments inside: accepted, never written."""
    older = etree.parse(str(golden_path("older_form_package.xml")))

    assert older.getroot().tag == f"{ED}edXMLEnvelope"
    assert contract.validate(older)


def test_the_envelope_of_the_older_form_is_not_valid_inside_the_edxml_root(
    contract: etree.XMLSchema,
) -> None:
    """Attachments go beside the envelope, not in it, once the document element is edXML."""
    root = etree.parse(str(golden_path("full_package.xml"))).getroot()
    envelope, encoded = root
    envelope.append(encoded)

    assert not contract.validate(root)


def test_a_signature_is_admitted_as_the_last_child_of_the_header_only(
    contract: etree.XMLSchema,
) -> None:
    root = etree.parse(str(golden_path("full_package.xml"))).getroot()
    header = root.find(f"{ED}edXMLEnvelope/{ED}edXMLHeader")
    assert header is not None
    signature = etree.SubElement(header, f"{{{XMLDSIG_NAMESPACE}}}Signature")
    etree.SubElement(signature, f"{{{XMLDSIG_NAMESPACE}}}SignatureValue").text = "AAAA"
    assert contract.validate(root)

    header.insert(0, signature)
    assert not contract.validate(root)


def test_status_fields_directly_in_the_message_header_are_read_but_not_valid(
    contract: etree.XMLSchema,
) -> None:
    messy = etree.parse(str(golden_path("messy_status_in_message_header.xml")))

    assert not contract.validate(messy)


def test_an_attachment_must_carry_its_content_id_once(contract: etree.XMLSchema) -> None:
    root = etree.parse(str(golden_path("full_package.xml"))).getroot()
    attachment = root.find(f"{ED}AttachmentEncoded/{ED}Attachment")
    assert attachment is not None
    child = attachment.find(f"{ED}ContentId")
    assert child is not None and child.text is not None
    attachment.remove(child)
    assert not contract.validate(root)

    attachment.set("ContentId", child.text)
    assert contract.validate(root)

    attachment.insert(0, child)
    assert not contract.validate(root)
