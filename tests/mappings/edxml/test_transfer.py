"""Attachments' base64: pybase64 takes exactly what the strict rule of ``binascii`` takes (blanks
anywhere, padding that may be missing), decodes it the same, whole or fed in pieces, and what it
refuses is refused with the fault named."""

from __future__ import annotations

import base64
import binascii
import io

import pybase64
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mappings.edxml import transfer
from mappings.edxml.transfer import Base64Decoder, decode, encode_into

BASE64_LIKE = st.binary(max_size=40).map(base64.b64encode) | st.text(
    alphabet="QUJDRa+/=09 \n\t\r-_*é", max_size=40
).map(lambda text: text.encode())
"""Base64 and near-misses: padding anywhere, blanks, the URL-safe alphabet, stray characters."""


def taken_by_the_strict_rule(text: bytes) -> bytes | None:
    """What the reader takes, decoded by ``binascii`` alone (as it was before pybase64): blanks
    left out, missing padding put back, then strict decoding; None when that refuses."""
    compact = b"".join(text.split())
    if len(compact) % 4 == 1:
        return None
    try:
        return binascii.a2b_base64(compact + b"=" * (-len(compact) % 4), strict_mode=True)
    except binascii.Error:
        return None


def decoded_or_none(text: bytes | memoryview) -> bytes | None:
    try:
        return decode(text)
    except ValueError:
        return None


@given(BASE64_LIKE)
def test_pybase64_takes_nothing_strict_binascii_refuses_and_decodes_it_the_same(
    text: bytes,
) -> None:
    try:
        fast = pybase64.b64decode(text, validate=True)
    except binascii.Error:
        return
    assert binascii.a2b_base64(text, strict_mode=True) == fast


@given(BASE64_LIKE)
def test_decoding_takes_and_refuses_what_the_strict_rule_does(text: bytes) -> None:
    assert decoded_or_none(text) == taken_by_the_strict_rule(text)
    assert decoded_or_none(memoryview(b"<" + text + b">")[1:-1]) == taken_by_the_strict_rule(text)


@given(st.binary(max_size=300), st.lists(st.integers(min_value=0, max_value=400), max_size=6))
def test_base64_fed_in_pieces_decodes_as_it_does_whole(data: bytes, cuts: list[int]) -> None:
    text = base64.b64encode(data).decode()
    lined = "\n".join(text[i : i + 76] for i in range(0, len(text), 76)).rstrip("=")
    decoder = Base64Decoder()
    start = 0
    for cut in sorted(cut % (len(lined) + 1) for cut in cuts):
        decoder.feed(lined[start:cut])
        start = cut
    decoder.feed(lined[start:])

    assert decoder.finish() == data == decode(lined.encode())


def test_base64_longer_than_a_chunk_is_decoded_chunk_by_chunk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(transfer, "CHUNK", 8)
    data = bytes(range(256)) * 3
    text = base64.b64encode(data).decode()
    decoder = Base64Decoder()
    for start in range(0, len(text), 7):
        decoder.feed(text[start : start + 7] + " ")

    assert decoder.finish() == data


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        (b"QU=D", "Discontinuous padding not allowed"),
        (b"=QUJ", "Leading padding not allowed"),
        (b"QUI=QUJD", "Excess data after padding"),
        (b"QU*D", "Only base64 data is allowed"),
        (b"QU-D", "Only base64 data is allowed"),
        (b"QUJDQ", "its length is one more than a multiple of 4"),
    ],
)
def test_malformed_base64_is_refused_naming_the_fault(text: bytes, fault: str) -> None:
    with pytest.raises(ValueError, match="is not base64") as caught:
        decode(text)

    assert fault in str(caught.value)


def test_text_outside_ascii_is_refused_as_it_is_handed_over() -> None:
    with pytest.raises(ValueError, match="characters outside the base64 alphabet"):
        Base64Decoder().feed("QUJDé")


def test_padding_after_a_whole_group_is_taken_as_binascii_takes_it() -> None:
    """pybase64 refuses ``QUJD====``; binascii's strict decoding, which the reader kept to
    before, takes it, and so does the reader still."""
    assert decode(b"QUJD====") == b"ABC"


def test_written_base64_is_standard_padded_and_on_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transfer, "CHUNK", 6)
    written = _written(bytes(range(256)))

    assert written == base64.b64encode(bytes(range(256)))
    assert b"\n" not in written and written.endswith(b"==")


def _written(data: bytes) -> bytes:
    out = io.BytesIO()
    encode_into(out, data)
    return out.getvalue()
