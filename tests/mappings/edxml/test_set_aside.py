"""Attachments set aside: the small document's canonical and serialised forms, filled, are
byte for byte those of the whole package, and a package read with its attachments set aside
reads as the whole package does."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
from lxml import etree

from mappings.edxml import Attachment, EdxmlError, Package, read_package, write_package
from mappings.edxml.set_aside import LARGE_TEXT, set_aside

EDXML_NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def package(*texts: str) -> bytes:
    """A document element holding one element per text, in the edXML namespace."""
    items = "\n  ".join(
        f'<edXML:ContentTransferEncoded xmlns:edXML="{EDXML_NS}">{text}'
        "</edXML:ContentTransferEncoded>"
        for text in texts
    )
    declaration = '<?xml version="1.0" encoding="UTF-8"?>'
    return f'{declaration}\n<edXML xmlns="{EDXML_NS}">\n  {items}\n</edXML>\n'.encode()


def encoded(size: int, *, lines: bool = False) -> str:
    """``size`` characters of base64, in lines of 76 if ``lines``."""
    text = base64.b64encode(bytes(range(256)) * (size // 192 + 1)).decode()[:size]
    if lines:
        return "\n".join(text[i : i + 76] for i in range(0, len(text), 76))
    return text


@pytest.mark.parametrize("exclusive", [True, False])
def test_filled_canonical_and_serialised_forms_are_the_whole_packages(exclusive: bool) -> None:
    whole = package(encoded(LARGE_TEXT), "c21hbGw=", encoded(3 * LARGE_TEXT, lines=True))
    small, aside = set_aside(whole)
    full_tree = etree.fromstring(whole, PARSER)
    small_tree = etree.fromstring(small, PARSER)

    assert len(aside) == 2
    assert len(small) < 1000
    assert aside.fill(etree.tostring(small_tree, method="c14n", exclusive=exclusive)) == (
        etree.tostring(full_tree, method="c14n", exclusive=exclusive)
    )
    assert aside.fill(etree.tostring(small_tree, encoding="UTF-8")) == etree.tostring(
        full_tree, encoding="UTF-8"
    )
    assert aside.fill(small) == whole


@pytest.mark.parametrize("end", ["\r\n", "\r"], ids=["crlf", "cr alone"])
@pytest.mark.parametrize("exclusive", [True, False])
def test_text_with_carriage_returns_is_set_aside_as_a_parser_reads_it(
    end: str, exclusive: bool
) -> None:
    whole = package(end + encoded(3 * LARGE_TEXT, lines=True).replace("\n", end) + end)
    small, aside = set_aside(whole)
    full_tree = etree.fromstring(whole, PARSER)
    small_tree = etree.fromstring(small, PARSER)

    assert len(aside) == 1
    assert b"\r" not in aside.fill(small)
    assert aside.fill(etree.tostring(small_tree, method="c14n", exclusive=exclusive)) == (
        etree.tostring(full_tree, method="c14n", exclusive=exclusive)
    )
    assert aside.fill(etree.tostring(small_tree, encoding="UTF-8")) == etree.tostring(
        full_tree, encoding="UTF-8"
    )


def test_text_that_escaping_would_change_stays_in_the_document() -> None:
    for text in (encoded(LARGE_TEXT) + "&amp;", encoded(LARGE_TEXT) + "&#13;", "é" * LARGE_TEXT):
        whole = package(text)

        small, aside = set_aside(whole)

        assert small == whole
        assert len(aside) == 0


def test_text_smaller_than_large_stays_in_the_document() -> None:
    whole = package(encoded(LARGE_TEXT - 4))

    assert set_aside(whole)[0] == whole


def test_text_in_a_comment_drops_out_of_the_canonical_form_with_its_marker() -> None:
    whole = package("c21hbGw=").replace(
        b"</edXML>", f"<!-- a>{encoded(LARGE_TEXT)}<b --></edXML>".encode()
    )
    small, aside = set_aside(whole)

    assert len(aside) == 1
    assert aside.fill(
        etree.tostring(etree.fromstring(small, PARSER), method="c14n", exclusive=True)
    ) == etree.tostring(etree.fromstring(whole, PARSER), method="c14n", exclusive=True)


def test_a_marker_found_twice_is_refused() -> None:
    small, aside = set_aside(package(encoded(LARGE_TEXT)))
    start = small.index(b"lienthongsetaside")
    marker = small[start : small.index(b"<", start)]

    with pytest.raises(ValueError, match="not where it belongs"):
        aside.fill(small + marker)


def test_text_of_the_base64_alphabet_is_set_aside_even_when_it_is_not_base64() -> None:
    text = encoded(LARGE_TEXT)
    whole = package(text[:1000] + "QQ==" + text[1000:] + "\n")

    small, aside = set_aside(whole)

    assert len(aside) == 1
    assert aside.fill(small) == whole


# Reading a package with its attachments set aside reads what the whole package says.

LARGE_CONTENT = bytes(range(256)) * 1024
ATTACHMENT = "/edXML/AttachmentEncoded/Attachment/ContentTransferEncoded"


def written(package: Package, content: bytes = LARGE_CONTENT) -> bytes:
    """``package`` written with ``content`` as its one attachment."""
    attachment = Attachment(ContentId="cid:scan", AttachmentName="ho-so.pdf", content=content)
    return write_package(package.model_copy(update={"attachments": (attachment,)}))


def with_base64(data: bytes, change: Callable[[bytes], bytes]) -> bytes:
    """``data`` with the large attachment's base64 made ``change(base64)``."""
    text = base64.b64encode(LARGE_CONTENT)
    assert data.count(text) == 1
    return data.replace(text, change(text))


def lines(text: bytes, end: bytes) -> bytes:
    return end.join(text[i : i + 76] for i in range(0, len(text), 76))


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text,
        lambda text: lines(text, b"\n"),
        lambda text: b"\n" + lines(text, b"\r\n") + b"\r\n",
        lambda text: lines(text, b"\r"),
        lambda text: text[:100_000] + b"<!-- scanned in two parts -->" + text[100_000:],
        lambda text: text[:100_000] + b"<![CDATA[" + text[100_000:] + b"]]>",
        lambda text: text.rstrip(b"="),
    ],
    ids=[
        "one line",
        "lines",
        "crlf lines",
        "cr lines",
        "split by a comment",
        "partly cdata",
        "no padding",
    ],
)
def test_large_attachment_is_read_as_the_whole_package_carries_it(
    full_package: Package, change: Callable[[bytes], bytes]
) -> None:
    read = read_package(with_base64(written(full_package), change))

    assert isinstance(read, Package)
    assert read.attachments[0].content == LARGE_CONTENT


def test_large_base64_text_outside_an_attachment_is_read_as_sent(full_package: Package) -> None:
    content = "QUJD" * LARGE_TEXT
    header = full_package.header.model_copy(update={"Content": content})

    read = read_package(written(full_package.model_copy(update={"header": header})))

    assert isinstance(read, Package)
    assert read.header.Content == content
    assert read.attachments[0].content == LARGE_CONTENT


@pytest.mark.parametrize(
    ("change", "fault"),
    [
        (lambda text: text[:1000] + b"QQ==" + text[1000:], "Excess data after padding"),
        (lambda text: text[:1000] + b"=" + text[1000:], "one more than a multiple of 4"),
        (lambda text: text[:1000] + b"*" + text[1001:], "Only base64 data is allowed"),
        (lambda text: text[:1000] + b"&#65;" + text[1000:], "one more than a multiple of 4"),
    ],
    ids=["padding inside", "a character too many", "outside the alphabet", "character reference"],
)
def test_large_attachment_that_is_not_base64_is_refused_naming_it(
    full_package: Package, change: Callable[[bytes], bytes], fault: str
) -> None:
    with pytest.raises(EdxmlError) as caught:
        read_package(with_base64(written(full_package), change))

    assert caught.value.field == ATTACHMENT
    assert "not base64" in caught.value.rule
    assert fault in caught.value.rule
