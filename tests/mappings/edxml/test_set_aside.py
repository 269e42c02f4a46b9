"""Attachments set aside: the small document's canonical and serialised forms, filled, are
byte for byte those of the whole package."""

from __future__ import annotations

import base64

import pytest
from lxml import etree

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
