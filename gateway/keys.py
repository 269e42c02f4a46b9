"""The province's signing identity and the certificates it trusts, read from files.

In production the key and certificate come from the province's certificate authority and sit
where the settings point. A fresh checkout has neither, and should still run end to end, so when
no key is configured the gateway makes a development key pair and a self-signed certificate on
first run, keeps them under the keys folder and reuses them afterwards, warning on every start
that packages are signed with a key no real receiver trusts.

The development pair lives in ``<keys_dir>/development/``: ``signing-key.pem`` (PKCS #8, mode
0600) and ``signing-cert.pem``. The pair is written into a temporary folder and renamed into
place in one step, so two processes starting at once never end up with one's key and the
other's certificate: the second finds the first's pair and uses it.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

log = logging.getLogger(__name__)

DEFAULT_KEYS_DIR = Path(".lienthong/keys")
DEVELOPMENT_FOLDER = "development"
KEY_FILE = "signing-key.pem"
CERT_FILE = "signing-cert.pem"
DEVELOPMENT_COMMON_NAME = "lienthong development key"
DEVELOPMENT_KEY_BITS = 3072
DEVELOPMENT_VALIDITY = timedelta(days=3650)
CERTIFICATE_SUFFIXES = (".pem", ".crt", ".cer")


class SigningKeyError(ValueError):
    """The signing key or certificate cannot be used: the message names the file and the fix."""


@dataclass(frozen=True, slots=True)
class SigningIdentity:
    """What the gateway signs packages with: a PEM private key and its certificate (chain).

    ``cert_pem`` starts with the signing certificate, which is the key's (checked on loading);
    intermediates, if any, follow. ``development`` is True for a generated key that no real
    receiver trusts.
    """

    key_pem: bytes
    cert_pem: bytes
    development: bool = False

    @property
    def subject(self) -> str:
        """The certificate's subject (RFC 4514), as a receiver's verification reports it."""
        return x509.load_pem_x509_certificate(self.cert_pem).subject.rfc4514_string()


def load_signing_identity(
    *,
    key_path: Path | None,
    cert_path: Path | None,
    keys_dir: Path = DEFAULT_KEYS_DIR,
    unit_code: str,
) -> SigningIdentity:
    """The configured key and certificate, or else the development pair under ``keys_dir``.

    With ``key_path`` and ``cert_path`` both set, those files are read (the key unencrypted
    PEM, the certificate PEM with any intermediates after it) and must belong together. With
    neither set, the development pair is read from ``keys_dir``, or made on first run with a
    certificate naming ``unit_code`` (``CN=lienthong development key, O=<unit code>``); either
    way a WARNING says a development key is in use. One set without the other is a mistake and
    raises ``SigningKeyError``, as does any file that cannot be read or used.
    """
    if key_path is not None and cert_path is not None:
        identity = SigningIdentity(
            key_pem=_read(key_path, "signing key"), cert_pem=_read(cert_path, "signing certificate")
        )
        _check_pair(identity, f"{key_path} and {cert_path}")
        _warn_if_readable_by_others(key_path)
        return identity
    if key_path is not None or cert_path is not None:
        given, missing = ("key", "certificate") if key_path is not None else ("certificate", "key")
        raise SigningKeyError(
            f"a signing {given} is configured without its {missing}: set both "
            "LIENTHONG_SIGNING_KEY and LIENTHONG_SIGNING_CERT, or neither for a development key"
        )
    folder = keys_dir / DEVELOPMENT_FOLDER
    if not folder.exists():
        _create_development_identity(keys_dir, unit_code)
    identity = SigningIdentity(
        key_pem=_read(folder / KEY_FILE, "development signing key"),
        cert_pem=_read(folder / CERT_FILE, "development signing certificate"),
        development=True,
    )
    _check_pair(identity, str(folder))
    _warn_if_readable_by_others(folder / KEY_FILE)
    log.warning(
        "Signing edXML packages with a DEVELOPMENT key (%s, %s): no real receiver trusts it. "
        "Set LIENTHONG_SIGNING_KEY and LIENTHONG_SIGNING_CERT to the province's key and "
        "certificate before exchanging documents with real agencies.",
        folder / KEY_FILE,
        identity.subject,
    )
    return identity


def load_trust_anchors(sources: Iterable[Path]) -> tuple[bytes, ...]:
    """Every certificate in ``sources``, one PEM each, in a stable order.

    Each source is a PEM file (which may hold several certificates) or a folder, whose
    ``*.pem``, ``*.crt`` and ``*.cer`` files are read in name order. A source that does not
    exist or holds no certificate raises ``SigningKeyError``: an empty trust store would refuse
    every signed package, which is better said at start-up than at the first document.
    """
    anchors: list[bytes] = []
    for source in sources:
        if source.is_dir():
            files = sorted(
                path
                for path in source.iterdir()
                if path.is_file() and path.suffix.lower() in CERTIFICATE_SUFFIXES
            )
        else:
            files = [source]
        found = 0
        for path in files:
            data = _read(path, "trust anchor")
            try:
                certificates = x509.load_pem_x509_certificates(data)
            except ValueError as error:
                raise SigningKeyError(f"{path}: not a PEM certificate ({error})") from error
            anchors.extend(cert.public_bytes(serialization.Encoding.PEM) for cert in certificates)
            found += len(certificates)
        if not found:
            raise SigningKeyError(f"{source}: no PEM certificate found for the trust anchors")
    return tuple(anchors)


def _create_development_identity(keys_dir: Path, unit_code: str) -> None:
    keys_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = keys_dir / DEVELOPMENT_FOLDER
    staging = Path(tempfile.mkdtemp(prefix=".development-", dir=keys_dir))
    try:
        key_pem, cert_pem = _development_pair(unit_code)
        _write(staging / KEY_FILE, key_pem, 0o600)
        _write(staging / CERT_FILE, cert_pem, 0o644)
        staging.rename(target)
    except OSError:
        if not target.exists():
            raise
    else:
        log.warning("Made a development signing key and certificate in %s", target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _development_pair(unit_code: str) -> tuple[bytes, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=DEVELOPMENT_KEY_BITS)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, unit_code),
            x509.NameAttribute(NameOID.COMMON_NAME, DEVELOPMENT_COMMON_NAME),
        ]
    )
    now = datetime.now(UTC)
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + DEVELOPMENT_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


def _write(path: Path, data: bytes, mode: int) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    path.chmod(mode)


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise SigningKeyError(f"cannot read the {what} at {path}: {error.strerror}") from error


def _check_pair(identity: SigningIdentity, where: str) -> None:
    try:
        key = serialization.load_pem_private_key(identity.key_pem, password=None)
    except (ValueError, TypeError) as error:
        raise SigningKeyError(
            f"{where}: the signing key is not an unencrypted PEM private key ({error})"
        ) from error
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningKeyError(
            f"{where}: the signing key is {type(key).__name__}; edXML packages are signed "
            "RSA-SHA256, so an RSA key is needed"
        )
    try:
        certificate = x509.load_pem_x509_certificate(identity.cert_pem)
    except ValueError as error:
        raise SigningKeyError(f"{where}: the signing certificate is not PEM ({error})") from error
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    if key.public_key().public_bytes(der, spki) != certificate.public_key().public_bytes(der, spki):
        raise SigningKeyError(
            f"{where}: the signing key does not belong to the certificate "
            f"{certificate.subject.rfc4514_string()}"
        )
    if certificate.not_valid_after_utc < datetime.now(UTC):
        raise SigningKeyError(
            f"{where}: the signing certificate {certificate.subject.rfc4514_string()} expired "
            f"on {certificate.not_valid_after_utc:%Y-%m-%d}; receivers will refuse its signatures"
        )


def _warn_if_readable_by_others(key_path: Path) -> None:
    if os.name == "posix" and key_path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning(
            "The signing key %s can be read by other users (mode %o); chmod 600 it",
            key_path,
            stat.S_IMODE(key_path.stat().st_mode),
        )
