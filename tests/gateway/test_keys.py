"""The signing identity: a development key made on first run, the province's key when set."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from cryptography.x509.oid import NameOID

from gateway.keys import (
    CERT_FILE,
    DEVELOPMENT_FOLDER,
    KEY_FILE,
    SigningIdentity,
    SigningKeyError,
    load_signing_identity,
    load_trust_anchors,
)
from mappings.edxml.signature import SignatureMode, sign_package, verify_package

UNIT = "000.00.00.H56"

PACKAGE = b"""<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">
<edXML:edXMLHeader><edXML:MessageHeader><edXML:Subject>Th\xc3\xb4ng b\xc3\xa1o</edXML:Subject>
</edXML:MessageHeader></edXML:edXMLHeader><edXML:edXMLBody/></edXML:edXMLEnvelope>"""


def development(keys_dir: Path) -> SigningIdentity:
    return load_signing_identity(key_path=None, cert_path=None, keys_dir=keys_dir, unit_code=UNIT)


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SigningIdentity]:
    """One development pair for the tests that only read it: making a key takes a while."""
    keys_dir = tmp_path_factory.mktemp("keys") / "nested" / "keys"
    return keys_dir, development(keys_dir)


def test_first_run_makes_a_development_key_and_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    keys_dir = tmp_path / ".lienthong" / "keys"

    with caplog.at_level(logging.WARNING, logger="gateway.keys"):
        identity = development(keys_dir)

    assert identity.development
    assert (keys_dir / DEVELOPMENT_FOLDER / KEY_FILE).read_bytes() == identity.key_pem
    assert (keys_dir / DEVELOPMENT_FOLDER / CERT_FILE).read_bytes() == identity.cert_pem
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert any("DEVELOPMENT key" in r.getMessage() for r in warnings)
    assert any("LIENTHONG_SIGNING_KEY" in r.getMessage() for r in warnings)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_development_key_file_is_readable_by_its_owner_only(
    made: tuple[Path, SigningIdentity],
) -> None:
    keys_dir, _ = made
    key_mode = stat.S_IMODE((keys_dir / DEVELOPMENT_FOLDER / KEY_FILE).stat().st_mode)
    folder_mode = stat.S_IMODE((keys_dir / DEVELOPMENT_FOLDER).stat().st_mode)

    assert key_mode == 0o600
    assert folder_mode & 0o077 == 0


def test_development_certificate_names_the_unit(made: tuple[Path, SigningIdentity]) -> None:
    _, identity = made
    certificate = x509.load_pem_x509_certificate(identity.cert_pem)
    key = load_pem_private_key(identity.key_pem, password=None)

    assert certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == (
        "lienthong development key"
    )
    assert certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == UNIT
    assert certificate.issuer == certificate.subject
    assert isinstance(key, rsa.RSAPrivateKey)
    assert key.key_size >= 2048
    assert identity.subject == f"CN=lienthong development key,O={UNIT},C=VN"


def test_second_run_reuses_the_key_and_still_warns(
    made: tuple[Path, SigningIdentity], caplog: pytest.LogCaptureFixture
) -> None:
    keys_dir, first = made

    with caplog.at_level(logging.WARNING, logger="gateway.keys"):
        second = development(keys_dir)

    assert second == first
    assert any("DEVELOPMENT key" in r.getMessage() for r in caplog.records)


def test_development_key_signs_what_its_certificate_verifies(
    made: tuple[Path, SigningIdentity],
) -> None:
    keys_dir, identity = made
    signed = sign_package(PACKAGE, key_pem=identity.key_pem, cert_pem=identity.cert_pem)

    anchors = load_trust_anchors([keys_dir / DEVELOPMENT_FOLDER / CERT_FILE])
    result = verify_package(signed, trust_anchors=anchors, mode=SignatureMode.required)

    assert result.verified
    assert result.signer == identity.subject


def test_configured_key_and_certificate_are_used_as_they_are(
    made: tuple[Path, SigningIdentity], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _, pair = made
    key_path, cert_path = tmp_path / "province.key", tmp_path / "province.crt"
    key_path.write_bytes(pair.key_pem)
    key_path.chmod(0o600)
    cert_path.write_bytes(pair.cert_pem)

    with caplog.at_level(logging.WARNING, logger="gateway.keys"):
        identity = load_signing_identity(
            key_path=key_path, cert_path=cert_path, keys_dir=tmp_path / "unused", unit_code=UNIT
        )

    assert identity == SigningIdentity(key_pem=pair.key_pem, cert_pem=pair.cert_pem)
    assert not identity.development
    assert not (tmp_path / "unused").exists()
    assert not caplog.records


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_configured_key_readable_by_others_is_warned_about(
    made: tuple[Path, SigningIdentity], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _, pair = made
    key_path, cert_path = tmp_path / "province.key", tmp_path / "province.crt"
    key_path.write_bytes(pair.key_pem)
    key_path.chmod(0o644)
    cert_path.write_bytes(pair.cert_pem)

    with caplog.at_level(logging.WARNING, logger="gateway.keys"):
        load_signing_identity(key_path=key_path, cert_path=cert_path, unit_code=UNIT)

    assert any("chmod 600" in r.getMessage() for r in caplog.records)


def test_key_without_certificate_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SigningKeyError, match="LIENTHONG_SIGNING_CERT"):
        load_signing_identity(
            key_path=tmp_path / "province.key", cert_path=None, keys_dir=tmp_path, unit_code=UNIT
        )


def test_key_of_another_certificate_is_refused(
    made: tuple[Path, SigningIdentity], tmp_path: Path
) -> None:
    _, pair = made
    other = development(tmp_path / "other")
    key_path, cert_path = tmp_path / "province.key", tmp_path / "province.crt"
    key_path.write_bytes(other.key_pem)
    cert_path.write_bytes(pair.cert_pem)

    with pytest.raises(SigningKeyError, match="does not belong to the certificate"):
        load_signing_identity(key_path=key_path, cert_path=cert_path, unit_code=UNIT)


def test_missing_key_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.key"

    with pytest.raises(SigningKeyError, match=r"nowhere\.key"):
        load_signing_identity(
            key_path=missing, cert_path=tmp_path / "nowhere.crt", keys_dir=tmp_path, unit_code=UNIT
        )


def test_half_made_development_folder_is_reported_not_replaced(tmp_path: Path) -> None:
    (tmp_path / DEVELOPMENT_FOLDER).mkdir()
    (tmp_path / DEVELOPMENT_FOLDER / CERT_FILE).write_text("left over")

    with pytest.raises(SigningKeyError, match="cannot read the development signing key"):
        development(tmp_path)
    assert (tmp_path / DEVELOPMENT_FOLDER / CERT_FILE).read_text() == "left over"


def test_trust_anchors_come_from_files_and_folders(
    made: tuple[Path, SigningIdentity], tmp_path: Path
) -> None:
    _, pair = made
    other = development(tmp_path / "other")
    folder = tmp_path / "anchors"
    folder.mkdir()
    (folder / "b-ministry.crt").write_bytes(other.cert_pem)
    (folder / "a-province.pem").write_bytes(pair.cert_pem)
    (folder / "README.txt").write_text("not a certificate")
    bundle = tmp_path / "bundle.pem"
    bundle.write_bytes(pair.cert_pem + other.cert_pem)

    assert load_trust_anchors([folder]) == (pair.cert_pem, other.cert_pem)
    assert load_trust_anchors([bundle]) == (pair.cert_pem, other.cert_pem)
    assert load_trust_anchors([]) == ()


def test_trust_anchor_source_without_certificates_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "anchors"
    empty.mkdir()

    with pytest.raises(SigningKeyError, match="no PEM certificate"):
        load_trust_anchors([empty])
    with pytest.raises(SigningKeyError, match="cannot read"):
        load_trust_anchors([tmp_path / "missing.pem"])
