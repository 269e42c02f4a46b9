"""Attachments set aside while a package is parsed, canonicalised and serialised for signatures.

A package carries each attachment as one base64 text of megabytes. libxml2 parses, escapes and
copies text a character at a time, so signing or verifying a 1.3 MB package through lxml and
signxml costs milliseconds in those texts alone, several times over: parsing, the copies signxml
makes, canonicalising, serialising. Yet base64 comes out of canonical XML and of serialisation
exactly as it went in: its alphabet holds nothing that escaping touches (``&``, ``<``, ``>``,
carriage return). So ``set_aside`` cuts each large base64 text out of the package's bytes, leaving
a short marker in its place; the small document that remains is parsed, canonicalised and
serialised; and ``SetAside.fill`` puts the texts back in place of their markers in what comes
out, which is then byte for byte what the whole package would have given.

What is cut: character data of at least ``LARGE_TEXT`` bytes, between a ``>`` and the next ``<``,
of the base64 alphabet, ``=`` and blanks (space, tab, line feed) only. Such a run cannot be in an
attribute (no quote), is the same in every ASCII-compatible encoding, and is rendered verbatim
wherever it is kept: as text, in a CDATA section or a comment; canonicalisation that drops a
comment drops its marker too, and ``fill`` then has nothing to put back, as it should. A marker
holds a random token drawn anew for each package, so a package cannot carry one; one found twice
is refused. A document in an encoding that is not ASCII-compatible has no such run (its ``<`` is
not the byte ``<`` or its text holds NUL bytes), so nothing is cut from it.
"""

from __future__ import annotations

import secrets

LARGE_TEXT = 64 * 1024
"""Bytes from which a text is set aside; smaller ones cost libxml2 next to nothing."""

_BASE64_AND_BLANKS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \t\n"
_NUMBER_DIGITS = 8


class SetAside:
    """The texts ``set_aside`` cut out of a package, to be put back where their markers are."""

    def __init__(self, token: bytes, texts: list[bytes]) -> None:
        self._token = token
        self._texts = texts

    def __len__(self) -> int:
        return len(self._texts)

    def fill(self, serialised: bytes) -> bytes:
        """``serialised`` (canonical or serialised XML of the small document, or a part of it)
        with each marker replaced by its text; ``ValueError`` if a marker appears twice."""
        if not self._texts or self._token not in serialised:
            return serialised
        first, *rest = serialised.split(self._token)
        pieces = [first]
        seen: set[int] = set()
        for piece in rest:
            digits = piece[:_NUMBER_DIGITS]
            number = int(digits) if digits.isdigit() else len(self._texts)
            if number in seen or number >= len(self._texts):
                raise ValueError(f"a set-aside text's marker is not where it belongs ({number})")
            seen.add(number)
            pieces.append(self._texts[number])
            pieces.append(piece[_NUMBER_DIGITS:])
        return b"".join(pieces)


def set_aside(data: bytes) -> tuple[bytes, SetAside]:
    """``data`` with each large base64 text replaced by a marker, and the texts cut out."""
    token = b"lienthongsetaside" + secrets.token_hex(16).encode("ascii") + b"n"
    pieces: list[bytes] = []
    texts: list[bytes] = []
    kept = position = 0
    while (opening := data.find(b"<", position)) >= 0:
        if opening - position >= LARGE_TEXT:
            start = data.rfind(b">", position, opening) + 1
            if start and opening - start >= LARGE_TEXT:
                text = data[start:opening]
                if not text.translate(None, _BASE64_AND_BLANKS):
                    pieces.append(data[kept:start])
                    pieces.append(token + b"%0*d" % (_NUMBER_DIGITS, len(texts)))
                    texts.append(text)
                    kept = opening
        position = opening + 1
    if not texts:
        return data, SetAside(token, texts)
    pieces.append(data[kept:])
    return b"".join(pieces), SetAside(token, texts)
