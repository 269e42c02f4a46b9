"""Attachments set aside while a package is parsed, canonicalised and serialised for signatures,
and while it is read.

A package carries each attachment as one base64 text of megabytes. libxml2 parses, escapes and
copies text a character at a time, so signing or verifying a 1.3 MB package through lxml and
signxml costs milliseconds in those texts alone, several times over: parsing, the copies signxml
makes, canonicalising, serialising. Yet base64 comes out of canonical XML and of serialisation
exactly as it went in: its alphabet holds nothing that escaping touches (``&``, ``<``, ``>``,
carriage return). So ``set_aside`` cuts each large base64 text out of the package's bytes, leaving
a short marker in its place; the small document that remains is parsed, canonicalised and
serialised; and ``SetAside.fill`` puts the texts back in place of their markers in what comes
out, which is then byte for byte what the whole package would have given (``SetAside.pieces``
gives the same bytes in pieces, for a digest to be fed without joining them). Reading
(``mappings.edxml.reader``) decodes an attachment whose whole text is a marker from the text set
aside (``SetAside.text``).

What is cut: character data of at least ``LARGE_TEXT`` bytes, between a ``>`` and the next ``<``,
of the base64 alphabet, ``=`` and blanks (space, tab, carriage return, line feed) only. Such a
run cannot be in an attribute (no quote), is the same in every ASCII-compatible encoding, and is
rendered verbatim wherever it is kept: as text, in a CDATA section or a comment; canonicalisation
that drops a comment drops its marker too, and ``fill`` then has nothing to put back, as it
should. The texts are views of the package's bytes, not copies. A parser reads each carriage
return and line feed, and each carriage return alone, as one line feed (XML 1.0, section 2.11):
a text broken into lines the Windows way (as .NET's ``Convert.ToBase64String`` breaks them) is
put back with line feeds for its carriage returns, in a copy made once; reading, which decodes
base64 without its blanks, takes the text as it lies. A marker
holds a random token drawn anew for each package, so a package cannot carry one; one found twice
is refused. A document in an encoding that is not ASCII-compatible has no such run (its ``<`` is
not the byte ``<`` or its text holds NUL bytes), so nothing is cut from it.
"""

from __future__ import annotations

import binascii
import re
import secrets
from collections.abc import Collection

import pybase64

LARGE_TEXT = 64 * 1024
"""Bytes from which a text is set aside; smaller ones cost libxml2 next to nothing."""

_BASE64_AND_BLANKS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \t\r\n"
_NUMBER_DIGITS = 8
_LONE_RETURN = re.compile(rb"\r(?!\n)")
_LOOKED_AT = 1 << 20


class SetAside:
    """The texts ``set_aside`` cut out of a package, to be put back where their markers are.

    Each text is a view of the package's bytes: the package stays in memory as long as this
    does. ``_put_back`` holds each text as it is put back: itself, or, for one holding carriage
    returns, a copy with the line ends a parser reads, made when first needed.
    """

    def __init__(
        self, token: bytes, texts: list[memoryview], with_returns: Collection[int] = ()
    ) -> None:
        self._token = token
        self._texts = texts
        self._with_returns = with_returns
        self._put_back: dict[int, memoryview] = {}

    def __len__(self) -> int:
        return len(self._texts)

    @property
    def marker_length(self) -> int:
        """The characters of a marker."""
        return len(self._token) + _NUMBER_DIGITS

    def fill(self, serialised: bytes) -> bytes:
        """``serialised`` (canonical or serialised XML of the small document, or a part of it)
        with each marker replaced by its text; ``ValueError`` if a marker appears twice."""
        if not self._texts or self._token not in serialised:
            return serialised
        return b"".join(self.pieces(serialised))

    def pieces(self, serialised: bytes) -> list[bytes | memoryview]:
        """What ``fill`` joins: the parts of ``serialised`` between markers and, in place of
        each marker, its text. A digest fed these one after another is that of the filled
        bytes, without the megabytes being copied into one buffer first."""
        if not self._texts or self._token not in serialised:
            return [serialised]
        first, *rest = serialised.split(self._token)
        pieces: list[bytes | memoryview] = [first]
        seen: set[int] = set()
        for piece in rest:
            digits = piece[:_NUMBER_DIGITS]
            number = int(digits) if digits.isdigit() else len(self._texts)
            if number in seen or number >= len(self._texts):
                raise ValueError(f"a set-aside text's marker is not where it belongs ({number})")
            seen.add(number)
            pieces.append(self._as_parsed(number))
            pieces.append(piece[_NUMBER_DIGITS:])
        return pieces

    def _as_parsed(self, number: int) -> memoryview:
        kept = self._put_back.get(number)
        if kept is None:
            text = self._texts[number]
            kept = memoryview(_line_feeds(text)) if number in self._with_returns else text
            self._put_back[number] = kept
        return kept

    def text(self, marker: str) -> memoryview | None:
        """The text set aside in place of ``marker`` when ``marker`` is one marker and nothing
        else (the whole text of an element, as a parser hands it over, but for its line ends:
        fit for decoding base64, which drops blanks); None otherwise."""
        if not self._texts or len(marker) != self.marker_length or not marker.isascii():
            return None
        raw = marker.encode("ascii")
        digits = raw[len(self._token) :]
        if not raw.startswith(self._token) or not digits.isdigit():
            return None
        number = int(digits)
        return self._texts[number] if number < len(self._texts) else None


def set_aside(data: bytes) -> tuple[bytes, SetAside]:
    """``data`` with each large base64 text replaced by a marker, and the texts cut out."""
    token = b"lienthongsetaside" + secrets.token_hex(16).encode("ascii") + b"n"
    whole = memoryview(data)
    pieces: list[bytes | memoryview] = []
    texts: list[memoryview] = []
    with_returns: set[int] = set()
    kept = position = 0
    while (opening := data.find(b"<", position)) >= 0:
        if opening - position >= LARGE_TEXT:
            start = data.rfind(b">", position, opening) + 1
            if start and opening - start >= LARGE_TEXT:
                text = whole[start:opening]
                if _is_base64_text(text):
                    pieces.append(whole[kept:start])
                    pieces.append(token + b"%0*d" % (_NUMBER_DIGITS, len(texts)))
                    if data.find(b"\r", start, opening) >= 0:
                        with_returns.add(len(texts))
                    texts.append(text)
                    kept = opening
        position = opening + 1
    if not texts:
        return data, SetAside(token, texts)
    pieces.append(whole[kept:])
    return b"".join(pieces), SetAside(token, texts, with_returns)


def _line_feeds(text: memoryview) -> bytes:
    """``text`` with its line ends as an XML parser reads them: a line feed for each carriage
    return and line feed, and for each carriage return alone. Carriage returns that all end
    lines are dropped in one pass, three times sooner than replacing them."""
    if _LONE_RETURN.search(text) is None:
        return bytes(text).translate(None, b"\r")
    return bytes(text).replace(b"\r\n", b"\n").replace(b"\r", b"\n")


def _is_base64_text(text: memoryview) -> bool:
    """Whether ``text`` holds the base64 alphabet, ``=`` and blanks only.

    Text that strict base64 decoding takes does: pybase64 answers that for a megabyte in a
    tenth of a millisecond, five times sooner than looking at every byte. Other text (base64
    broken into lines, or not base64 at all) is looked at byte by byte, a megabyte at a time, so
    that the copies this takes stay small whatever the size of the text.
    """
    try:
        pybase64.b64decode(text, validate=True)
    except binascii.Error:
        return not any(
            bytes(text[start : start + _LOOKED_AT]).translate(None, _BASE64_AND_BLANKS)
            for start in range(0, len(text), _LOOKED_AT)
        )
    return True
