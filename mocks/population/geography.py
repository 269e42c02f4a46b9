"""The 63 provinces (real codes and names) with plausible, made-up districts and wards.

Province codes are the statistics office's (``gso_code``, two digits) and the personal-ID codes
(``id_code``, three digits) from ``data/province-id-codes.csv``. District and ward names are
invented but shaped like real ones; their codes follow the statistics office's widths (three
digits for a district, five for a ward) and are unique across the country. The geography does
not depend on the population's seed.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources

COUNTRY = "VN"

_CITIES = frozenset({"01", "31", "48", "79", "92"})
_PLACE_NAMES = (
    "An Bình",
    "An Phú",
    "Bình An",
    "Bình Minh",
    "Cẩm Lệ",
    "Châu Thành",
    "Đông Hưng",
    "Đông Sơn",
    "Gia Lộc",
    "Hải An",
    "Hòa Bình",
    "Hòa Thành",
    "Hưng Phú",
    "Kim Sơn",
    "Long Điền",
    "Long Hải",
    "Minh Khai",
    "Mỹ Lộc",
    "Nam Sơn",
    "Nghĩa Hưng",
    "Phú Bình",
    "Phú Lợi",
    "Phú Mỹ",
    "Phước Long",
    "Quang Trung",
    "Quảng Xương",
    "Tân An",
    "Tân Hiệp",
    "Tân Phú",
    "Tân Thành",
    "Thạch Hà",
    "Thanh Bình",
    "Thanh Sơn",
    "Thuận An",
    "Tiên Du",
    "Trung Hòa",
    "Trường Xuân",
    "Văn Lâm",
    "Vĩnh Lộc",
    "Vĩnh Phúc",
    "Xuân Lộc",
    "Yên Hòa",
)
_STREETS = (
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Nguyễn Trãi",
    "Lý Thường Kiệt",
    "Hai Bà Trưng",
    "Quang Trung",
    "Hùng Vương",
    "Điện Biên Phủ",
    "Nguyễn Huệ",
    "Phan Đình Phùng",
    "Lê Duẩn",
    "Võ Thị Sáu",
    "Nguyễn Văn Cừ",
    "Bà Triệu",
    "Ngô Quyền",
    "Trần Phú",
)
_VILLAGES = ("Thôn Đông", "Thôn Tây", "Thôn Trung", "Thôn Thượng", "Thôn Hạ", "Xóm Mới", "Ấp 3")


@dataclass(frozen=True, slots=True)
class Province:
    id_code: str
    """The first three digits of a personal ID registered there, e.g. ``001``."""
    gso_code: str
    """The statistics office's code, e.g. ``01``."""
    name: str
    """The short name, NFC, e.g. ``Hà Nội``."""

    @property
    def is_city(self) -> bool:
        """True for the five centrally governed cities (districts are quận, wards phường)."""
        return self.gso_code in _CITIES


@dataclass(frozen=True, slots=True)
class Ward:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class District:
    code: str
    name: str
    wards: tuple[Ward, ...]


@dataclass(frozen=True, slots=True)
class Address:
    """An address as the population registry keeps it: codes, names and a free-text detail."""

    province_code: str
    province_name: str
    district_code: str
    district_name: str
    ward_code: str
    ward_name: str
    detail: str
    country: str = COUNTRY

    @property
    def full(self) -> str:
        """One line, most specific first: ``detail, ward, district, province``."""
        return ", ".join(
            part
            for part in (self.detail, self.ward_name, self.district_name, self.province_name)
            if part
        )


@cache
def provinces() -> tuple[Province, ...]:
    """The 63 provinces before the 2025 merger, in the order of their ID codes."""
    text = resources.files("mocks.population").joinpath("data/province-id-codes.csv")
    rows = csv.DictReader(io.StringIO(text.read_text(encoding="utf-8")))
    return tuple(
        Province(id_code=row["id_code"], gso_code=row["gso_code"], name=row["province_vi"])
        for row in rows
    )


@cache
def province_by_id_code() -> dict[str, Province]:
    return {p.id_code: p for p in provinces()}


@cache
def districts(province: Province) -> tuple[District, ...]:
    """Between four and eight districts of a province, each with three to six wards."""
    rng = random.Random(f"districts/{province.gso_code}")
    gso = int(province.gso_code)
    names = rng.sample(_PLACE_NAMES, 8)
    result: list[District] = []
    for k in range(rng.randint(4, 8)):
        district_number = gso * 10 + k
        if k == 0 and not province.is_city:
            kind, district_name = "Thành phố", f"Thành phố {province.name}"
        else:
            kind = "Quận" if province.is_city and k < 4 else "Huyện"
            district_name = f"{kind} {names[k]}"
        urban = kind != "Huyện"
        ward_names = rng.sample([n for n in _PLACE_NAMES if n != names[k]], 6)
        wards = tuple(
            Ward(
                code=f"{district_number * 25 + j:05d}",
                name=f"{'Phường' if urban else 'Xã'} {ward_names[j]}",
            )
            for j in range(rng.randint(3, 6))
        )
        result.append(District(code=f"{district_number:03d}", name=district_name, wards=wards))
    return tuple(result)


def random_address(rng: random.Random, province: Province) -> Address:
    """A plausible address in ``province``: a street number in towns, a village in the country."""
    district = rng.choice(districts(province))
    ward = rng.choice(district.wards)
    if ward.name.startswith("Phường"):
        detail = f"Số {rng.randint(1, 250)}, đường {rng.choice(_STREETS)}"
        if rng.random() < 0.4:
            detail = (
                f"Số {rng.randint(1, 80)}, ngõ {rng.randint(1, 300)}, đường {rng.choice(_STREETS)}"
            )
    else:
        detail = rng.choice(_VILLAGES)
    return Address(
        province_code=province.gso_code,
        province_name=province.name,
        district_code=district.code,
        district_name=district.name,
        ward_code=ward.code,
        ward_name=ward.name,
        detail=detail,
    )
