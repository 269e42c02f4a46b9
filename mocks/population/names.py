"""Vietnamese names: family names with realistic frequencies, middle and given names by sex.

Frequencies of family names follow the commonly cited shares (Nguyễn about 38 %, Trần 11 %,
Lê 9.5 %, ...). Hoàng and Vũ are mostly northern spellings; their southern forms Huỳnh and Võ
are used for people registered from Đà Nẵng southwards.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from itertools import accumulate

FAMILY_NAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 5.1),
    ("Phan", 4.5),
    ("Vũ", 3.9),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Trương", 1.0),
    ("Đinh", 0.9),
    ("Đoàn", 0.8),
    ("Lâm", 0.7),
    ("Mai", 0.6),
    ("Trịnh", 0.6),
    ("Lương", 0.5),
    ("Cao", 0.5),
    ("Hà", 0.5),
    ("Chu", 0.3),
    ("Tạ", 0.3),
    ("Tô", 0.3),
    ("Quách", 0.2),
)
_SOUTHERN = {"Hoàng": "Huỳnh", "Vũ": "Võ"}

MALE_MIDDLE = ("Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Xuân", "Anh", "Gia", "Đình")
MALE_MIDDLE_WEIGHTS = tuple(accumulate((30.0, 10.0, 10.0, 10.0, 8.0, 6.0, 6.0, 5.0, 5.0, 4.0, 6.0)))
FEMALE_MIDDLE = ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Bảo", "Minh", "Hồng", "Phương", "Mai")

MALE_GIVEN = (
    "Anh",
    "Bảo",
    "Bình",
    "Cường",
    "Dũng",
    "Duy",
    "Đạt",
    "Đức",
    "Hải",
    "Hiếu",
    "Hoàng",
    "Hùng",
    "Huy",
    "Khang",
    "Khánh",
    "Khoa",
    "Kiên",
    "Long",
    "Lâm",
    "Minh",
    "Nam",
    "Nghĩa",
    "Phong",
    "Phúc",
    "Quân",
    "Quang",
    "Sơn",
    "Tài",
    "Thắng",
    "Thành",
    "Tiến",
    "Toàn",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Vũ",
)
FEMALE_GIVEN = (
    "An",
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hằng",
    "Hạnh",
    "Hoa",
    "Hồng",
    "Hương",
    "Huyền",
    "Lan",
    "Linh",
    "Loan",
    "Mai",
    "My",
    "Nga",
    "Ngân",
    "Ngọc",
    "Nhung",
    "Oanh",
    "Phương",
    "Quỳnh",
    "Thảo",
    "Thu",
    "Thủy",
    "Trang",
    "Trinh",
    "Tuyết",
    "Uyên",
    "Vân",
    "Vy",
    "Yến",
)

_FAMILY = tuple(name for name, _ in FAMILY_NAMES)
_FAMILY_WEIGHTS = tuple(accumulate(weight for _, weight in FAMILY_NAMES))


def family_name(rng: random.Random, *, southern: bool) -> str:
    name = rng.choices(_FAMILY, cum_weights=_FAMILY_WEIGHTS)[0]
    return _SOUTHERN.get(name, name) if southern else name


def middle_name(rng: random.Random, *, male: bool, birth_year: int) -> str:
    if male:
        return rng.choices(MALE_MIDDLE, cum_weights=MALE_MIDDLE_WEIGHTS)[0]
    share_thi = 0.75 if birth_year < 1970 else 0.5 if birth_year < 1995 else 0.25
    if rng.random() < share_thi:
        return "Thị"
    return rng.choice(FEMALE_MIDDLE[1:])


def given_name(rng: random.Random, *, male: bool, avoid: Sequence[str] = ()) -> str:
    pool = MALE_GIVEN if male else FEMALE_GIVEN
    while True:
        name = rng.choice(pool)
        if name not in avoid:
            return name
