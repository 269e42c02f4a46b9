"""Plausible Vietnamese people and businesses, with identifiers that pass the national checks.

Names follow the usual order family, middle, given, with family names weighted roughly as they
occur in the population (Nguyễn for close to four in ten). A 12-digit personal ID is built as
Thông tư 07/2016/TT-BCA lays it out: the province of birth registration, a digit for century and
sex, the last two digits of the birth year, six random digits. An enterprise code is nine digits
and the check digit the business registry computes over them.

Every string is NFC, so the canonical model receives what a one-stop system should send.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from gateway.demo.catalogue import BirthProvince

FAMILY_NAMES: dict[str, float] = {
    "Nguyễn": 38.0,
    "Trần": 11.0,
    "Lê": 9.5,
    "Phạm": 7.0,
    "Hoàng": 4.0,
    "Huỳnh": 1.0,
    "Phan": 4.5,
    "Vũ": 3.0,
    "Võ": 1.0,
    "Đặng": 2.1,
    "Bùi": 2.0,
    "Đỗ": 1.4,
    "Hồ": 1.3,
    "Ngô": 1.3,
    "Dương": 1.0,
    "Lý": 0.5,
    "Trịnh": 0.8,
    "Mai": 0.6,
    "Lương": 0.5,
    "Đinh": 0.5,
}


class Sex(StrEnum):
    male = "male"
    female = "female"


MIDDLE_NAMES: dict[Sex, tuple[str, ...]] = {
    Sex.male: ("Văn", "Hữu", "Đức", "Minh", "Thanh", "Quang", "Công", "Xuân", "Đình", "Trọng"),
    Sex.female: ("Thị", "Ngọc", "Thanh", "Thu", "Kim", "Hồng", "Phương", "Minh", "Thùy", "Bảo"),
}

GIVEN_NAMES: dict[Sex, tuple[str, ...]] = {
    Sex.male: (
        "Hùng", "Dũng", "Tuấn", "Nam", "Hải", "Long", "Quân", "Sơn", "Thắng", "Cường",
        "Đạt", "Phúc", "Khánh", "Huy", "Trung", "Tú", "Việt", "Bình", "An", "Hiếu",
        "Thành", "Lâm", "Toàn", "Kiên", "Nghĩa", "Đông", "Quý", "Vinh", "Lộc", "Hưng",
    ),
    Sex.female: (
        "Lan", "Hương", "Hoa", "Mai", "Linh", "Trang", "Thảo", "Ngọc", "Hà", "Hằng",
        "Nhung", "Yến", "Phương", "Thủy", "Vân", "Huyền", "Loan", "Nga", "Oanh", "Diệp",
        "Anh", "Chi", "Giang", "Hạnh", "Liên", "My", "Quỳnh", "Tâm", "Uyên", "Xuân",
    ),
}  # fmt: skip

_BUSINESS_FORMS = ("Công ty TNHH", "Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân")
_BUSINESS_TRADES = (
    "Thương mại và Dịch vụ",
    "Xây dựng",
    "Vận tải",
    "Thực phẩm",
    "Nông sản",
    "Du lịch",
    "Công nghệ",
    "Đầu tư và Phát triển",
    "May mặc",
    "Vật liệu xây dựng",
)
_BUSINESS_BRANDS = (
    "Hoàng Long", "Thành Đạt", "Minh Phát", "An Khang", "Phú Thịnh", "Lam Sơn", "Hưng Thịnh",
    "Việt Tiến", "Sao Mai", "Đông Á", "Hải Tiến", "Trường Xuân", "Ngọc Lặc", "Bình Minh",
)  # fmt: skip

_MOBILE_PREFIXES = (
    "086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039",
    "088", "091", "094", "081", "082", "083", "084", "085", "089", "090", "093", "070",
    "076", "077", "078", "079",
)  # fmt: skip

ENTERPRISE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


@dataclass(frozen=True, slots=True)
class Person:
    family: str
    middle: str
    given: str
    sex: Sex
    born: date
    birth_province: BirthProvince
    personal_id: str

    @property
    def full_name(self) -> str:
        return f"{self.family} {self.middle} {self.given}"


@dataclass(frozen=True, slots=True)
class Business:
    name: str
    enterprise_code: str
    representative: Person


def century_sex_digit(sex: Sex, birth_year: int) -> int:
    """The fourth digit of a personal ID: 0/1 for the 1900s, 2/3 for the 2000s, and so on."""
    century = birth_year // 100 - 19
    if not 0 <= century <= 4:
        raise ValueError(f"birth year {birth_year} is outside 1900-2399, the IDs' range")
    return 2 * century + (1 if sex is Sex.female else 0)


def personal_id(rng: random.Random, *, province: BirthProvince, sex: Sex, birth_year: int) -> str:
    serial = rng.randrange(1_000_000)
    digit = century_sex_digit(sex, birth_year)
    return f"{province.id_code}{digit}{birth_year % 100:02d}{serial:06d}"


def enterprise_check_digit(first_nine: str) -> int | None:
    """The tenth digit of an enterprise code, or ``None`` when no code with these digits is issued.

    Σ(digit × weight) mod 11 = r gives 10 − r; r = 10 gives 0, and r = 0 would need 10, which is
    why the registry never issues such a code.
    """
    if len(first_nine) != 9 or not first_nine.isdigit():
        raise ValueError(f"{first_nine!r} is not the nine leading digits of an enterprise code")
    remainder = sum(int(d) * w for d, w in zip(first_nine, ENTERPRISE_WEIGHTS, strict=True)) % 11
    if remainder == 0:
        return None
    return (10 - remainder) % 10


def enterprise_code(rng: random.Random, *, prefix: str) -> str:
    """A 10-digit code opening with the province tax office's ``prefix`` (``28`` in Thanh Hóa)."""
    while True:
        first_nine = prefix + "".join(str(rng.randrange(10)) for _ in range(9 - len(prefix)))
        check = enterprise_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


def phone_number(rng: random.Random) -> str:
    return rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters only: what people use where diacritics are not allowed."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def email_address(rng: random.Random, person: Person) -> str:
    local = ascii_slug(person.family + person.middle + person.given)
    return f"{local}{person.born.year % 100:02d}{rng.randrange(10)}@example.com"


class PeopleFactory:
    """Draws people born mostly in the home province, as a province's applicants are."""

    def __init__(
        self,
        rng: random.Random,
        *,
        home: BirthProvince,
        provinces: tuple[BirthProvince, ...],
        home_share: float = 0.8,
    ) -> None:
        self._rng = rng
        self._home = home
        self._elsewhere = tuple(p for p in provinces if p.id_code != home.id_code)
        self._home_share = home_share
        self._family = tuple(FAMILY_NAMES)
        self._family_weights = tuple(FAMILY_NAMES.values())

    def person(
        self,
        *,
        today: date,
        min_age: int = 18,
        max_age: int = 78,
        sex: Sex | None = None,
        family: str | None = None,
    ) -> Person:
        rng = self._rng
        sex = sex or rng.choice((Sex.male, Sex.female))
        drawn_family = rng.choices(self._family, self._family_weights)[0]
        age = round(rng.triangular(min_age, max_age, 38))
        born = date(today.year - age, 1, 1) + timedelta(days=rng.randrange(365))
        province = (
            self._home
            if rng.random() < self._home_share or not self._elsewhere
            else rng.choice(self._elsewhere)
        )
        return Person(
            family=family or drawn_family,
            middle=rng.choice(MIDDLE_NAMES[sex]),
            given=rng.choice(GIVEN_NAMES[sex]),
            sex=sex,
            born=born,
            birth_province=province,
            personal_id=personal_id(rng, province=province, sex=sex, birth_year=born.year),
        )

    def business(self, *, today: date, tax_prefix: str) -> Business:
        rng = self._rng
        name = " ".join(
            (
                rng.choice(_BUSINESS_FORMS),
                rng.choice(_BUSINESS_TRADES),
                rng.choice(_BUSINESS_BRANDS),
            )
        )
        return Business(
            name=name,
            enterprise_code=enterprise_code(rng, prefix=tax_prefix),
            representative=self.person(today=today, min_age=25, max_age=65),
        )
