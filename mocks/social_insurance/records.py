"""Insurance records of the seeded population (``mocks.population``), derived person by person.

Each person's record follows from the seed and their personal ID alone, so the mock of a seed
always answers the same and builds a record only when asked. What a record holds follows the
person's age on ``REFERENCE_DATE`` (*inferred*, after how cards are issued):

- under 6: a free child's card (group ``TE``) until the day before the sixth birthday;
- 6 to 17: a pupil's card (``HS``) for the calendar year;
- 18 to 59: about 60 % contributing through an employer (``DN``), 10 % paused, 15 % stopped
  (a household card, ``GD``), 15 % never contributed (``GD`` card, no contribution);
- 60 and over: about 60 % drawing a pension (``HT``), the rest with a household card;
- about 6 % of people, at any age, hold no record at all.

The registered hospital is a facility in the person's province of permanent residence: its
code is the province's statistics code and three digits. ``MaSoBHXH`` is the province's two
digits and eight more, unique within the population.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from mocks.population import REFERENCE_DATE, Person, Population

WITHOUT_RECORD = 0.06

_EMPLOYERS = (
    "Công ty TNHH Thương mại Dịch vụ An Phát",
    "Công ty Cổ phần Xây dựng Hưng Thịnh",
    "Công ty TNHH May mặc Việt Tiến",
    "Ngân hàng Thương mại Cổ phần Đông Á",
    "Công ty Cổ phần Thực phẩm Sao Mai",
    "Trường Trung học phổ thông Nguyễn Du",
    "Bệnh viện Đa khoa Hồng Đức",
    "Công ty TNHH Điện tử Minh Long",
)
_FACILITIES = (
    ("001", "Bệnh viện Đa khoa tỉnh {province}"),
    ("002", "Bệnh viện Y học cổ truyền {province}"),
    ("011", "Trung tâm Y tế {district}"),
    ("101", "Trạm Y tế {ward}"),
)
_STATUS_NAMES = {
    "1": "Đang tham gia đóng",
    "2": "Tạm dừng đóng",
    "3": "Dừng đóng",
    "4": "Đang hưởng lương hưu",
}
_LEVELS = {"TE": "1", "HS": "4", "DN": "4", "GD": "4", "HT": "2"}


@dataclass(frozen=True, slots=True)
class Insured:
    """The seeded people and how their records are derived; records are built on demand."""

    people: Population
    seed: int

    def record(self, personal_id: str) -> dict[str, Any] | None:
        """``ThongTinBaoHiem`` of the person, or None when they hold no record."""
        person = self.people.by_id(personal_id)
        if person is None:
            return None
        rng = random.Random(f"{self.seed}:{personal_id}")
        if rng.random() < WITHOUT_RECORD:
            return None
        return _record(person, rng)

    def insured(self, limit: int) -> list[Person]:
        """The first ``limit`` adults in population order who hold a record with a card."""
        found: list[Person] = []
        for person in self.people.adults():
            record = self.record(person.personal_id)
            if record is not None and record["TheBHYT"] is not None:
                found.append(person)
                if len(found) == limit:
                    break
        return found


def _year_end(day: date) -> date:
    return date(day.year, 12, 31)


def _sixth_birthday_eve(born: date) -> date:
    try:
        sixth = born.replace(year=born.year + 6)
    except ValueError:
        sixth = date(born.year + 6, 3, 1)
    return date.fromordinal(sixth.toordinal() - 1)


def _code(person: Person, rng: random.Random) -> str:
    return (
        f"{person.permanent_address.province_code}{person.personal_id[-6:]}{rng.randrange(100):02d}"
    )


def _hospital(person: Person, rng: random.Random) -> dict[str, str]:
    address = person.permanent_address
    suffix, name = rng.choice(_FACILITIES)
    return {
        "MaCoSo": f"{address.province_code}{suffix}",
        "TenCoSo": name.format(
            province=address.province_name,
            district=address.district_name,
            ward=address.ward_name,
        ),
    }


def _card(person: Person, code: str, group: str, rng: random.Random, until: date) -> dict[str, Any]:
    start = date(REFERENCE_DATE.year, 1, 1)
    if group == "TE":
        start = person.date_of_birth
    return {
        "MaThe": f"{group}{_LEVELS[group]}{person.permanent_address.province_code}{code}",
        "GiaTriTu": start.isoformat(),
        "GiaTriDen": until.isoformat(),
        "MucHuong": _LEVELS[group],
        "NoiDKKCB": _hospital(person, rng),
    }


def _history(status: str, rng: random.Random, age: int) -> dict[str, Any]:
    months = rng.randint(6, max(7, (age - 18) * 12))
    employed = status in {"1", "2"}
    employer = rng.randrange(len(_EMPLOYERS))
    last = REFERENCE_DATE if status == "1" else date(REFERENCE_DATE.year - rng.randint(0, 3), 1, 1)
    paid_until = date(last.year, max(1, last.month - 1), 1)
    return {
        "MaTrangThai": status,
        "TenTrangThai": _STATUS_NAMES[status],
        "DonViThamGia": _EMPLOYERS[employer] if employed else None,
        "MaDonViThamGia": f"TA{employer:04d}{rng.randrange(10000):04d}" if employed else None,
        "SoThangDong": months,
        "DenThang": f"{paid_until.year:04d}-{paid_until.month:02d}",
    }


def _record(person: Person, rng: random.Random) -> dict[str, Any]:
    code = _code(person, rng)
    age = person.age()
    card: dict[str, Any] | None
    history: dict[str, Any] | None = None
    if age < 6:
        card = _card(person, code, "TE", rng, _sixth_birthday_eve(person.date_of_birth))
    elif age < 18:
        card = _card(person, code, "HS", rng, _year_end(REFERENCE_DATE))
    elif age < 60:
        draw = rng.random()
        if draw < 0.6:
            card, history = (
                _card(person, code, "DN", rng, _year_end(REFERENCE_DATE)),
                _history("1", rng, age),
            )
        elif draw < 0.7:
            card, history = None, _history("2", rng, age)
        elif draw < 0.85:
            card = _card(person, code, "GD", rng, _year_end(REFERENCE_DATE))
            history = _history("3", rng, age)
        else:
            card = _card(person, code, "GD", rng, _year_end(REFERENCE_DATE))
    elif rng.random() < 0.6:
        card = _card(person, code, "HT", rng, _year_end(REFERENCE_DATE))
        history = _history("4", rng, age)
    else:
        card = _card(person, code, "GD", rng, _year_end(REFERENCE_DATE))
    return {
        "MaSoBHXH": code,
        "SoDinhDanh": person.personal_id,
        "HoVaTen": person.full_name,
        "NgaySinh": person.date_of_birth.isoformat(),
        "GioiTinh": person.sex.registry_code,
        "TheBHYT": card,
        "QuaTrinhThamGia": history,
    }
