"""Signing the packages the province sends and checking the ones it receives."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from edxml_samples import HERE
from lxml import etree
from signxml.signer import XMLSigner

from mappings.edxml.package import (
    Attachment,
    DocumentCode,
    DocumentKind,
    MessageHeader,
    Organisation,
    Package,
    Promulgation,
    Trace,
)
from mappings.edxml.reader import read_package
from mappings.edxml.schema import check_against_schema
from mappings.edxml.signature import (
    DSIG_NS,
    EDXML_NS,
    SignatureError,
    SignatureMode,
    SignatureState,
    sign_package,
    verify_package,
)
from mappings.edxml.writer import write_package
from mappings.errors import MappingError

DS = f"{{{DSIG_NS}}}"
ED = f"{{{EDXML_NS}}}"
ATTACHMENT = bytes(range(256)) * 64


def package(
    subject: str = "Về việc triển khai liên thông văn bản điện tử", *, older_form: bool = False
) -> bytes:
    """A small document package laid out as the contract's skeleton, with one attachment: the
    document element edXML with the attachments beside the envelope or, ``older_form``, the
    envelope as the document element with the attachments inside."""
    encoded = base64.b64encode(ATTACHMENT).decode()
    lines = "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))
    envelope = f"""
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From>
          <edXML:OrganId>000.00.00.H56</edXML:OrganId>
          <edXML:OrganName>UBND tỉnh Thanh Hóa</edXML:OrganName>
        </edXML:From>
        <edXML:To>
          <edXML:OrganId>000.00.00.G22</edXML:OrganId>
          <edXML:OrganName>Văn phòng Chính phủ</edXML:OrganName>
        </edXML:To>
        <edXML:Code>
          <edXML:CodeNumber>125</edXML:CodeNumber>
          <edXML:CodeNotation>UBND-VP</edXML:CodeNotation>
        </edXML:Code>
        <edXML:PromulgationInfo>
          <edXML:Place>Thanh Hóa</edXML:Place>
          <edXML:PromulgationDate>2026/11/20</edXML:PromulgationDate>
        </edXML:PromulgationInfo>
        <edXML:Subject>{subject}</edXML:Subject>
        <edXML:SignerInfo>
          <edXML:Position>Chủ tịch</edXML:Position>
          <edXML:FullName>Nguyễn Văn An</edXML:FullName>
        </edXML:SignerInfo>
        <edXML:DocumentId>000.00.00.H56,2026/11/20,125/UBND-VP</edXML:DocumentId>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList>
        <edXML:TraceHeader>
          <edXML:OrganId>000.00.00.H56</edXML:OrganId>
          <edXML:Timestamp>2026/11/20 09:15:00</edXML:Timestamp>
        </edXML:TraceHeader>
      </edXML:TraceHeaderList>
    </edXML:edXMLHeader>
    <edXML:edXMLBody>
      <edXML:edXMLManifest>
        <edXML:Reference>
          <edXML:ContentId>cid:1</edXML:ContentId>
          <edXML:ContentType>application/pdf</edXML:ContentType>
          <edXML:AttachmentName>cong-van-125.pdf</edXML:AttachmentName>
        </edXML:Reference>
      </edXML:edXMLManifest>
    </edXML:edXMLBody>"""
    if older_form:
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML:edXMLEnvelope xmlns:edXML="{EDXML_NS}">{envelope}
  <edXML:AttachmentEncoded>
    <edXML:Attachment ContentId="cid:1">
      <edXML:ContentTransferEncoded>{lines}</edXML:ContentTransferEncoded>
    </edXML:Attachment>
  </edXML:AttachmentEncoded>
</edXML:edXMLEnvelope>
""".encode()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{EDXML_NS}">
  <edXML:edXMLEnvelope xmlns:edXML="{EDXML_NS}">{envelope}
  </edXML:edXMLEnvelope>
  <AttachmentEncoded>
    <Attachment>
      <ContentId>cid:1</ContentId>
      <edXML:ContentTransferEncoded xmlns:edXML="{EDXML_NS}">{lines}</edXML:ContentTransferEncoded>
    </Attachment>
  </AttachmentEncoded>
</edXML>
""".encode()


def header_of(root: etree._Element) -> etree._Element:
    header = root.find(f"{ED}edXMLEnvelope/{ED}edXMLHeader")
    if header is None:
        header = root.find(f"{ED}edXMLHeader")
    assert header is not None
    return header


@dataclass(frozen=True)
class Party:
    key_pem: bytes
    cert_pem: bytes
    key: rsa.RSAPrivateKey
    certificate: x509.Certificate


def issue(
    common_name: str,
    *,
    issuer: Party | None = None,
    ca: bool = False,
    valid_for: timedelta = timedelta(days=30),
    starts: timedelta = timedelta(minutes=-5),
) -> Party:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "000.00.00.H56"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    issuer_name = issuer.certificate.subject if issuer else name
    issuer_key = issuer.key if issuer else key
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + starts)
        .not_valid_after(now + starts + valid_for)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    certificate = builder.sign(issuer_key, hashes.SHA256())
    return Party(
        key_pem=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert_pem=certificate.public_bytes(serialization.Encoding.PEM),
        key=key,
        certificate=certificate,
    )


@pytest.fixture(scope="module")
def province() -> Party:
    """The province's own self-signed key, trusted as itself (the development set-up)."""
    return issue("lienthong development key")


@pytest.fixture(scope="module")
def stranger() -> Party:
    return issue("somebody else")


@pytest.fixture(scope="module")
def authority() -> Party:
    return issue("Government CA for tests", ca=True)


@pytest.fixture(scope="module")
def signed(province: Party) -> bytes:
    return sign_package(package(), key_pem=province.key_pem, cert_pem=province.cert_pem)


def verify_required(data: bytes, *anchors: bytes) -> Any:
    return verify_package(data, trust_anchors=anchors, mode=SignatureMode.required)


def test_signed_package_verifies_and_names_its_signer(signed: bytes, province: Party) -> None:
    result = verify_required(signed, province.cert_pem)

    assert result.present
    assert result.verified
    assert result.signer == "CN=lienthong development key,O=000.00.00.H56"


def test_signature_is_the_last_child_of_the_header_with_the_agreed_algorithms(
    signed: bytes, province: Party
) -> None:
    root = etree.fromstring(signed)
    assert root.tag == f"{ED}edXML"
    header = root.find(f"{ED}edXMLEnvelope/{ED}edXMLHeader")
    assert header is not None
    signature = header[-1]
    assert signature.tag == f"{DS}Signature"
    assert len(root.findall(f".//{DS}Signature")) == 1

    def algorithm(path: str) -> str | None:
        found = signature.find(path.replace("ds:", DS))
        assert found is not None, path
        return found.get("Algorithm")

    assert algorithm("ds:SignedInfo/ds:SignatureMethod") == (
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    )
    assert algorithm("ds:SignedInfo/ds:CanonicalizationMethod") == (
        "http://www.w3.org/2001/10/xml-exc-c14n#"
    )
    assert algorithm("ds:SignedInfo/ds:Reference/ds:DigestMethod") == (
        "http://www.w3.org/2001/04/xmlenc#sha256"
    )
    reference = signature.find(f"{DS}SignedInfo/{DS}Reference")
    assert reference is not None
    assert reference.get("URI") == ""
    assert [t.get("Algorithm") for t in reference.iter(f"{DS}Transform")] == [
        "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
        "http://www.w3.org/2001/10/xml-exc-c14n#",
    ]
    certificate = signature.findtext(f"{DS}KeyInfo/{DS}X509Data/{DS}X509Certificate")
    assert certificate is not None
    assert base64.b64decode(certificate) == province.certificate.public_bytes(
        serialization.Encoding.DER
    )


def test_signing_changes_nothing_but_adding_the_signature(signed: bytes) -> None:
    root = etree.fromstring(signed)
    signature = root.find(f".//{DS}Signature")
    assert signature is not None
    signature.getparent().remove(signature)  # type: ignore[union-attr]

    assert etree.tostring(root, method="c14n") == etree.tostring(
        etree.fromstring(package()), method="c14n"
    )


def tampered(signed: bytes, change: Callable[[etree._Element], None]) -> bytes:
    root = etree.fromstring(signed)
    change(root)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def test_changed_header_text_is_a_digest_mismatch(signed: bytes, province: Party) -> None:
    def retitle(root: etree._Element) -> None:
        subject = root.find(f".//{ED}Subject")
        assert subject is not None
        subject.text = "Về việc triển khai liên thông văn bản điện tử."

    with pytest.raises(SignatureError, match="digest mismatch"):
        verify_required(tampered(signed, retitle), province.cert_pem)


def test_one_changed_byte_anywhere_in_a_signed_element_is_refused(
    signed: bytes, province: Party
) -> None:
    position = signed.index(b"125/UBND-VP") + 2
    changed = signed[:position] + b"6" + signed[position + 1 :]

    with pytest.raises(SignatureError, match="digest mismatch"):
        verify_required(changed, province.cert_pem)


def test_changed_attachment_is_a_digest_mismatch(signed: bytes, province: Party) -> None:
    def swap_attachment(root: etree._Element) -> None:
        encoded = root.find(f".//{ED}ContentTransferEncoded")
        assert encoded is not None
        assert encoded.text is not None
        encoded.text = base64.b64encode(ATTACHMENT[:-1] + b"\x00").decode()

    with pytest.raises(SignatureError, match="digest mismatch"):
        verify_required(tampered(signed, swap_attachment), province.cert_pem)


def test_added_attachment_is_a_digest_mismatch(signed: bytes, province: Party) -> None:
    def add_attachment(root: etree._Element) -> None:
        attachments = root.find(f"{ED}AttachmentEncoded")
        assert attachments is not None
        extra = etree.SubElement(attachments, f"{ED}Attachment")
        etree.SubElement(extra, f"{ED}ContentId").text = "cid:2"
        etree.SubElement(extra, f"{ED}ContentTransferEncoded").text = "aGVsbG8="

    with pytest.raises(SignatureError, match="digest mismatch"):
        verify_required(tampered(signed, add_attachment), province.cert_pem)


def test_attachments_beside_the_envelope_are_covered_name_and_all(
    signed: bytes, province: Party
) -> None:
    """AttachmentEncoded is outside the envelope that holds the signature; still covered."""

    def rename(root: etree._Element) -> None:
        attachment = root.find(f"{ED}AttachmentEncoded/{ED}Attachment")
        assert attachment is not None
        etree.SubElement(attachment, f"{ED}AttachmentName").text = "khac.pdf"

    with pytest.raises(SignatureError, match="digest mismatch"):
        verify_required(tampered(signed, rename), province.cert_pem)


def test_a_package_of_the_older_form_signs_and_verifies(province: Party) -> None:
    older = sign_package(
        package(older_form=True), key_pem=province.key_pem, cert_pem=province.cert_pem
    )
    root = etree.fromstring(older)

    assert header_of(root)[-1].tag == f"{DS}Signature"
    assert verify_required(older, province.cert_pem).verified
    with pytest.raises(SignatureError) as refused:
        verify_required(older.replace(b"125/UBND-VP", b"126/UBND-VP"), province.cert_pem)
    assert refused.value.field == "/edXMLEnvelope/edXMLHeader/Signature"


def test_changed_signature_value_does_not_verify(signed: bytes, province: Party) -> None:
    def flip(root: etree._Element) -> None:
        value = root.find(f".//{DS}SignatureValue")
        assert value is not None
        assert value.text is not None
        raw = bytearray(base64.b64decode(value.text))
        raw[10] ^= 0x01
        value.text = base64.b64encode(bytes(raw)).decode()

    with pytest.raises(SignatureError, match="signature does not verify"):
        verify_required(tampered(signed, flip), province.cert_pem)


def test_changed_signed_info_does_not_verify(signed: bytes, province: Party) -> None:
    """Recomputing the digest after a change does not help without the signer's key."""

    def forge(root: etree._Element) -> None:
        subject = root.find(f".//{ED}Subject")
        assert subject is not None
        subject.text = "Nội dung đã bị sửa"
        signature = root.find(f".//{DS}Signature")
        digest = root.find(f".//{DS}DigestValue")
        assert signature is not None
        assert digest is not None
        parent = signature.getparent()
        assert parent is not None
        parent.remove(signature)
        canonical = etree.tostring(root, method="c14n", exclusive=True)
        parent.append(signature)
        digest.text = base64.b64encode(hashes_sha256(canonical)).decode()

    with pytest.raises(SignatureError, match="signature does not verify"):
        verify_required(tampered(signed, forge), province.cert_pem)


def hashes_sha256(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SHA256())
    digest.update(data)
    return digest.finalize()


def test_signature_by_an_untrusted_key_is_refused(
    stranger: Party, province: Party, authority: Party
) -> None:
    data = sign_package(package(), key_pem=stranger.key_pem, cert_pem=stranger.cert_pem)

    with pytest.raises(SignatureError, match="certificate not trusted") as refused:
        verify_required(data, province.cert_pem, authority.cert_pem)
    assert "CN=somebody else" in str(refused.value)


def test_certificate_issued_by_a_trusted_authority_is_accepted(authority: Party) -> None:
    officer = issue("Văn thư UBND tỉnh", issuer=authority)
    data = sign_package(package(), key_pem=officer.key_pem, cert_pem=officer.cert_pem)

    result = verify_required(data, authority.cert_pem)

    assert result.verified
    assert result.signer == "CN=Văn thư UBND tỉnh,O=000.00.00.H56"


def test_intermediate_authority_travels_in_key_info(authority: Party) -> None:
    intermediate = issue("Provincial CA for tests", issuer=authority, ca=True)
    officer = issue("Chuyên viên", issuer=intermediate)
    data = sign_package(
        package(), key_pem=officer.key_pem, cert_pem=officer.cert_pem + intermediate.cert_pem
    )

    assert verify_required(data, authority.cert_pem).signer == "CN=Chuyên viên,O=000.00.00.H56"


def test_certificate_of_another_authority_is_not_trusted(authority: Party) -> None:
    other = issue("Another CA", ca=True)
    officer = issue("Chuyên viên", issuer=other)
    data = sign_package(package(), key_pem=officer.key_pem, cert_pem=officer.cert_pem)

    with pytest.raises(SignatureError, match="certificate not trusted"):
        verify_required(data, authority.cert_pem)


def test_expired_certificate_is_not_trusted() -> None:
    expired = issue("expired", starts=timedelta(days=-60), valid_for=timedelta(days=30))
    data = sign_package(package(), key_pem=expired.key_pem, cert_pem=expired.cert_pem)

    with pytest.raises(SignatureError, match="certificate not trusted"):
        verify_required(data, expired.cert_pem)


def test_no_trust_anchors_trusts_nobody(signed: bytes) -> None:
    with pytest.raises(SignatureError, match="certificate not trusted: no trust anchors"):
        verify_required(signed)


def test_mode_off_ignores_even_a_tampered_package(signed: bytes, province: Party) -> None:
    broken = signed.replace(b"125/UBND-VP", b"126/UBND-VP")

    result = verify_package(broken, trust_anchors=[province.cert_pem], mode=SignatureMode.off)

    assert not result.verified
    assert result.signer is None


def test_verify_if_present_accepts_an_unsigned_package(province: Party) -> None:
    result = verify_package(
        package(), trust_anchors=[province.cert_pem], mode=SignatureMode.verify_if_present
    )

    assert not result.present
    assert not result.verified


def test_verify_if_present_still_refuses_a_bad_signature(signed: bytes, province: Party) -> None:
    broken = signed.replace(b"125/UBND-VP", b"126/UBND-VP")

    with pytest.raises(SignatureError, match="digest mismatch"):
        verify_package(
            broken, trust_anchors=[province.cert_pem], mode=SignatureMode.verify_if_present
        )


def test_required_refuses_an_unsigned_package(province: Party) -> None:
    with pytest.raises(SignatureError, match="unsigned package but signatures are required"):
        verify_required(package(), province.cert_pem)


def test_signature_error_is_a_permanent_mapping_error(province: Party) -> None:
    with pytest.raises(MappingError) as refused:
        verify_required(package(), province.cert_pem)
    assert refused.value.field == "/edXML/edXMLEnvelope/edXMLHeader/Signature"


C14N_1_0 = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"


def signed_elsewhere(
    party: Party,
    *,
    prefix: str | None,
    exclusive: bool,
    legacy: bool = False,
    certificate: str | None = None,
    data: bytes | None = None,
) -> bytes:
    """A package signed by hand, step by step from XML-DSig, as another agency's software
    (.NET ``SignedXml`` writes an unprefixed ``Signature`` with inclusive C14N 1.0) might: it
    checks the verifier against something other than the library that signs.

    ``legacy`` signs as legacy senders do, RSA-SHA1 over SHA-1 digests; ``certificate`` puts
    that text in ``KeyInfo`` instead of the signer's certificate."""
    root = etree.fromstring(package() if data is None else data)
    header = header_of(root)
    canonical = etree.tostring(root, method="c14n", exclusive=exclusive)
    c14n = EXCLUSIVE_C14N if exclusive else C14N_1_0
    hashing = hashes.SHA1() if legacy else hashes.SHA256()  # noqa: S303 - as legacy senders do
    signature = etree.SubElement(header, f"{DS}Signature", nsmap={prefix: DSIG_NS})
    signed_info = etree.SubElement(signature, f"{DS}SignedInfo")
    etree.SubElement(signed_info, f"{DS}CanonicalizationMethod", Algorithm=c14n)
    etree.SubElement(
        signed_info, f"{DS}SignatureMethod", Algorithm=RSA_SHA1 if legacy else RSA_SHA256
    )
    reference = etree.SubElement(signed_info, f"{DS}Reference", URI="")
    transforms = etree.SubElement(reference, f"{DS}Transforms")
    etree.SubElement(
        transforms,
        f"{DS}Transform",
        Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature",
    )
    if exclusive:
        etree.SubElement(transforms, f"{DS}Transform", Algorithm=c14n)
    etree.SubElement(reference, f"{DS}DigestMethod", Algorithm=SHA1 if legacy else SHA256)
    digest = hashes.Hash(hashing)
    digest.update(canonical)
    etree.SubElement(reference, f"{DS}DigestValue").text = base64.b64encode(
        digest.finalize()
    ).decode()
    # Canonicalized from a standalone copy: lxml gets inclusive C14N of a subtree in a default
    # namespace wrong (see mappings.edxml.signature), the way other agencies' software does not.
    standalone = etree.fromstring(etree.tostring(signed_info))
    value = party.key.sign(
        etree.tostring(standalone, method="c14n", exclusive=exclusive),
        padding.PKCS1v15(),
        hashing,
    )
    etree.SubElement(signature, f"{DS}SignatureValue").text = base64.b64encode(value).decode()
    key_info = etree.SubElement(signature, f"{DS}KeyInfo")
    etree.SubElement(etree.SubElement(key_info, f"{DS}X509Data"), f"{DS}X509Certificate").text = (
        base64.b64encode(party.certificate.public_bytes(serialization.Encoding.DER)).decode()
        if certificate is None
        else certificate
    )
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


def test_unprefixed_signature_with_inclusive_c14n_verifies(province: Party) -> None:
    data = signed_elsewhere(province, prefix=None, exclusive=False)
    assert b"<Signature xmlns=" in data

    assert verify_required(data, province.cert_pem).verified


def test_signature_with_another_prefix_verifies(province: Party) -> None:
    data = signed_elsewhere(province, prefix="dsig", exclusive=True)
    assert b"<dsig:Signature" in data

    assert verify_required(data, province.cert_pem).verified


def test_hand_made_signature_over_a_changed_package_is_refused(province: Party) -> None:
    data = signed_elsewhere(province, prefix=None, exclusive=False).replace(
        "Thanh Hóa</edXML:Place>".encode(), "Hà Nội</edXML:Place>".encode()
    )

    with pytest.raises(SignatureError, match="digest mismatch"):
        verify_required(data, province.cert_pem)


def test_signature_over_part_of_the_package_is_refused(province: Party) -> None:
    root = etree.fromstring(package())
    header = header_of(root)
    header.set("Id", "header")
    etree.SubElement(header, f"{DS}Signature", Id="placeholder", nsmap={"ds": DSIG_NS})
    signed_header_only = XMLSigner().sign(
        root, key=province.key_pem, cert=province.cert_pem.decode(), reference_uri="header"
    )
    data = etree.tostring(signed_header_only)

    with pytest.raises(SignatureError, match="does not cover the whole package"):
        verify_required(data, province.cert_pem)


def test_two_signatures_are_refused(signed: bytes, province: Party) -> None:
    def duplicate(root: etree._Element) -> None:
        signature = root.find(f".//{DS}Signature")
        body = root.find(f"{ED}edXMLEnvelope/{ED}edXMLBody")
        assert signature is not None
        assert body is not None
        body.append(etree.fromstring(etree.tostring(signature)))

    with pytest.raises(SignatureError, match="2 Signature elements"):
        verify_required(tampered(signed, duplicate), province.cert_pem)


def test_signing_an_already_signed_package_is_refused(signed: bytes, province: Party) -> None:
    with pytest.raises(SignatureError, match="already signed"):
        sign_package(signed, key_pem=province.key_pem, cert_pem=province.cert_pem)


def test_key_that_is_not_the_certificates_is_refused(province: Party, stranger: Party) -> None:
    with pytest.raises(ValueError, match="not the key of the signing certificate"):
        sign_package(package(), key_pem=stranger.key_pem, cert_pem=province.cert_pem)


EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE edXML:edXMLEnvelope [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLHeader><edXML:MessageHeader><edXML:Subject>&secret;</edXML:Subject>
  </edXML:MessageHeader></edXML:edXMLHeader>
</edXML:edXMLEnvelope>"""

ENTITY_EXPANSION = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
  <edXML:edXMLHeader><edXML:Subject>&d;&d;&d;&d;&d;&d;</edXML:Subject></edXML:edXMLHeader>
</edXML:edXMLEnvelope>"""


@pytest.mark.parametrize("hostile", [EXTERNAL_ENTITY, ENTITY_EXPANSION], ids=["xxe", "expansion"])
def test_packages_declaring_a_dtd_are_refused_unread(hostile: bytes, province: Party) -> None:
    with pytest.raises(MappingError, match="DOCTYPE is not allowed"):
        verify_package(hostile, trust_anchors=[province.cert_pem], mode=SignatureMode.required)
    with pytest.raises(MappingError, match="DOCTYPE is not allowed"):
        sign_package(hostile, key_pem=province.key_pem, cert_pem=province.cert_pem)


def test_bytes_that_are_not_an_edxml_package_are_a_mapping_error(province: Party) -> None:
    with pytest.raises(MappingError, match=r"not edXML \(or, in packages of the older form"):
        sign_package(b"<html/>", key_pem=province.key_pem, cert_pem=province.cert_pem)
    with pytest.raises(MappingError, match="not well-formed"):
        verify_required(b"<edXML:edXMLEnvelope", province.cert_pem)


def written_package(content: bytes = ATTACHMENT) -> Package:
    return Package(
        header=MessageHeader(
            From=Organisation(OrganId="000.00.00.H56", OrganName="UBND tỉnh Thanh Hóa"),
            To=(Organisation(OrganId="000.00.00.G22", OrganName="Văn phòng Chính phủ"),),
            Code=DocumentCode(CodeNumber="125", CodeNotation="UBND-VP"),
            PromulgationInfo=Promulgation(Place="Thanh Hóa", PromulgationDate=date(2026, 11, 20)),
            DocumentType=DocumentKind(Type="1", TypeName="Công văn"),
            Subject="Về việc triển khai liên thông văn bản điện tử",
            DocumentId="000.00.00.H56,2026/11/20,125/UBND-VP",
        ),
        traces=(
            Trace(OrganId="000.00.00.H56", Timestamp=datetime(2026, 11, 20, 2, 15, tzinfo=UTC)),
        ),
        attachments=(
            Attachment(
                ContentId="cid:1",
                AttachmentName="cong-van-125.pdf",
                ContentType="application/pdf",
                content=content,
            ),
        ),
    )


def test_what_the_writer_writes_signs_verifies_and_reads_back(province: Party) -> None:
    original = written_package()

    signed = sign_package(
        write_package(original), key_pem=province.key_pem, cert_pem=province.cert_pem
    )

    check_against_schema(etree.fromstring(signed))
    assert verify_required(signed, province.cert_pem).verified
    assert read_package(signed) == original


def test_attachment_changed_in_a_written_package_is_refused(province: Party) -> None:
    signed = sign_package(
        write_package(written_package()), key_pem=province.key_pem, cert_pem=province.cert_pem
    )
    encoded = base64.b64encode(ATTACHMENT)
    changed = signed.replace(encoded, encoded[:100] + b"A" + encoded[101:])
    assert changed != signed

    with pytest.raises(SignatureError, match="digest mismatch"):
        verify_required(changed, province.cert_pem)


# Packages whose attachments are large enough to be set aside while signing and verifying.

LARGE_ATTACHMENT = bytes(range(256)) * 1024


def test_large_attachment_signs_to_a_digest_of_the_whole_package(province: Party) -> None:
    """The digest and signature value are checked here step by step from XML-DSig over the
    whole tree, not as ``sign_package`` computes them."""
    original = written_package(LARGE_ATTACHMENT)

    signed = sign_package(
        write_package(original), key_pem=province.key_pem, cert_pem=province.cert_pem
    )

    root = etree.fromstring(signed, etree.XMLParser(huge_tree=True))
    signature = root.find(f".//{DS}Signature")
    assert signature is not None
    signed_info = signature.find(f"{DS}SignedInfo")
    digest_value = signature.findtext(f"{DS}SignedInfo/{DS}Reference/{DS}DigestValue")
    signature_value = signature.findtext(f"{DS}SignatureValue")
    assert signed_info is not None and digest_value and signature_value
    standalone = etree.fromstring(etree.tostring(signed_info))
    signature.getparent().remove(signature)  # type: ignore[union-attr]
    assert base64.b64decode(digest_value) == hashes_sha256(
        etree.tostring(root, method="c14n", exclusive=True)
    )
    province.key.public_key().verify(
        base64.b64decode(signature_value),
        etree.tostring(standalone, method="c14n", exclusive=True),
        padding.PKCS1v15(),
        hashes.SHA256(),
    )
    assert verify_required(signed, province.cert_pem).verified
    assert read_package(signed) == original


def test_large_attachment_signed_elsewhere_verifies(province: Party) -> None:
    data = write_package(written_package(LARGE_ATTACHMENT))

    for exclusive in (True, False):
        signed = signed_elsewhere(province, prefix=None, exclusive=exclusive, data=data)
        assert verify_required(signed, province.cert_pem).verified


def test_one_changed_character_of_a_large_attachment_is_a_digest_mismatch(
    province: Party,
) -> None:
    signed = sign_package(
        write_package(written_package(LARGE_ATTACHMENT)),
        key_pem=province.key_pem,
        cert_pem=province.cert_pem,
    )
    at = signed.index(base64.b64encode(LARGE_ATTACHMENT)) + 200_000
    changed = signed[:at] + (b"B" if signed[at : at + 1] == b"A" else b"A") + signed[at + 1 :]

    with pytest.raises(SignatureError, match="digest mismatch"):
        verify_required(changed, province.cert_pem)


def lines_of(content: bytes, end: bytes) -> bytes:
    """The base64 of ``content`` in lines of 76 that close with ``end``: ``b"\\r\\n"`` as
    .NET's ``Convert.ToBase64String`` breaks them, ``b"\\n"`` as a parser reads those."""
    text = base64.b64encode(content)
    return end + end.join(text[i : i + 76] for i in range(0, len(text), 76)) + end


def in_lines(data: bytes, content: bytes, end: bytes) -> bytes:
    """``data`` with the base64 of ``content`` broken into lines (``lines_of``)."""
    assert data.count(base64.b64encode(content)) == 1
    return data.replace(base64.b64encode(content), lines_of(content, end))


def signed_elsewhere_in_windows_lines(province: Party, *, exclusive: bool) -> bytes:
    """A package signed elsewhere whose large attachment travels in Windows lines: signed over
    what a parser reads (line feeds), sent with carriage returns before them."""
    written = write_package(written_package(LARGE_ATTACHMENT))
    signed = signed_elsewhere(
        province, prefix=None, exclusive=exclusive, data=in_lines(written, LARGE_ATTACHMENT, b"\n")
    )
    unix, windows = (lines_of(LARGE_ATTACHMENT, end) for end in (b"\n", b"\r\n"))
    assert signed.count(unix) == 1
    return signed.replace(unix, windows)


def test_large_attachment_in_windows_lines_signed_elsewhere_verifies(province: Party) -> None:
    for exclusive in (True, False):
        signed = signed_elsewhere_in_windows_lines(province, exclusive=exclusive)

        assert verify_required(signed, province.cert_pem).verified
        read = read_package(signed)
        assert isinstance(read, Package)
        assert read.attachments[0].content == LARGE_ATTACHMENT


def test_large_attachment_in_windows_lines_signs_to_a_digest_of_the_whole_package(
    province: Party,
) -> None:
    written = write_package(written_package(LARGE_ATTACHMENT))
    data = in_lines(written, LARGE_ATTACHMENT, b"\r\n")

    signed = sign_package(data, key_pem=province.key_pem, cert_pem=province.cert_pem)

    root = etree.fromstring(signed, etree.XMLParser(huge_tree=True))
    signature = root.find(f".//{DS}Signature")
    assert signature is not None
    digest_value = signature.findtext(f"{DS}SignedInfo/{DS}Reference/{DS}DigestValue")
    signature.getparent().remove(signature)  # type: ignore[union-attr]
    original = etree.fromstring(data, etree.XMLParser(huge_tree=True))
    canonical = etree.tostring(original, method="c14n", exclusive=True)
    assert base64.b64decode(digest_value or "") == hashes_sha256(canonical)
    assert etree.tostring(root, method="c14n", exclusive=True) == canonical
    assert verify_required(signed, province.cert_pem).verified


def test_one_changed_character_in_windows_lines_is_a_digest_mismatch(province: Party) -> None:
    signed = signed_elsewhere_in_windows_lines(province, exclusive=True)
    at = signed.index(lines_of(LARGE_ATTACHMENT, b"\r\n")) + 200_000
    while signed[at : at + 1] in (b"\r", b"\n"):
        at += 1
    changed = signed[:at] + (b"B" if signed[at : at + 1] == b"A" else b"A") + signed[at + 1 :]

    with pytest.raises(SignatureError, match="digest mismatch"):
        verify_required(changed, province.cert_pem)


# Legacy senders: RSA-SHA1, SHA-1 digests, inclusive C14N.


def test_legacy_signature_verifies_when_allowed_and_names_its_weak_algorithms(
    province: Party,
) -> None:
    data = signed_elsewhere(province, prefix=None, exclusive=False, legacy=True)

    result = verify_package(
        data, trust_anchors=[province.cert_pem], mode=SignatureMode.required, allow_legacy=True
    )

    assert result.verified
    assert result.state is SignatureState.verified
    assert result.signer == "CN=lienthong development key,O=000.00.00.H56"
    assert result.weak_algorithms == (
        f"RSA-SHA1 signature method ({RSA_SHA1})",
        f"SHA-1 digest ({SHA1})",
    )


def test_legacy_signature_is_refused_when_not_allowed(province: Party) -> None:
    data = signed_elsewhere(province, prefix=None, exclusive=False, legacy=True)

    with pytest.raises(SignatureError, match="legacy algorithm refused") as refused:
        verify_package(
            data,
            trust_anchors=[province.cert_pem],
            mode=SignatureMode.verify_if_present,
            allow_legacy=False,
        )
    assert "RSA-SHA1" in refused.value.reason
    assert refused.value.field == "/edXML/edXMLEnvelope/edXMLHeader/Signature"


def test_legacy_is_refused_unless_the_caller_allows_it(province: Party) -> None:
    data = signed_elsewhere(province, prefix="ds", exclusive=True, legacy=True)

    with pytest.raises(SignatureError, match="legacy algorithm refused"):
        verify_required(data, province.cert_pem)


def test_legacy_signature_over_a_changed_package_is_still_a_digest_mismatch(
    province: Party,
) -> None:
    data = signed_elsewhere(province, prefix=None, exclusive=False, legacy=True).replace(
        "Thanh Hóa</edXML:Place>".encode(), "Hà Nội</edXML:Place>".encode()
    )

    with pytest.raises(SignatureError, match="digest mismatch"):
        verify_package(
            data, trust_anchors=[province.cert_pem], mode=SignatureMode.required, allow_legacy=True
        )


def test_current_signature_has_no_weak_algorithms(signed: bytes, province: Party) -> None:
    assert verify_required(signed, province.cert_pem).weak_algorithms == ()


# Signatures that cannot be checked: a truncated or placeholder certificate in KeyInfo.


@pytest.mark.parametrize(
    "certificate",
    ["MIIDXTCCAkWgAwIBAgIJA", "CERTIFICATE", "", "AAAA"],
    ids=["truncated", "placeholder", "empty", "not-der"],
)
def test_unreadable_certificate_is_unverifiable_if_present_and_refused_if_required(
    province: Party, certificate: str
) -> None:
    data = signed_elsewhere(province, prefix=None, exclusive=True, certificate=certificate)

    result = verify_package(
        data, trust_anchors=[province.cert_pem], mode=SignatureMode.verify_if_present
    )
    assert (result.present, result.verified) == (True, False)
    assert result.state is SignatureState.unverifiable
    assert result.unverifiable is not None and "X509Certificate" in result.unverifiable

    with pytest.raises(SignatureError, match="unverifiable signature: X509Certificate"):
        verify_required(data, province.cert_pem)


def test_truncated_real_certificate_is_unverifiable(province: Party) -> None:
    der = province.certificate.public_bytes(serialization.Encoding.DER)
    data = signed_elsewhere(
        province, prefix=None, exclusive=True, certificate=base64.b64encode(der[:-40]).decode()
    )

    result = verify_package(
        data, trust_anchors=[province.cert_pem], mode=SignatureMode.verify_if_present
    )

    assert result.state is SignatureState.unverifiable
    assert result.unverifiable is not None and "truncated or a placeholder" in result.unverifiable


def test_the_real_hub_package_is_unverifiable_with_its_weak_algorithms(province: Party) -> None:
    """The hand-written hub package: RSA-SHA1, SHA-1, a placeholder certificate."""
    data = (HERE / "messy_real_hub_package.xml").read_bytes()

    result = verify_package(
        data,
        trust_anchors=[province.cert_pem],
        mode=SignatureMode.verify_if_present,
        allow_legacy=True,
    )

    assert result.state is SignatureState.unverifiable
    assert result.weak_algorithms == (
        f"RSA-SHA1 signature method ({RSA_SHA1})",
        f"SHA-1 digest ({SHA1})",
    )
    with pytest.raises(SignatureError, match="legacy algorithm refused"):
        verify_package(
            data, trust_anchors=[province.cert_pem], mode=SignatureMode.verify_if_present
        )


def test_states_of_an_unsigned_and_an_unchecked_package(province: Party) -> None:
    unsigned = verify_package(
        package(), trust_anchors=[province.cert_pem], mode=SignatureMode.verify_if_present
    )
    unchecked = verify_package(package(), trust_anchors=[], mode=SignatureMode.off)

    assert unsigned.state is SignatureState.unsigned
    assert unchecked.state is SignatureState.not_checked
