"""Logging set-up: every line written is masked of personal data and credentials.

Personal data must never reach a log unmasked (Nghị định 13/2023/NĐ-CP). Code should not log it in
the first place; the masking here is the net under that rule. It is applied by the handler's
formatter (``MaskingFormatter``) to the whole formatted record: the message, the exception text
and traceback, the stack, and anything else the format names, but not the time the formatter itself
writes (it would read as a date). Whatever logged the record, the gateway or a library (uvicorn's
access and error logs, httpx, httpcore, SQLAlchemy, alembic, authlib, asyncio...), the line goes
through it, since ``configure_logging`` puts one handler on the root logger for all of them.

``mask_personal_data`` is the masking itself, for any text (a JSON formatter masks each field
with it). Line by line:

- traceback frame lines (``File "...", line 12, in deliver``) and the source lines under them are
  code, not data: only ID numbers and dates are masked there;
- credentials: ``Authorization: Bearer ***``, and the values of ``authorization``, ``cookie``,
  ``access_token``, ``client_secret``, ``password``, ``code_verifier``... in ``key: value``,
  ``key=value``, ``'key': 'value'`` and ``(b'key', b'value')`` forms;
- the values of personal fields (``HoVaTen``, ``full_name``, ``name``, ``NgaySinh``,
  ``date_of_birth``, ``SoDinhDanh``, ``id_number``, ``email``, ``phone``...) in the same forms and
  as XML elements;
- SQLAlchemy's ``[parameters: ...]`` and the parameter and row lines of its engine log are
  ``***``; pydantic's ``input_value=...`` too;
- query strings are dropped from paths and URLs (``GET /v1/citizens/001******345?…``), since a
  lookup carries the person's name and date of birth there;
- the contents of quoted strings and reprs (``'Nguyễn Văn An'`` → ``'***'``), except one word
  that reads as a code or a name in the program (``'national_portal'``, ``b'POST'``, a path) and
  HTTP request and status lines (``"GET /v1/... HTTP/1.1"``, ``"HTTP/1.1 200 OK"``);
- personal names: two or more capitalised words that are each a Vietnamese syllable
  (``Nguyễn Văn An``, ``NGUYEN VAN AN``), when one of them carries a Vietnamese diacritic or is a
  common family name;
- dates that could be dates of birth (``1995-03-14``, ``19950314``, ``14/03/1995``,
  ``datetime.date(1995, 3, 14)``) are hidden;
- a run of 9 or 12 digits standing alone (the old and the new personal ID) is shown as its first
  and last three digits, ``001******345``.

What stays readable: operation and system names, statuses, counts, error types, codes, paths and
the frames of a traceback.
"""

from __future__ import annotations

import logging
import re
import sys
import unicodedata
from collections.abc import Callable
from typing import NamedTuple, TextIO

__all__ = [
    "QUIETER",
    "MaskingFilter",
    "MaskingFormatter",
    "configure_logging",
    "mask_personal_data",
    "mask_personal_ids",
]

MASK = "***"

_PERSONAL_ID = re.compile(r"(?<![A-Za-z0-9.])(\d{3})(\d{3}|\d{6})(\d{3})(?![A-Za-z0-9.])")
_DATE = re.compile(
    r"(?<![A-Za-z0-9/.-])(?:(?:19|20)\d{2}-\d{2}-\d{2}|(?:19|20)\d{2}/\d{2}/\d{2}"
    r"|(?:19|20)\d{6}|\d{1,2}[/-]\d{1,2}[/-](?:19|20)\d{2})(?![\d/.-])"
)
_DATE_REPR = re.compile(r"\b(?:datetime\.)?date\((?:19|20)\d{2}, \d{1,2}, \d{1,2}\)")
_DATETIME_REPR = re.compile(
    r"\b(datetime(?:\.datetime)?)\((?:19|20)\d{2}, \d{1,2}, \d{1,2}(?=[,)])"
)
_QUERY = re.compile(
    r"""((?:(?<=[\s"'(=<])|^)(?:https?://[^\s/?#"'<>]+)?/[^\s?#"'<>]*)\?[^\s"'<>#]*"""
)

_QUOTED = re.compile(
    r"(?<![\w\\])(?P<prefix>[bBrRuU]{0,2})(?P<quote>['\"])(?P<body>(?:(?!(?P=quote))[^\\\n]|\\.)*)"
    r"(?P=quote)(?!\w)"
)
_READABLE = re.compile(
    r"(?!\d{7,}$)[\w.:/+-]{1,64}|[./][\w.:/+-]*"
    r"|[A-Z]+ \S+ HTTP/\d(?:\.\d)?|HTTP/\d(?:\.\d)? \d{3}(?: [A-Za-z ]*)?|[*…]*",
    re.ASCII,
)
"""Quoted contents shown as they are: one word of a program (a code, a name in the program, an
address; not seven digits or more alone: a phone number), a path, an HTTP request or status line."""

_HEADERS = ("proxy-authorization", "authorization", "set-cookie", "cookie", "x-api-key")
_CREDENTIAL_KEYS = (
    *_HEADERS, "api_key", "api-key", "apikey", "access_token", "refresh_token", "id_token",
    "client_secret", "client_assertion", "code_verifier", "password", "passwd", "secret",
    "token", "assertion", "session",
)  # fmt: skip
_PERSONAL_KEYS = (
    "HoVaTen", "HoTen", "TenChuHoSo", "ChuHoSo", "full_name", "fullname", "given_name",
    "family_name", "middle_name", "applicant_name", "name", "NgayThangNamSinh", "NgaySinh",
    "date_of_birth", "birth_date", "birthdate", "dob", "SoDinhDanh", "SoCMND", "SoCCCD",
    "SoGiayToChuHoSo", "MaDinhDanh", "id_number", "personal_id", "old_id", "citizen_id",
    "national_id", "SoDienThoai", "DienThoai", "phone", "phone_number", "email", "e-mail",
    "DiaChi", "address", "input_value", "input",
)  # fmt: skip
"""Fields whose values are masked wherever they appear as ``key=value``, ``'key': value``,
``"key": value``, ``Key: value`` or ``<Key>value</Key>``, in any case."""


def _alternatives(keys: tuple[str, ...]) -> str:
    return "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))


_SCHEME = r"(?:Bearer|Basic|Digest|DPoP|Negotiate)"
_QUOTED_VALUE = r"""b?(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
_CREDENTIAL_VALUE = rf"{_QUOTED_VALUE}|(?:{_SCHEME}\s+)?[^\s,;&)\]}}>'\"]+"
_PERSONAL_VALUE = (
    rf"{_QUOTED_VALUE}|(?![\[{{(<]|None\b|null\b)[^\s,;&)\]}}>'\"][^,;&)\]}}>\n'\"]*?"
    r"(?=\s+[\w.-]+\s*[=:]|[,;&)\]}>\n'\"]|$)"
)


def _key_values(
    keys: str, value: str, *, separators: str = "=", quoted_keys: bool = True
) -> re.Pattern[str]:
    """``key=value`` (or another separator) and, with ``quoted_keys``, ``'key': value`` and
    ``(b'key', value)``: the value is group ``value``, what comes before it ``key``."""
    bare = rf"(?<![\w-])(?i:{keys})\s*[{separators}]"
    quoted = rf"b?(?P<q>['\"])(?i:{keys})(?P=q)\s*[:,]|" if quoted_keys else ""
    return re.compile(rf"(?P<key>(?:{quoted}{bare})\s*)(?P<value>{value})")


_CREDENTIAL_RULES = (
    _key_values(_alternatives(_CREDENTIAL_KEYS), _CREDENTIAL_VALUE),
    _key_values(_alternatives(_CREDENTIAL_KEYS), _QUOTED_VALUE, separators=":="),
    _key_values(_alternatives(_HEADERS), r"[^\n]+", separators=":", quoted_keys=False),
)
"""Credentials: a value after ``=`` or a quoted key, a quoted one after ``key:``, and a header
line's whole value (``Cookie: a=1; b=2``)."""
_PERSONAL_RULES = (_key_values(_alternatives(_PERSONAL_KEYS), _PERSONAL_VALUE, separators=":="),)
_BARE_CREDENTIAL = re.compile(rf"\b({_SCHEME})\s+[A-Za-z0-9._~+/=-]{{6,}}")
_XML_ELEMENT = re.compile(
    rf"(<(?P<tag>(?:[\w.-]+:)?(?:{_alternatives(_PERSONAL_KEYS + _CREDENTIAL_KEYS)}))"
    r"(?:\s[^<>]*)?>)[^<]*(</(?P=tag)>)",
    re.IGNORECASE,
)
_SQL_PARAMETERS = re.compile(r"\[parameters: [^\n]*")
_SQL_ENGINE_VALUES = re.compile(
    r"(\[(?:generated in|cached since|no key|raw sql|insertmanyvalues|dialect)[^\]\n]*\]) [^\n]+"
    r"|(?<![\w.])(Row) \([^\n]*"
)
_INPUT_VALUE = re.compile(r"(input_value=)[^\n]*?(?=, input_type=\w+\])")

_FRAME = re.compile(r'[ |]*File "[^"\n]*", line \d+, in [\w.<>]+')
_WORD = re.compile(r"[^\W\d_]+")
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?"
)
# fmt: off
_FAMILY_NAMES = frozenset({
    "nguyen", "tran", "le", "pham", "hoang", "huynh", "phan", "vu", "vo", "dang", "bui", "do",
    "ho", "ngo", "duong", "ly", "dao", "dinh", "doan", "trinh", "truong", "lam", "luong",
    "luu", "mai", "cao", "ha", "thai", "tang", "vuong", "chu", "kieu", "quach", "lai", "giang",
    "trieu", "tong", "ton", "mac", "khuc",
})
"""Common family names without diacritics (``Nguyễn`` → ``nguyen``): a name can lose them."""
# fmt: on


def _plain(word: str) -> str:
    """``word`` in lower case without diacritics (``Nguyễn`` → ``nguyen``), to compare."""
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _name_word(word: str) -> bool:
    """Capitalised (``An``, ``NGUYỄN``) and one Vietnamese syllable."""
    capitalised = word[0].isupper() and (word[1:].islower() or word.isupper() or len(word) == 1)
    return capitalised and _SYLLABLE.fullmatch(_plain(word)) is not None


def _is_name(words: list[str]) -> bool:
    return len(words) >= 2 and any(
        not word.isascii() or _plain(word) in _FAMILY_NAMES for word in words
    )


def _mask_names(line: str) -> str:
    """Runs of capitalised Vietnamese syllables that read as a name, replaced by ``***``."""
    spans: list[tuple[int, int]] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        if _is_name([m[0] for m in run]):
            spans.append((run[0].start(), run[-1].end()))
        run.clear()

    for match in _WORD.finditer(line):
        joined = bool(run) and line[run[-1].end() : match.start()] in (" ", "\t")
        if run and not joined:
            close()
        if _name_word(match[0]):
            run.append(match)
        elif run:
            close()
    close()
    for start, end in reversed(spans):
        line = line[:start] + MASK + line[end:]
    return line


def _masked_value(match: re.Match[str]) -> str:
    value = match["value"]
    quoted = re.match(r"(b?)(['\"])", value)
    hidden = f"{quoted[1]}{quoted[2]}{MASK}{quoted[2]}" if quoted else MASK
    return match["key"] + hidden


def _masked_quote(match: re.Match[str]) -> str:
    if _READABLE.fullmatch(match["body"]):
        return match[0]
    return f"{match['prefix']}{match['quote']}{MASK}{match['quote']}"


def mask_personal_ids(text: str) -> str:
    """``text`` with every 9- or 12-digit run standing alone shown as ``001******345``."""
    return _PERSONAL_ID.sub(lambda m: m[1] + "*" * len(m[2]) + m[3], text)


def _mask_code(line: str) -> str:
    if not _CODE_HINT.search(line):
        return line
    return mask_personal_ids(_DATE.sub("****-**-**", line))


class _Rule(NamedTuple):
    pattern: re.Pattern[str]
    replacement: str | Callable[[re.Match[str]], str]
    hints: tuple[str, ...]
    """Lower-case texts of which a line holds one when the rule can apply (cheaper to look for)."""


_CREDENTIAL_HINTS = tuple(key.lower() for key in _CREDENTIAL_KEYS)
_PERSONAL_HINTS = tuple(key.lower() for key in _PERSONAL_KEYS)
_LINE_RULES = (
    _Rule(_DATE_REPR, "****-**-**", ("date(",)),
    _Rule(_DATETIME_REPR, r"\1(****, **, **", ("datetime(",)),
    *(_Rule(rule, _masked_value, _CREDENTIAL_HINTS) for rule in _CREDENTIAL_RULES),
    _Rule(_BARE_CREDENTIAL, rf"\1 {MASK}", ("bearer", "basic", "digest", "dpop", "negotiate")),
    _Rule(_SQL_PARAMETERS, f"[parameters: {MASK}]", ("[parameters: ",)),
    _Rule(_SQL_ENGINE_VALUES, lambda m: f"{m[1] or m[2]} {MASK}", ("] ", "row (")),
    _Rule(_INPUT_VALUE, rf"\1{MASK}", ("input_value=",)),
    _Rule(_XML_ELEMENT, rf"\1{MASK}\3", ("</",)),
    _Rule(_QUERY, r"\1?…", ("?",)),
    *(_Rule(rule, _masked_value, _PERSONAL_HINTS) for rule in _PERSONAL_RULES),
    _Rule(_QUOTED, _masked_quote, ("'", '"')),
)
"""In this order: credentials and whole sections first, then personal fields, then any quote."""
_NAME_HINT = re.compile(r"[^\W\d_a-z][^\W\d_]*[ \t]+[^\W\d_a-z]")
"""Two words in a row that may be capitalised, which a name needs."""
_CODE_HINT = re.compile(r"\d{4}")
"""Four digits in a row, which a date or an ID number needs."""


def _mask_line(line: str) -> str:
    lowered = line.lower()
    for rule in _LINE_RULES:
        if any(hint in lowered for hint in rule.hints):
            line = rule.pattern.sub(rule.replacement, line)
    if _NAME_HINT.search(line):
        line = _mask_names(line)
    return _mask_code(line)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" |"))


def mask_personal_data(text: str) -> str:
    """``text`` as it may be written to a log: personal data and credentials masked by the rules
    of this module, frames of tracebacks kept. Masking masked text changes nothing."""
    masked: list[str] = []
    frame_indent: int | None = None
    for line in text.split("\n"):
        if frame_indent is not None and line.strip() and _indent(line) > frame_indent:
            masked.append(_mask_code(line))
            continue
        frame_indent = _indent(line) if _FRAME.fullmatch(line) else None
        masked.append(_mask_code(line) if frame_indent is not None else _mask_line(line))
    return "\n".join(masked)


class MaskingFormatter(logging.Formatter):
    """A ``logging.Formatter`` whose every line is passed through ``mask_personal_data``: the
    message, the exception text and traceback (even one another formatter cached on the
    record), the stack and any other field the format names. Only the time this formatter
    writes is left as it is."""

    def format(self, record: logging.LogRecord) -> str:
        formatted = super().format(record)
        stamp = record.__dict__.get("asctime") if self.usesTime() else None
        if isinstance(stamp, str) and stamp in formatted:
            before, _, after = formatted.partition(stamp)
            return mask_personal_data(before) + stamp + mask_personal_data(after)
        return mask_personal_data(formatted)


class MaskingFilter(logging.Filter):
    """Masks a record's message in place, for handlers whose formatter does not mask."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_personal_data(record.getMessage())
        record.args = None
        return True


QUIETER = {"signxml": logging.INFO, "zeep": logging.INFO, "sqlalchemy": logging.WARNING}
"""Floors for libraries that log whole data at low levels: zeep and signxml whole packages and
credentials at DEBUG; SQLAlchemy every statement with its parameters at INFO and every row at
DEBUG (it keeps itself at WARNING when imported first; this does not depend on that)."""


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    """One handler on the root logger, writing masked lines to ``stream`` (stderr by default);
    every library's logger reaches it (run uvicorn with ``log_config=None``)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for library, floor in QUIETER.items():
        logging.getLogger(library).setLevel(max(floor, root.level))
