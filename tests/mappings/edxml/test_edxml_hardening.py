"""Hostile and oversized input is refused, and a large package is read in bounded memory."""

from __future__ import annotations

import base64
import gc
import hashlib
import os
import tracemalloc
from pathlib import Path

import pytest
from edxml_samples import golden_path

from mappings.edxml import (
    DEFAULT_MAX_BYTES,
    Attachment,
    EdxmlError,
    Package,
    read_package,
    write_package,
)

ROOT = '<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">'


def with_doctype(doctype: str, subject: str) -> bytes:
    """The golden full package with ``doctype`` before it and ``subject`` as its subject."""
    text = golden_path("full_package.xml").read_text(encoding="utf-8")
    text = text.replace(ROOT, f"{doctype}\n{ROOT}", 1)
    start = text.index("<edXML:Subject>") + len("<edXML:Subject>")
    end = text.index("</edXML:Subject>")
    return (text[:start] + subject + text[end:]).encode()


def test_external_entity_to_a_file_is_refused_and_the_file_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu: lienthong-secret")
    hostile = with_doctype(
        f'<!DOCTYPE edXML [<!ENTITY secret SYSTEM "{secret.as_uri()}">]>',
        "&secret;",
    )

    with pytest.raises(EdxmlError, match="DOCTYPE") as caught:
        read_package(hostile)

    assert "lienthong-secret" not in str(caught.value)


def test_billion_laughs_is_refused() -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    hostile = with_doctype(f"<!DOCTYPE edXML [{''.join(entities)}]>", "&lol9;")

    with pytest.raises(EdxmlError, match="DOCTYPE"):
        read_package(hostile)


def test_external_parameter_entity_is_refused(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "leaked">')
    hostile = with_doctype(
        f'<!DOCTYPE edXML [<!ENTITY % evil SYSTEM "{dtd.as_uri()}"> %evil;]>',
        "&leak;",
    )

    with pytest.raises(EdxmlError, match="DOCTYPE"):
        read_package(hostile)


@pytest.mark.parametrize(
    "doctype",
    [
        "<!DOCTYPE edXML>",
        '<!DOCTYPE edXML SYSTEM "http://dtd.example.test/edxml.dtd">',
        '<!DOCTYPE edXML PUBLIC "-//MIC//edXML//VI" "edxml.dtd">',
    ],
    ids=["bare", "external-system", "external-public"],
)
def test_any_doctype_is_refused_with_a_clear_error(doctype: str) -> None:
    with pytest.raises(EdxmlError) as caught:
        read_package(with_doctype(doctype, "Về việc"))

    assert caught.value.field == "/"
    assert "packages may not carry one" in caught.value.rule


def test_reference_to_an_undeclared_entity_is_refused() -> None:
    with pytest.raises(EdxmlError, match="not well-formed"):
        read_package(with_doctype("", "&undeclared;"))


def test_xml_that_is_not_well_formed_is_refused() -> None:
    with pytest.raises(EdxmlError, match="not well-formed") as caught:
        read_package(golden_path("full_package.xml").read_bytes()[:-30])

    assert caught.value.field == "/"


def test_oversized_package_is_refused_before_parsing() -> None:
    not_even_xml = b"<" * 1001

    with pytest.raises(EdxmlError, match="1001 bytes, more than the 1000 accepted") as caught:
        read_package(not_even_xml, max_bytes=1000)

    assert "without being parsed" in caught.value.rule
    with pytest.raises(EdxmlError, match="not well-formed"):
        read_package(not_even_xml, max_bytes=1001)


def test_default_limit_refuses_a_package_past_100_mib() -> None:
    assert DEFAULT_MAX_BYTES == 100 * 1024 * 1024

    with pytest.raises(EdxmlError, match="without being parsed"):
        read_package(bytes(DEFAULT_MAX_BYTES + 1))


@pytest.mark.parametrize("line_end", [None, b"\n", b"\r\n"], ids=["one line", "lines", "crlf"])
def test_50_mb_package_is_read_in_under_four_times_its_size(
    full_package: Package, line_end: bytes | None
) -> None:
    """Peak memory while reading, counting the package itself, stays under 4× its size, with
    its base64 on one line or broken into lines of 76 (as MIME encoders write it).

    ``tracemalloc`` sees what Python allocates (the decoded file, buffers, the models), not
    libxml2's own memory; the reader keeps the base64 text out of libxml2's tree, so what
    libxml2 holds is the small tree of everything else.
    """
    content = os.urandom(37_500_000)
    digest = hashlib.sha256(content).digest()
    data = write_package(
        full_package.model_copy(
            update={
                "attachments": (
                    Attachment(ContentId="cid:scan", AttachmentName="ho-so.pdf", content=content),
                )
            }
        )
    )
    if line_end is not None:
        text = base64.b64encode(content)
        data = data.replace(text, line_end.join(text[i : i + 76] for i in range(0, len(text), 76)))
        del text
    del content
    gc.collect()
    assert len(data) >= 50_000_000

    tracemalloc.start()
    try:
        package = read_package(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert isinstance(package, Package)
    assert hashlib.sha256(package.attachments[0].content).digest() == digest
    ratio = (len(data) + peak) / len(data)
    assert ratio < 4, f"reading {len(data)} bytes peaked at {ratio:.2f}× their size"
