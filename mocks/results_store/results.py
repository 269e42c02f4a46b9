"""Results issued to the seeded population (``mocks.population``), derived person by person.

A person's results follow from the seed and their personal ID alone (*inferred* frequencies):

- ``KQ.KS`` birth certificate extract: about 70 % of people (those whose birth registration was
  digitised), issued by the commune of their home town, never expiring;
- ``KQ.KH`` marriage certificate: about 60 % of married people, never expiring;
- ``KQ.TTHN`` certificate of marital status: about 20 % of unmarried adults, valid six months;
- ``KQ.LLTP`` judicial record extract: about 15 % of adults, valid six months;
- ``KQ.CT`` confirmation of residence: about 20 % of adults, valid one year.

Each result has a file (``DuongDanTepTin``), a small PDF naming the kind and number.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from mocks.population import REFERENCE_DATE, Person, Population

KINDS: dict[str, str] = {
    "KQ.KS": "Trích lục khai sinh",
    "KQ.KH": "Giấy chứng nhận kết hôn",
    "KQ.TTHN": "Giấy xác nhận tình trạng hôn nhân",
    "KQ.LLTP": "Phiếu lý lịch tư pháp",
    "KQ.CT": "Giấy xác nhận thông tin về cư trú",
}
FILE_PREFIX = "/kho/giayto/"
_MARRIED = "Đã kết hôn"


class Results:
    """The seeded people and how their results are derived; results are built on demand, and
    the index of files the first time a file is asked for."""

    def __init__(self, people: Population, seed: int) -> None:
        self.people = people
        self.seed = seed

    def of(self, personal_id: str) -> list[dict[str, Any]]:
        """Every result issued to the person, newest first; empty for an unknown ID."""
        person = self.people.by_id(personal_id)
        if person is None:
            return []
        rng = random.Random(f"{self.seed}:results:{personal_id}")
        found = [r for kind in KINDS if (r := _result(person, kind, rng)) is not None]
        return sorted(found, key=lambda r: r["NgayCap"], reverse=True)

    def by_file(self, path: str) -> dict[str, Any] | None:
        """The result whose file is at ``path``, or None."""
        owner = self._owners.get(path)
        if owner is None:
            return None
        return next(r for r in self.of(owner) if r["DuongDanTepTin"] == path)

    @cached_property
    def _owners(self) -> dict[str, str]:
        """Each file's path and its owner's ID; paths do not name the owner."""
        return {
            result["DuongDanTepTin"]: person.personal_id
            for person in self.people
            for result in self.of(person.personal_id)
        }

    def holders(self, kind: str, limit: int) -> list[Person]:
        """The first ``limit`` adults in population order holding a result of ``kind``."""
        found: list[Person] = []
        for person in self.people.adults():
            if any(r["MaKetQua"] == kind for r in self.of(person.personal_id)):
                found.append(person)
                if len(found) == limit:
                    break
        return found


def _issued(person: Person, kind: str, rng: random.Random) -> tuple[date, date | None] | None:
    adult = person.is_adult
    recent = REFERENCE_DATE - timedelta(days=rng.randint(10, 700))
    if kind == "KQ.KS":
        if rng.random() >= 0.7:
            return None
        late = person.date_of_birth + timedelta(days=rng.randint(5, 60))
        return max(late, min(recent, REFERENCE_DATE)) if rng.random() < 0.3 else late, None
    if kind == "KQ.KH":
        return (recent, None) if person.marital_status == _MARRIED and rng.random() < 0.6 else None
    if not adult:
        return None
    if kind == "KQ.TTHN":
        single = person.marital_status != _MARRIED
        return (recent, recent + timedelta(days=182)) if single and rng.random() < 0.2 else None
    if kind == "KQ.LLTP":
        return (recent, recent + timedelta(days=182)) if rng.random() < 0.15 else None
    return (recent, recent + timedelta(days=365)) if rng.random() < 0.2 else None


def _result(person: Person, kind: str, rng: random.Random) -> dict[str, Any] | None:
    issued = _issued(person, kind, rng)
    if issued is None:
        return None
    on, until = issued
    code = f"GT.{rng.randrange(16**10):010X}"
    number = f"{rng.randint(1, 9999):04d}/{on.year}/{kind.removeprefix('KQ.')}"
    place = person.hometown if kind == "KQ.KS" else person.permanent_address
    issuer = (
        "Sở Tư pháp " + place.province_name
        if kind == "KQ.LLTP"
        else f"Ủy ban nhân dân {place.ward_name}"
    )
    return {
        "MaGiayToKetQua": code,
        "MaKetQua": kind,
        "TenKetQua": KINDS[kind],
        "SoKyHieu": number,
        "NgayCap": on.isoformat(),
        "CoQuanCap": issuer,
        "NgayHetHieuLuc": until.isoformat() if until else None,
        "MaHoSo": f"000.00.{rng.randint(10, 99)}.H{rng.randint(10, 96):02d}-"
        f"{on:%y%m%d}-{rng.randint(1, 99999):05d}",
        "MaTTHC": "",
        "DuongDanTepTin": f"{FILE_PREFIX}{code}.pdf",
        "TenTepTin": f"{code}.pdf",
    }


def pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` (ASCII) in Helvetica, with a correct cross-reference."""
    content = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
