"""Personal data out of recordings: consistent fake values in place of real ones, and a check
that refuses a recording still holding anything shaped like personal data.

A recording of a national sandbox holds citizens' data. ``Pseudonymiser.scrub`` replaces, in the
raw text of a body, every personal value it finds, and nothing else, so the rest stays byte for
byte as it was:

- found by **field name** (JSON keys, XML element names: ``SoDinhDanh``, ``HoVaTen``,
  ``NgaySinh``, ``SoDienThoai``, ``DiaChi...``, ``Email``...), and
- found by **shape** anywhere in the text: a run of 12 digits (a personal ID), of 9 digits (an
  old identity card), a Vietnamese mobile number, a full name that starts with one of the
  common family names (not a place: *Hà Nội*, *đường Lê Lợi* stay).

The same real value always becomes the same fake within one ``Pseudonymiser`` (one recording),
so a dossier's applicant is the same fake person in every exchange. Fakes keep the rules a
reader checks: a fake personal ID has a real province code (``mocks/population/data``), its
century-and-sex digit and its birth-year digits agree with the fake date of birth, because every
year of birth moves back by the same number of years (drawn once per recording); a date keeps
its format; a phone number keeps its form (``0...``, ``84...``, ``+84...``) and its carrier's
first digit.

``leftovers`` is the check: every value in a text that is shaped like personal data and is not
one of the fakes made. A recorder refuses to save an exchange with any (values of fields known
not to be personal, such as ``MaSoDoanhNghiep``, are exempt). It also looks inside long base64
runs, where an edXML package may carry names.
"""

from __future__ import annotations

import base64
import binascii
import json
import random
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

from lxml import etree

from mocks.population.geography import provinces, random_address
from mocks.population.names import FAMILY_NAMES, given_name, middle_name

PERSONAL_ID = "personal_id"
OLD_ID = "old_id"
NAME = "name"
DATE_OF_BIRTH = "date_of_birth"
PHONE = "phone"
ADDRESS = "address"
EMAIL = "email"

#: Field names (lower case) and what they hold.
_FIELDS: dict[str, str] = {
    **dict.fromkeys(
        ("sodinhdanh", "socccd", "cccd", "socancuoc", "madinhdanh", "personal_id", "dinhdanh"),
        PERSONAL_ID,
    ),
    **dict.fromkeys(("socmnd", "cmnd", "old_id"), OLD_ID),
    **dict.fromkeys(
        (
            "hovaten",
            "hoten",
            "hotencongdan",
            "tencongdan",
            "chuhoso",
            "tennguoinop",
            "nguoinop",
            "nguoidaidien",
            "hotennguoidaidien",
            "tenchuho",
            "full_name",
            "fullname",
            "name_of_applicant",
        ),
        NAME,
    ),
    **dict.fromkeys(
        ("ngaysinh", "ngaythangnamsinh", "date_of_birth", "dateofbirth", "birthdate"),
        DATE_OF_BIRTH,
    ),
    **dict.fromkeys(
        ("sodienthoai", "dienthoai", "sdt", "sodt", "dtdd", "phone", "phone_number", "mobile"),
        PHONE,
    ),
    **dict.fromkeys(
        ("noithuongtru", "noiohientai", "quequan", "noicutru", "address", "noisinh"), ADDRESS
    ),
    **dict.fromkeys(("email", "thudientu"), EMAIL),
}
_ADDRESS_PREFIX = "diachi"
#: Fields whose values look like personal data but are not: never replaced, never refused.
NOT_PERSONAL = frozenset(
    {"masodoanhnghiep", "masothue", "mahoso", "matthc", "documentid", "madonvi", "id"}
)

_ID12 = re.compile(r"(?<!\d)\d{12}(?!\d)")
_ID9 = re.compile(r"(?<!\d)\d{9}(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+84|84|0)[35789]\d{8}(?!\d)")
_FAMILY = sorted({n for n, _ in FAMILY_NAMES} | {"Huỳnh", "Võ"}, key=len, reverse=True)
_NAME = re.compile(r"(?<!\w)(?:" + "|".join(_FAMILY) + r")(?:[ ]+[^\W\d_]+){1,3}")
_PLACE_WORDS = re.compile(
    r"(?:đường|phố|tỉnh|thành phố|quận|huyện|phường|xã|thị xã|thị trấn|tp\.?|ngõ|ấp|thôn)\s*$",
    re.IGNORECASE,
)
_BASE64 = re.compile(r"[A-Za-z0-9+/]{64,}={0,2}")
_DATE_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), "{y:04d}-{m:02d}-{d:02d}"),
    (re.compile(r"^(\d{2})/(\d{2})/(\d{4})$"), "{d:02d}/{m:02d}/{y:04d}"),
    (re.compile(r"^(\d{4})/(\d{2})/(\d{2})$"), "{y:04d}/{m:02d}/{d:02d}"),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), "{y:04d}{m:02d}{d:02d}"),
)


def _places() -> frozenset[str]:
    return frozenset(p.name for p in provinces())


def category_of(field: str) -> str | None:
    """What a field of that name holds, if personal data."""
    key = field.lower().split("}")[-1].split(":")[-1]
    if key in NOT_PERSONAL:
        return None
    if key.startswith(_ADDRESS_PREFIX):
        return ADDRESS
    return _FIELDS.get(key)


def names_in(text: str) -> Iterator[str]:
    """The full names in ``text``: a family name and one to three capitalised words, not a place
    (a province, or after *đường*, *phố*, *tỉnh*...)."""
    places = _places()
    for found in _NAME.finditer(text):
        words = found.group(0).split()
        kept = [words[0]]
        for word in words[1:]:
            if not word[0].isupper():
                break
            kept.append(word)
        if len(kept) < 2:
            continue
        name = " ".join(kept)
        if any(name == p or name.startswith(p + " ") or p.startswith(name) for p in places):
            continue
        if _PLACE_WORDS.search(text[max(0, found.start() - 12) : found.start()]):
            continue
        yield name


def shaped(text: str) -> Iterator[tuple[str, str]]:
    """``(kind, value)`` for everything in ``text`` shaped like personal data."""
    for found in _ID12.finditer(text):
        yield PERSONAL_ID, found.group(0)
    for found in _ID9.finditer(text):
        yield OLD_ID, found.group(0)
    for found in _PHONE.finditer(text):
        yield PHONE, found.group(0)
    for name in names_in(text):
        yield NAME, name


def _strings(document: object, field: str = "") -> Iterator[tuple[str, str]]:
    """``(field name, text)`` for every string of a JSON document."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield from _strings(value, str(key))
    elif isinstance(document, list):
        for item in document:
            yield from _strings(item, field)
    elif isinstance(document, str):
        yield field, document
    elif isinstance(document, int | float) and not isinstance(document, bool):
        yield field, str(document)


def _xml_texts(text: str) -> Iterator[tuple[str, str]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if element.text and element.text.strip():
            yield name, element.text.strip()
        for attribute, value in element.attrib.items():
            yield etree.QName(attribute).localname, value


def fields_of(text: str) -> list[tuple[str, str]]:
    """``(field name, value)`` for every value of a JSON, XML or form body (or a query)."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return list(_strings(json.loads(text)))
        except ValueError:
            return []
    if stripped.startswith("<"):
        return list(_xml_texts(text))
    if "=" in text and not any(c.isspace() for c in text):
        return parse_qsl(text, keep_blank_values=True)
    return []


@dataclass(frozen=True, slots=True)
class Leftover:
    """A value still shaped like personal data: its kind and where it was found."""

    kind: str
    where: str

    def __str__(self) -> str:
        return f"{self.kind} in {self.where}"


class Pseudonymiser:
    """Consistent fake values for one recording; ``seed`` only for tests."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(secrets.randbits(64) if seed is None else seed)
        self.year_shift = self._rng.randint(1, 5)
        """Every year of birth moves back by this many years, so IDs and dates stay in step."""
        self._fakes: dict[tuple[str, str], str] = {}
        self.made: set[str] = set()
        """Every fake value handed out: ``leftovers`` does not count them."""

    def fake(self, kind: str, real: str) -> str:
        """The fake for ``real`` of ``kind``; the same real value gets the same fake."""
        key = (kind, real)
        if key not in self._fakes:
            for _ in range(100):
                made = self._make(kind, real)
                if made != real and made not in self.made:
                    break
            self._fakes[key] = made
            self.made.add(made)
        return self._fakes[key]

    def _make(self, kind: str, real: str) -> str:
        rng = self._rng
        if kind == PERSONAL_ID and re.fullmatch(r"\d{12}", real):
            century, yy = int(real[3]), int(real[4:6])
            sex = century % 2
            year = 1900 + (century // 2) * 100 + yy - self.year_shift
            digit = (year // 100 - 19) * 2 + sex
            province = rng.choice([p.id_code for p in provinces() if p.id_code != real[:3]])
            return f"{province}{digit}{year % 100:02d}{rng.randrange(10**6):06d}"
        if kind in (PERSONAL_ID, OLD_ID) or (kind == PHONE and not real.lstrip("+").isdigit()):
            return "".join(str(rng.randrange(10)) if c.isdigit() else c for c in real)
        if kind == PHONE:
            prefix = real[: len(real) - 9]
            return f"{prefix}{real[-9]}{rng.randrange(10**8):08d}"
        if kind == DATE_OF_BIRTH:
            return self._date(real)
        if kind == NAME:
            male = "Thị" not in real.split()
            family = rng.choice([n for n, _ in FAMILY_NAMES])
            middle = middle_name(rng, male=male, birth_year=1980)
            return f"{family} {middle} {given_name(rng, male=male)}"
        if kind == ADDRESS:
            return random_address(rng, rng.choice(provinces())).full
        if kind == EMAIL:
            return f"nguoidung{rng.randrange(10**6):06d}@example.vn"
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in real)

    def _date(self, real: str) -> str:
        for pattern, layout in _DATE_FORMATS:
            found = pattern.match(real)
            if found is None:
                continue
            parts = found.groups()
            year = int(parts[2] if layout.startswith("{d") else parts[0])
            fake_year = year - self.year_shift
            month = self._rng.randint(1, 12)
            day = self._rng.randint(1, 28)
            date(fake_year, month, day)
            return layout.format(y=fake_year, m=month, d=day)
        return "".join(str(self._rng.randrange(10)) if c.isdigit() else c for c in real)

    def found_in(self, text: str) -> dict[str, str]:
        """Every personal value in ``text`` (by field and by shape) with its kind."""
        found: dict[str, str] = {}
        exempt: set[str] = set()
        for field, value in fields_of(text):
            field_key = field.lower()
            if field_key in NOT_PERSONAL:
                exempt.add(value)
                continue
            kind = category_of(field)
            if kind is not None and value.strip():
                found[value] = kind
        for kind, value in shaped(text):
            found.setdefault(value, kind)
        for _, value in fields_of(text):
            for kind, inner in shaped(value):
                found.setdefault(inner, kind)
        return {v: k for v, k in found.items() if v not in exempt and v not in self.made}

    def scrub(self, text: str) -> str:
        """``text`` with every personal value replaced by its fake, everything else unchanged."""
        found = self.found_in(text)
        if not found:
            return text
        written: dict[str, str] = {}
        for real, kind in found.items():
            fake = self.fake(kind, real)
            for real_form, fake_form in zip(
                _ordered_forms(real), _ordered_forms(fake), strict=True
            ):
                if real_form:
                    written.setdefault(real_form, fake_form)
        ordered = sorted(written, key=len, reverse=True)
        pattern = re.compile("|".join(_whole(f) for f in ordered))
        return pattern.sub(lambda m: written[m.group(0)], text)

    def leftovers(self, text: str, where: str = "body") -> list[Leftover]:
        """What in ``text`` is still shaped like personal data and is not a fake of ours."""
        found = [Leftover(kind, where) for kind in sorted(set(self.found_in(text).values()))]
        for run in _BASE64.findall(text):
            try:
                decoded = base64.b64decode(run, validate=True).decode("utf-8")
            except (binascii.Error, ValueError):
                continue
            kinds = sorted(set(self.found_in(decoded).values()))
            found.extend(Leftover(kind, f"{where} (inside base64)") for kind in kinds)
        return found


def _whole(form: str) -> str:
    """A pattern for ``form`` that does not match inside a longer word or number."""
    before = r"(?<!\w)" if re.match(r"\w", form) else ""
    after = r"(?!\w)" if re.search(r"\w$", form) else ""
    return f"{before}{re.escape(form)}{after}"


def _ordered_forms(value: str) -> list[str]:
    """The raw forms of ``value`` in a fixed order, so a real form pairs with its fake's."""
    return [
        value,
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        escape(value),
        escape(value, {'"': "&quot;"}),
    ]


__all__ = ["Leftover", "Pseudonymiser", "category_of", "names_in", "shaped"]
