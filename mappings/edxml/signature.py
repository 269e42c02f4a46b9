"""The XML-DSig signature of an edXML package: signing what the province sends, checking what it
receives.

Where it goes and what it covers: a package is signed whole. One enveloped signature sits as the
last child of ``edXML:edXMLHeader`` (inside ``edXML/edXMLEnvelope``, where QCVN 102:2016 and the
project's XSD put it), and its single ``Reference`` has ``URI=""`` with the enveloped-signature
transform: the whole document, from the ``edXML`` document element down, minus the signature
itself. So the envelope (header and manifest) and the ``AttachmentEncoded`` beside it, every
attachment's base64 included, are covered, and nothing outside the signature can change without
the digest changing. Packages of the older form (``edXMLEnvelope`` as the document element, the
attachments inside it) are signed and checked the same way, from their own document element.

Algorithms: RSA-SHA256 over a SHA-256 digest, the signer's X.509 certificate (and any
intermediates given with it) in ``KeyInfo/X509Data``. Canonicalization is **exclusive** C14N 1.0
without comments (``http://www.w3.org/2001/10/xml-exc-c14n#``): every XML-DSig implementation the
agencies use (.NET ``SignedXml``, Apache Santuario, xmlsec) supports it, which is not true of C14N
1.1, and it leaves a signed package verifiable if it is ever carried inside another XML document
(a SOAP body, an archive) because it does not pull in the namespace declarations of ancestors.
Verification accepts whichever of the standard canonicalizations the sender chose.

Legacy senders sign with RSA-SHA1 and SHA-1 digests. SHA-1 is broken for signatures, so such a
signature is checked only when the caller allows it (``allow_legacy``), and the ``Verification``
names the weak algorithms so that the receiver can record them; otherwise it is refused.

A signature that cannot be checked at all (its ``KeyInfo`` carries no certificate, or one that is
truncated or a placeholder, as some senders' packages do) is *unverifiable*: accepted as such
under ``verify_if_present``, which accepts unsigned packages anyway, refused under ``required``.

Parsing is hardened: no DTD is loaded or allowed, no entity is expanded, nothing is fetched from
the network. Large trees are allowed (``huge_tree``) because a package carries its attachments as
single base64 text nodes that easily pass libxml2's default 10 MB limit; without a DTD and with
entities off, that lifts no protection that matters here.

Cost: the attachments' base64 texts are set aside (``mappings.edxml.set_aside``) while a package
is parsed, copied, canonicalized and serialized, and put back into the signed package, so the
work of libxml2 and signxml is that of a document of a few kilobytes; the digest is still over
the whole package: its canonical form is hashed piece by piece, each set-aside text where it lies
in the package's bytes, never copied into one buffer first.

Everything here takes and returns bytes and does no file or network I/O; where keys and trust
anchors come from is the gateway's business (``gateway.keys``).
"""

from __future__ import annotations

import base64
import binascii
import copy
import hmac
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.hashes import Hash
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)
from lxml import etree
from signxml.algorithms import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureMethod,
    digest_algorithm_implementations,
)
from signxml.exceptions import (
    InvalidCertificate,
    InvalidDigest,
    InvalidInput,
    InvalidSignature,
    SignXMLException,
)
from signxml.signer import XMLSigner
from signxml.util import X509CertChainVerifier
from signxml.verifier import SignatureConfiguration, VerifyResult, XMLVerifier

from mappings.edxml.errors import EdxmlError
from mappings.edxml.set_aside import SetAside, set_aside

EDXML_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"

_ROOT = f"{{{EDXML_NS}}}edXML"
_ENVELOPE = f"{{{EDXML_NS}}}edXMLEnvelope"
_HEADER = f"{{{EDXML_NS}}}edXMLHeader"
_SIGNATURE = f"{{{DSIG_NS}}}Signature"
_SIGNED_INFO = f"{{{DSIG_NS}}}SignedInfo"
_REFERENCE = f"{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}Reference"
_SIGNATURE_METHOD = f"{{{DSIG_NS}}}SignedInfo/{{{DSIG_NS}}}SignatureMethod"
_DIGEST_METHOD = f"{{{DSIG_NS}}}DigestMethod"
_CERTIFICATE = f"{{{DSIG_NS}}}KeyInfo/{{{DSIG_NS}}}X509Data/{{{DSIG_NS}}}X509Certificate"
_TRANSFORM = f"{{{DSIG_NS}}}Transforms/{{{DSIG_NS}}}Transform"
_ENVELOPED_TRANSFORM = f"{DSIG_NS}enveloped-signature"
_CANONICALIZATIONS = frozenset(method.value for method in CanonicalizationMethod)

_C14N = CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0

_ACCEPTED_SIGNATURE_METHODS = frozenset(
    {
        SignatureMethod.RSA_SHA256,
        SignatureMethod.RSA_SHA384,
        SignatureMethod.RSA_SHA512,
        SignatureMethod.SHA256_RSA_MGF1,
        SignatureMethod.SHA384_RSA_MGF1,
        SignatureMethod.SHA512_RSA_MGF1,
        SignatureMethod.ECDSA_SHA256,
        SignatureMethod.ECDSA_SHA384,
        SignatureMethod.ECDSA_SHA512,
    }
)
_ACCEPTED_DIGESTS = frozenset(
    {DigestAlgorithm.SHA256, DigestAlgorithm.SHA384, DigestAlgorithm.SHA512}
)
_EXPECTED = SignatureConfiguration(
    require_x509=True,
    location=".//",
    expect_references=1,
    signature_methods=_ACCEPTED_SIGNATURE_METHODS,
    digest_algorithms=_ACCEPTED_DIGESTS,
)
_LEGACY_SIGNATURE_METHODS = frozenset(
    {SignatureMethod.RSA_SHA1, SignatureMethod.ECDSA_SHA1, SignatureMethod.SHA1_RSA_MGF1}
)
_LEGACY_DIGESTS = frozenset({DigestAlgorithm.SHA1})
_EXPECTED_WITH_LEGACY = SignatureConfiguration(
    require_x509=True,
    location=".//",
    expect_references=1,
    signature_methods=_ACCEPTED_SIGNATURE_METHODS | _LEGACY_SIGNATURE_METHODS,
    digest_algorithms=_ACCEPTED_DIGESTS | _LEGACY_DIGESTS,
)


class SignatureMode(StrEnum):
    """How strictly received packages are checked.

    ``off`` does not look at signatures at all; ``verify_if_present`` accepts unsigned packages
    but refuses a signature that does not verify; ``required`` refuses unsigned packages too.
    """

    off = "off"
    verify_if_present = "verify_if_present"
    required = "required"


SIGNATURE_LOCATION = "/edXML/edXMLEnvelope/edXMLHeader/Signature"
"""Where the signature is, in a package of the current form."""
OLDER_FORM_SIGNATURE_LOCATION = "/edXMLEnvelope/edXMLHeader/Signature"
"""Where it is in a package of the older form, the envelope as the document element."""


class SignatureError(EdxmlError):
    """A package whose signature is missing where required, malformed, or does not hold.

    Permanent like every ``MappingError``: the same bytes fail the same way every time, so a
    receiver refuses the package instead of retrying. ``field`` is where the signature is, or
    would be (``SIGNATURE_LOCATION``, or ``OLDER_FORM_SIGNATURE_LOCATION`` for a package of the
    older form); ``reason`` (also ``rule``) starts with one of
    ``digest mismatch``, ``signature does not verify``, ``certificate not trusted``,
    ``unsigned package but signatures are required``, ``unverifiable signature``,
    ``legacy algorithm refused``, ``malformed signature``, followed by what was found.
    """

    def __init__(self, reason: str, field: str = SIGNATURE_LOCATION) -> None:
        super().__init__(field, reason)
        self.reason = reason


class SignatureState(StrEnum):
    """What became of a package's signature: what a receiver records beside the package."""

    verified = "verified"
    """It holds, under a trusted certificate."""
    unsigned = "unsigned"
    """The package carries none."""
    unverifiable = "unverifiable"
    """It cannot be checked: its certificate is missing, truncated or a placeholder."""
    not_checked = "not_checked"
    """Signatures are not looked at (``SignatureMode.off``)."""


@dataclass(frozen=True, slots=True)
class Verification:
    """What ``verify_package`` found.

    ``present`` is whether the package carries a ``Signature``; ``verified`` whether it was
    checked and holds (a signature that does not hold never comes back here: it raises).
    ``signer`` is the verified certificate's subject (RFC 4514, e.g.
    ``O=000.00.00.H56,CN=...``), None when nothing was verified. Under ``off`` the package is not
    parsed, so ``present`` is False whatever it carries. ``unverifiable`` says why a signature
    could not be checked (only under ``verify_if_present``; ``required`` raises instead).
    ``weak_algorithms`` names the legacy algorithms the signature uses, e.g.
    ``("RSA-SHA1 signature method (http://www.w3.org/2000/09/xmldsig#rsa-sha1)", ...)``, empty
    for a signature made with current ones: a receiver records them with the package.
    """

    mode: SignatureMode
    present: bool
    verified: bool
    signer: str | None = None
    unverifiable: str | None = None
    weak_algorithms: tuple[str, ...] = ()

    @property
    def state(self) -> SignatureState:
        if self.mode is SignatureMode.off:
            return SignatureState.not_checked
        if self.verified:
            return SignatureState.verified
        if self.present:
            return SignatureState.unverifiable
        return SignatureState.unsigned


def sign_package(package: bytes, *, key_pem: bytes, cert_pem: bytes) -> bytes:
    """``package`` with an enveloped signature added as the last child of its ``edXMLHeader``,
    covering the whole package (``URI=""``) from its document element: ``edXML`` (or, for a
    package of the older form, ``edXMLEnvelope``).

    ``key_pem`` is an unencrypted PEM private key; ``cert_pem`` the matching certificate,
    optionally followed by intermediate CA certificates, all of which go into ``KeyInfo``. The
    returned bytes are UTF-8 with an XML declaration; everything the package said is kept as it
    was (the signature covers its canonical form, not its bytes).

    Raises ``EdxmlError`` when the bytes are not an edXML package, ``SignatureError`` when the
    package is already signed, ``ValueError`` when the key or certificate cannot be read or the
    key is not the certificate's.
    """
    root, aside = _parse_set_aside(package)
    header = _header(root)
    if next(root.iter(_SIGNATURE), None) is not None:
        raise SignatureError("the package is already signed; sign the unsigned package instead")
    key, chain = _signing_material(key_pem, cert_pem)
    etree.SubElement(header, _SIGNATURE, {"Id": "placeholder"}, nsmap={"ds": DSIG_NS})
    signed = _Signer(aside).sign(root, key=key, cert=list(chain))
    return aside.fill(etree.tostring(signed, encoding="UTF-8", xml_declaration=True))


def verify_package(
    package: bytes,
    *,
    trust_anchors: Sequence[bytes],
    mode: SignatureMode,
    allow_legacy: bool = False,
) -> Verification:
    """Check the package's signature against ``trust_anchors`` as ``mode`` demands.

    ``trust_anchors`` are PEM certificates (CA or self-signed; one PEM may hold several): the
    signer's certificate must chain to one of them, with intermediates taken from ``KeyInfo``,
    valid now and allowing digital signatures. The ``Signature`` may use any prefix or none, as
    long as it is in the XML-DSig namespace; a package may carry only one, and it must cover the
    whole package (one ``Reference``, ``URI=""``, enveloped).

    ``allow_legacy`` lets a signature made with SHA-1 (RSA-SHA1, SHA-1 digests) be checked, and
    names those algorithms in ``Verification.weak_algorithms``; without it such a signature is
    refused (``legacy algorithm refused``) whatever else it holds.

    A signature whose certificate cannot be read (missing, truncated, a placeholder) is
    returned as unverifiable under ``verify_if_present`` and refused under ``required``.

    Raises ``SignatureError`` (see its reasons) when the signature does not hold or is missing
    under ``required``, and ``EdxmlError`` when the bytes are not an edXML package.
    """
    if mode is SignatureMode.off:
        return Verification(mode=mode, present=False, verified=False)
    root, aside = _parse_set_aside(package)
    _header(root)
    where = _signature_location(root)
    signatures = list(root.iter(_SIGNATURE))
    if not signatures:
        if mode is SignatureMode.required:
            raise SignatureError("unsigned package but signatures are required", where)
        return Verification(mode=mode, present=False, verified=False)
    if len(signatures) > 1:
        raise SignatureError(
            f"malformed signature: the package carries {len(signatures)} Signature elements, "
            "where one is allowed",
            where,
        )
    signature = signatures[0]
    _check_covers_whole_package(signature, where)
    weak = _weak_algorithms(signature)
    if weak and not allow_legacy:
        raise SignatureError(
            f"legacy algorithm refused: the signature uses {', '.join(weak)}; SHA-1 is broken "
            "for signatures and legacy signatures are not accepted here",
            where,
        )
    unreadable = _unreadable_certificate(signature)
    if unreadable is not None:
        if mode is SignatureMode.required:
            raise SignatureError(f"unverifiable signature: {unreadable}", where)
        return Verification(
            mode=mode, present=True, verified=False, unverifiable=unreadable, weak_algorithms=weak
        )
    anchors = _anchors(tuple(trust_anchors))
    if not anchors:
        raise SignatureError("certificate not trusted: no trust anchors are configured", where)
    verifier = _Verifier(anchors, aside)
    expected = _EXPECTED_WITH_LEGACY if weak else _EXPECTED
    try:
        verifier.verify(root, parser=_parser(), expect_config=expected)
    except InvalidDigest as error:
        raise SignatureError(
            f"digest mismatch: the package was changed after it was signed ({error})", where
        ) from error
    except InvalidCertificate as error:
        raise SignatureError(f"certificate not trusted: {error}", where) from error
    except InvalidSignature as error:
        raise SignatureError(
            f"signature does not verify: SignatureValue does not match SignedInfo under the "
            f"signer's key ({error})",
            where,
        ) from error
    except (InvalidInput, SignXMLException, etree.DocumentInvalid, ValueError) as error:
        raise SignatureError(f"malformed signature: {error}", where) from error
    return Verification(
        mode=mode, present=True, verified=True, signer=verifier.signer, weak_algorithms=weak
    )


def _parser() -> etree.XMLParser:
    """A hardened parser for this thread: lxml parsers must not be shared between threads."""
    parser: etree.XMLParser | None = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=True,
        )
        _PARSERS.parser = parser
    return parser


_PARSERS = threading.local()


def _parse(package: bytes) -> etree._Element:
    try:
        root = etree.fromstring(package, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise EdxmlError("/", f"the package is not well-formed XML: {error}") from error
    if root.getroottree().docinfo.doctype:
        raise EdxmlError("/", "a DOCTYPE is not allowed in an edXML package")
    if root.tag not in (_ROOT, _ENVELOPE):
        name = etree.QName(root)
        raise EdxmlError(
            "/",
            f"the root element is {name.localname} in {name.namespace or 'no namespace'}, "
            f"not edXML (or, in packages of the older form, edXMLEnvelope) in {EDXML_NS}",
        )
    return root


_ASCII_COMPATIBLE = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})


def _parse_set_aside(package: bytes) -> tuple[etree._Element, SetAside]:
    """The package's tree with its attachments set aside (``mappings.edxml.set_aside``), and
    the texts set aside; the whole tree and nothing set aside for a package declared in an
    encoding other than UTF-8 or ASCII, where bytes and characters may not be the same."""
    small, aside = set_aside(package)
    root = _parse(small)
    if len(aside):
        encoding = (root.getroottree().docinfo.encoding or "utf-8").lower()
        if encoding not in _ASCII_COMPATIBLE:
            return _parse(package), SetAside(b"", [])
    return root, aside


def _header(root: etree._Element) -> etree._Element:
    envelope = root if root.tag == _ENVELOPE else root.find(_ENVELOPE)
    header = None if envelope is None else envelope.find(_HEADER)
    if header is None:
        where = _signature_location(root).removesuffix("/Signature")
        raise EdxmlError(where, "missing: the signature goes inside edXMLHeader")
    return header


def _signature_location(root: etree._Element) -> str:
    return OLDER_FORM_SIGNATURE_LOCATION if root.tag == _ENVELOPE else SIGNATURE_LOCATION


def _check_covers_whole_package(signature: etree._Element, where: str) -> None:
    """Refuse a signature that signs less than the whole package (see what is signed)."""
    references = signature.findall(_REFERENCE)
    if len(references) != 1:
        raise SignatureError(
            f"malformed signature: {len(references)} References, where one covering the whole "
            'package (URI="") is expected',
            where,
        )
    reference = references[0]
    if reference.get("URI") != "":
        raise SignatureError(
            f'malformed signature: the Reference has URI="{reference.get("URI")}", so it does '
            'not cover the whole package (URI="")',
            where,
        )
    transforms = [transform.get("Algorithm") for transform in reference.findall(_TRANSFORM)]
    if _ENVELOPED_TRANSFORM not in transforms or any(
        algorithm != _ENVELOPED_TRANSFORM and algorithm not in _CANONICALIZATIONS
        for algorithm in transforms
    ):
        raise SignatureError(
            f"malformed signature: transforms {transforms}; an enveloped signature and at most "
            "a canonicalization are expected",
            where,
        )


def _weak_algorithms(signature: etree._Element) -> tuple[str, ...]:
    """The legacy (SHA-1) algorithms the signature names, each once, as a person reads them."""
    found: list[str] = []
    method = signature.find(_SIGNATURE_METHOD)
    uri = None if method is None else method.get("Algorithm")
    if uri in {legacy.value for legacy in _LEGACY_SIGNATURE_METHODS}:
        name = SignatureMethod(uri).name.replace("_", "-")
        found.append(f"{name} signature method ({uri})")
    for reference in signature.findall(_REFERENCE):
        digest = reference.find(_DIGEST_METHOD)
        uri = None if digest is None else digest.get("Algorithm")
        if uri == DigestAlgorithm.SHA1.value:
            found.append(f"SHA-1 digest ({uri})")
    return tuple(dict.fromkeys(found))


def _unreadable_certificate(signature: etree._Element) -> str | None:
    """Why the signer's certificate in ``KeyInfo`` cannot be read, or None when it can.

    Every ``X509Certificate`` must be base64 of a DER certificate: a truncated one, a placeholder
    (``MIIC...``, ``CERTIFICATE``) or none at all leaves nothing to check the signature with.
    """
    certificates = signature.findall(_CERTIFICATE)
    if not certificates:
        return "KeyInfo carries no X.509 certificate to check the signature with"
    for number, element in enumerate(certificates, start=1):
        text = "".join((element.text or "").split())
        what = f"X509Certificate {number} of {len(certificates)}"
        if not text:
            return f"{what} in KeyInfo is empty"
        try:
            der = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return f"{what} in KeyInfo is not base64 ({text[:20]!r}...): a placeholder?"
        try:
            x509.load_der_x509_certificate(der)
        except ValueError as error:
            return (
                f"{what} in KeyInfo is not a certificate ({len(der)} bytes; {error}): "
                "truncated or a placeholder"
            )
    return None


@lru_cache(maxsize=8)
def _signing_material(
    key_pem: bytes, cert_pem: bytes
) -> tuple[rsa.RSAPrivateKey, tuple[x509.Certificate, ...]]:
    """The key and certificate chain, read once: loading an RSA key checks it, which costs
    tens of milliseconds, far more than signing a package."""
    key = load_pem_private_key(key_pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"the signing key is {type(key).__name__}; packages are signed RSA-SHA256")
    chain = tuple(x509.load_pem_x509_certificates(cert_pem))
    public = key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    certified = chain[0].public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    if public != certified:
        raise ValueError(
            "the signing key is not the key of the signing certificate "
            f"({chain[0].subject.rfc4514_string()})"
        )
    return key, chain


@lru_cache(maxsize=8)
def _anchors(pems: tuple[bytes, ...]) -> tuple[x509.Certificate, ...]:
    return tuple(
        certificate for pem in pems for certificate in x509.load_pem_x509_certificates(pem)
    )


class _Signer(XMLSigner):
    """signxml's signer with this module's algorithms and hardened parser, over a tree whose
    attachments are set aside (``mappings.edxml.set_aside``).

    signxml copies the document it signs by serializing and re-parsing it, twice, which for a
    package with megabytes of attachments costs more than canonicalizing and signing it. The
    document here is always a whole tree this module parsed itself, so a deep copy gives the
    same tree (the root keeps its namespace declarations) at a fraction of the cost, and less
    still with the attachments out of it. Every canonical form it digests or signs has the
    set-aside texts in it (``_canonical``, ``_digest``), so the digest is that of the whole
    package.
    """

    def __init__(self, aside: SetAside) -> None:
        super().__init__(c14n_algorithm=_C14N)
        self.aside = aside

    @property
    def parser(self) -> etree.XMLParser:
        return _parser()

    def get_root(self, data: Any) -> Any:
        if isinstance(data, etree._Element) and data.getparent() is None:
            return copy.deepcopy(data)
        return super().get_root(data)  # type: ignore[no-untyped-call]

    def _c14n(
        self,
        nodes: Any,
        algorithm: CanonicalizationMethod,
        inclusive_ns_prefixes: list[str] | None = None,
    ) -> bytes:
        canonical: bytes = super()._c14n(
            nodes, algorithm=algorithm, inclusive_ns_prefixes=inclusive_ns_prefixes
        )
        return _canonical(self.aside, nodes, canonical)

    def _get_digest(self, data: bytes, algorithm: DigestAlgorithm) -> bytes:
        return _digest(self.aside, data, algorithm)


class _Verifier(XMLVerifier):
    """signxml's verifier, trusting the given anchors (from memory, not from a CA file) and
    remembering who signed, over a tree whose attachments are set aside
    (``mappings.edxml.set_aside``): the copies it makes are small, and the canonical form it
    digests is hashed with the set-aside texts in it (``_canonical``, ``_digest``), so the
    digest checked is that of the whole package."""

    def __init__(self, anchors: tuple[x509.Certificate, ...], aside: SetAside) -> None:
        super().__init__()
        self.anchors = anchors
        self.aside = aside
        self.signer: str | None = None

    def get_root(self, data: Any) -> Any:
        """The tree ``verify_package`` parsed, hardened, as it is: signxml would serialize and
        re-parse it, but it only reads this tree (it copies before removing the signature)."""
        if isinstance(data, etree._Element):
            return data
        return super().get_root(data)  # type: ignore[no-untyped-call]

    def _c14n(
        self,
        nodes: Any,
        algorithm: CanonicalizationMethod,
        inclusive_ns_prefixes: list[str] | None = None,
    ) -> bytes:
        """Canonicalize ``SignedInfo`` as a standalone copy, not in place.

        lxml (6.1, libxml2 2.14) canonicalizes an element that is not its document's root
        wrongly under inclusive C14N when it is in a default namespace: its grandchildren come
        out with ``xmlns=""``. That is exactly how .NET ``SignedXml`` signs (an unprefixed
        ``Signature``, C14N 1.0), so such signatures would never verify. A copy made by
        serializing the element carries every in-scope namespace declaration on its root,
        which is what inclusive C14N renders on the apex of a subtree, and canonicalizes right.
        """
        given = nodes
        if isinstance(nodes, etree._Element) and nodes.getparent() is not None:
            nodes = etree.fromstring(etree.tostring(nodes), parser=_parser())
        canonical: bytes = super()._c14n(
            nodes, algorithm=algorithm, inclusive_ns_prefixes=inclusive_ns_prefixes
        )
        return _canonical(self.aside, given, canonical)

    def _get_digest(self, data: bytes, algorithm: DigestAlgorithm) -> bytes:
        return _digest(self.aside, data, algorithm)

    def _verify_reference(
        self,
        reference: Any,
        index: int,
        root: Any,
        uri_resolver: Any,
        c14n_algorithm: CanonicalizationMethod,
        signature: Any,
        signature_key_used: Any,
    ) -> VerifyResult:
        """signxml's check of one reference, step for step, less its last: parsing the canonical
        package once more to hand back as ``VerifyResult.signed_xml`` (None here), which costs
        as much as the rest and which ``verify_package`` does not use: it answers whether the
        package's bytes hold, and they are read from the bytes. Its ``signed_data`` is the
        canonical form as digested, with the markers of the set-aside texts in it."""
        copied_root = self._fromstring(self._tostring(root))  # type: ignore[no-untyped-call]
        copied_signature = self._get_signature(copied_root)  # type: ignore[no-untyped-call]
        transforms = self._find(reference, "Transforms", require=False)  # type: ignore[no-untyped-call]
        digest_method = self._find(reference, "DigestMethod").get("Algorithm")  # type: ignore[no-untyped-call]
        digest_value = self._find(reference, "DigestValue")  # type: ignore[no-untyped-call]
        payload = self._resolve_reference(copied_root, reference, uri_resolver=uri_resolver)  # type: ignore[no-untyped-call]
        payload_c14n = self._apply_transforms(
            payload, transforms_node=transforms, signature=copied_signature
        )
        digest_algorithm = DigestAlgorithm(digest_method)
        self.check_digest_alg_expected(digest_algorithm)  # type: ignore[no-untyped-call]
        expected = base64.b64decode(digest_value.text or "")
        if not hmac.compare_digest(expected, self._get_digest(payload_c14n, digest_algorithm)):
            raise InvalidDigest(f"Digest mismatch for reference {index} ({reference.get('URI')})")
        key = (
            signature_key_used
            if isinstance(signature_key_used, bytes)
            else signature_key_used.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        )
        return VerifyResult(payload_c14n, None, signature, signature_key=key)

    def get_cert_chain_verifier(self, ca_pem_file: Any, ee_policy: Any, ca_policy: Any) -> Any:
        return _ChainVerifier(self, ee_policy=ee_policy, ca_policy=ca_policy)


def _canonical(aside: SetAside, nodes: Any, canonical: bytes) -> bytes:
    """The canonical form of ``nodes`` as signxml uses it: ``SignedInfo``'s, which is signed,
    with the set-aside texts put back (should one hold any); the package's, which is only
    digested, as it is, markers and all, for ``_digest``."""
    if isinstance(nodes, etree._Element) and nodes.tag == _SIGNED_INFO:
        return aside.fill(canonical)
    return canonical


def _digest(aside: SetAside, canonical: bytes, algorithm: DigestAlgorithm) -> bytes:
    """The digest of ``canonical`` with the set-aside texts in place of their markers, fed to
    the hash a piece at a time."""
    hasher = Hash(digest_algorithm_implementations[algorithm]())
    for piece in aside.pieces(canonical):
        hasher.update(piece)
    return hasher.finalize()


class _ChainVerifier(X509CertChainVerifier):
    """signxml's chain check (its extension policies, the current time) over in-memory
    anchors; it names the signer whether the chain holds or not."""

    def __init__(self, owner: _Verifier, **policies: Any) -> None:
        super().__init__(ca_pem_file="", **policies)  # type: ignore[no-untyped-call]
        self.owner = owner

    @property
    def store(self) -> x509.verification.Store:
        return x509.verification.Store(list(self.owner.anchors))

    def verify(self, cert_chain: list[x509.Certificate]) -> x509.Certificate:
        leaf = cert_chain[0].subject.rfc4514_string() if cert_chain else "no certificate"
        try:
            signing: x509.Certificate = super().verify(cert_chain)  # type: ignore[no-untyped-call]
        except InvalidCertificate as error:
            raise InvalidCertificate(
                f"{leaf} does not chain to a trust anchor ({error})"
            ) from error
        self.owner.signer = signing.subject.rfc4514_string()
        return signing
