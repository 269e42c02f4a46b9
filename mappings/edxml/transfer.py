"""ContentTransferEncoded: attachments as base64, encoded and decoded a piece at a time.

An attachment can be tens of megabytes. Encoding writes straight into the output stream and
decoding takes the text as the parser hands it over, so neither ever holds the whole base64 text
beside the bytes: the cost is the bytes themselves plus a buffer of ``CHUNK`` characters. Text
that is already whole in memory (an attachment set aside from a package's bytes) is decoded in
one step when it has no blanks, else a ``CHUNK`` at a time; either way it is not copied whole.

Written base64 is the standard alphabet with padding and no line breaks (plain decoders reject
breaks, MIME decoders accept both). Read base64 may hold whitespace anywhere and may lack its
padding; any other character, or a length no base64 can have, is refused.

The codec is pybase64's (SIMD: a megabyte in a tenth of a millisecond, about fifteen times
faster than ``binascii`` encoding and thirty times decoding). What is accepted stays exactly what
``binascii``'s strict decoding accepts: text pybase64's strict decoding refuses is given to
``binascii.a2b_base64(strict_mode=True)``, which takes the few texts pybase64 refuses and it
does not (padding after a whole group of four, ``QUJD====``) and otherwise names the fault.
"""

from __future__ import annotations

import binascii
import io
from typing import BinaryIO

import pybase64

CHUNK = 3 << 18
"""Bytes encoded, and characters decoded, per step: 768 KiB, a multiple of 3 and of 4."""

_BLANKS = b" \t\n\r\x0b\x0c"
"""What ``bytes.split`` splits at (ASCII whitespace): the blanks base64 may be broken by."""


def encode_into(out: BinaryIO, data: bytes) -> None:
    """Write ``data`` to ``out`` as base64, without line breaks."""
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        out.write(pybase64.b64encode(view[start : start + CHUNK]))


def encoded_size(size: int) -> int:
    """The length of the base64 of ``size`` bytes, padded: four characters for every three
    bytes begun."""
    return (size + 2) // 3 * 4


def decode(text: bytes | memoryview) -> bytes:
    """The bytes of ``text``, base64 as ``Base64Decoder`` reads it: in one step when it is
    base64 without blanks, else (base64 in lines, or not base64) a ``CHUNK`` at a time, so that
    taking the blanks out never copies the whole text.

    ``ValueError`` says why the text is not base64.
    """
    try:
        return pybase64.b64decode(text, validate=True)
    except binascii.Error:
        pass
    decoder = Base64Decoder()
    view = memoryview(text)
    for start in range(0, len(view), CHUNK):
        decoder.feed(view[start : start + CHUNK])
    return decoder.finish()


class Base64Decoder:
    """Bytes from base64 text fed in pieces of any size.

    ``feed`` the pieces (``str`` as the parser hands them over, or ASCII bytes), then ``finish``
    once for the bytes. A ``ValueError`` (from either) says why the text is not base64; the
    decoder is of no further use after one.
    """

    def __init__(self) -> None:
        self._out = io.BytesIO()
        self._pending: list[bytes | memoryview] = []
        self._pending_size = 0
        self._carry = b""

    def feed(self, text: str | bytes | memoryview) -> None:
        if isinstance(text, str):
            if not text.isascii():
                raise ValueError("is not base64: it holds characters outside the base64 alphabet")
            text = text.encode("ascii")
        self._pending.append(text)
        self._pending_size += len(text)
        if self._pending_size >= CHUNK:
            self._out.write(self._decode(final=False))

    def finish(self) -> bytes:
        decoded = self._decode(final=True)
        if self._out.tell() == 0:
            return decoded
        self._out.write(decoded)
        data = self._out.getvalue()
        self._out = io.BytesIO()
        return data

    def _decode(self, *, final: bool) -> bytes:
        pieces = [self._carry, *self._pending] if self._carry else self._pending
        raw = pieces[0] if len(pieces) == 1 else b"".join(pieces)
        self._pending = []
        self._pending_size = 0
        decoded, self._carry = _decoded(raw, final=final)
        return decoded


def _decoded(raw: bytes | memoryview, *, final: bool) -> tuple[bytes, bytes]:
    """The bytes of ``raw`` up to its last whole group of four, and the rest, to be carried to
    the next piece; padded and decoded whole when ``final``."""
    try:
        return _strict(raw, final=final)
    except ValueError:
        # Blanks (base64 broken into lines) or a fault: decoded again without blanks, which is
        # what strict decoding of text without any gives, and names the fault if any.
        return _strict(bytes(raw).translate(None, _BLANKS), final=final)


def _strict(compact: bytes | memoryview, *, final: bool) -> tuple[bytes, bytes]:
    """``_decoded`` for base64 without blanks."""
    rest = len(compact) % 4
    carry = b""
    if not final:
        whole = len(compact) - rest
        compact, carry = memoryview(compact)[:whole], bytes(memoryview(compact)[whole:])
    elif rest == 1:
        raise ValueError("is not base64: its length is one more than a multiple of 4")
    elif rest:
        compact = bytes(compact) + b"=" * (4 - rest)
    try:
        return pybase64.b64decode(compact, validate=True), carry
    except binascii.Error:
        try:
            return binascii.a2b_base64(compact, strict_mode=True), carry
        except binascii.Error as error:
            raise ValueError(f"is not base64 ({error})") from None
