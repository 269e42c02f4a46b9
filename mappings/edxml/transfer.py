"""ContentTransferEncoded: attachments as base64, encoded and decoded a piece at a time.

An attachment can be tens of megabytes. Encoding writes straight into the output stream and
decoding takes the text as the parser hands it over, so neither ever holds the whole base64 text
beside the bytes: the cost is the bytes themselves plus a buffer of ``CHUNK`` characters.

Written base64 is the standard alphabet with padding and no line breaks (plain decoders reject
breaks, MIME decoders accept both). Read base64 may hold whitespace anywhere and may lack its
padding; any other character, or a length no base64 can have, is refused.
"""

from __future__ import annotations

import binascii
import io
from typing import BinaryIO

CHUNK = 3 << 18
"""Bytes encoded, and characters decoded, per step: 768 KiB, a multiple of 3 and of 4."""


def encode_into(out: BinaryIO, data: bytes) -> None:
    """Write ``data`` to ``out`` as base64, without line breaks."""
    view = memoryview(data)
    for start in range(0, len(view), CHUNK):
        out.write(binascii.b2a_base64(view[start : start + CHUNK], newline=False))


class Base64Decoder:
    """Bytes from base64 text fed in pieces of any size.

    ``feed`` the pieces, then ``finish`` once for the bytes. A ``ValueError`` (from either) says
    why the text is not base64; the decoder is of no further use after one.
    """

    def __init__(self) -> None:
        self._out = io.BytesIO()
        self._pending: list[str] = []
        self._pending_size = 0
        self._carry = ""

    def feed(self, text: str) -> None:
        self._pending.append(text)
        self._pending_size += len(text)
        if self._pending_size >= CHUNK:
            self._decode(final=False)

    def finish(self) -> bytes:
        self._decode(final=True)
        data = self._out.getvalue()
        self._out = io.BytesIO()
        return data

    def _decode(self, *, final: bool) -> None:
        text = self._carry + "".join(self._pending)
        self._pending.clear()
        self._pending_size = 0
        if not text.isascii():
            raise ValueError("is not base64: it holds characters outside the base64 alphabet")
        raw = text.encode("ascii")
        try:
            self._out.write(self._strict(raw, final=final))
        except (binascii.Error, ValueError):
            # Blanks (base64 broken into lines) or a fault: decoded again without blanks, which
            # is what strict decoding of text without any gives, and names the fault if any.
            try:
                self._out.write(self._strict(b"".join(raw.split()), final=final))
            except binascii.Error as error:
                raise ValueError(f"is not base64 ({error})") from None

    def _strict(self, compact: bytes, *, final: bool) -> bytes:
        """The bytes of ``compact`` (base64 without blanks) up to its last whole group of four,
        the rest carried to the next piece; padded and decoded whole when ``final``."""
        rest = len(compact) % 4
        carry = b""
        if not final:
            compact, carry = compact[: len(compact) - rest], compact[len(compact) - rest :]
        elif rest == 1:
            raise ValueError("is not base64: its length is one more than a multiple of 4")
        elif rest:
            compact += b"=" * (4 - rest)
        decoded = binascii.a2b_base64(compact, strict_mode=True)
        self._carry = carry.decode("ascii")
        return decoded
