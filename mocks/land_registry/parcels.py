"""The land registry mock's seeded parcels, held by adults of the population mock of the same
seed, so a person the population registry knows can be found holding land.

Each parcel lies in its first holder's commune of permanent residence; one in three is held
jointly with the holder's spouse; most carry a certificate; a few carry a mortgage. The same seed
always gives the same parcels.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from mocks.population import Person, population

DEFAULT_SIZE = 600

LAND_USES = (
    ("ONT", "Đất ở tại nông thôn"),
    ("ODT", "Đất ở tại đô thị"),
    ("LUC", "Đất chuyên trồng lúa nước"),
    ("CLN", "Đất trồng cây lâu năm"),
    ("BHK", "Đất bằng trồng cây hằng năm khác"),
    ("NTS", "Đất nuôi trồng thủy sản"),
)
HOUSING = ("ONT", "ODT")
BANKS = ("Ngân hàng Nông nghiệp và Phát triển nông thôn", "Ngân hàng TMCP Công thương Việt Nam")
SERIES = ("CS", "CT", "DA", "DB", "DC")


@dataclass(frozen=True, slots=True)
class SeededParcel:
    commune: str
    sheet: int
    number: int
    record: dict[str, Any]
    holders: tuple[str, ...]


class Parcels:
    """The parcels of one seed; immutable and shared, so callers must not change them."""

    def __init__(self, seed: int, made: tuple[SeededParcel, ...]) -> None:
        self.seed = seed
        self.parcels = made
        self._by_ref = {(p.commune, p.sheet, p.number): p for p in made}

    def find(self, commune: str, sheet: int, number: int) -> SeededParcel | None:
        return self._by_ref.get((commune, sheet, number))

    def held_by(self, id_number: str) -> list[SeededParcel]:
        return [p for p in self.parcels if id_number in p.holders]


def _owner(person: Person, share: str) -> dict[str, Any]:
    return {
        "HoTen": person.full_name,
        "SoGiayTo": person.personal_id,
        "NamSinh": person.date_of_birth.year,
        "HinhThucSuDung": share,
    }


@lru_cache(maxsize=8)
def parcels(seed: int = 0, size: int = DEFAULT_SIZE) -> Parcels:
    """``size`` parcels for ``seed``; the same arguments always give the same parcels."""
    rng = random.Random(f"land-registry/{seed}")
    people = population(seed)
    adults = [p for p in people.adults() if p.age() >= 20]
    taken: set[tuple[str, int, int]] = set()
    made: list[SeededParcel] = []
    while len(made) < size:
        holder = rng.choice(adults)
        address = holder.permanent_address
        key = (address.ward_code, rng.randint(1, 60), rng.randint(1, 900))
        if key in taken:
            continue
        taken.add(key)
        spouse = people.by_id(holder.spouse_id) if holder.spouse_id else None
        joint = spouse is not None and rng.random() < 1 / 3
        share = "Sử dụng chung" if joint else "Sử dụng riêng"
        owners = [_owner(holder, share)] + ([_owner(spouse, share)] if spouse and joint else [])
        use, use_name = rng.choice(LAND_USES)
        issued = date(2026, 1, 1) - timedelta(days=rng.randint(200, 9000))
        certified = rng.random() < 0.9
        record = {
            "MaXa": key[0],
            "SoHieuBanDo": str(key[1]),
            "SoThuTuThua": str(key[2]),
            "DienTich": f"{rng.randint(60, 3000)}.{rng.randint(0, 9)}",
            "MucDichSuDung": use,
            "TenMucDichSuDung": use_name,
            "DiaChiChiTiet": address.full,
            "ThoiHanSuDung": "Lâu dài"
            if use in HOUSING
            else f"Đến ngày 01/07/{2043 + rng.randint(0, 20)}",
            "NguonGocSuDung": rng.choice(
                (
                    "Nhà nước công nhận quyền sử dụng đất",
                    "Nhận chuyển nhượng quyền sử dụng đất",
                    "Nhận thừa kế quyền sử dụng đất",
                )
            ),
            "GiayChungNhan": {
                "SoPhatHanh": f"{rng.choice(SERIES)} {rng.randint(100000, 999999)}",
                "SoVaoSo": f"CH{rng.randint(1000, 99999):05d}",
                "NgayCap": issued.isoformat(),
            }
            if certified
            else None,
            "ChuSuDung": owners,
            "DangKyBienDong": [f"Thế chấp quyền sử dụng đất tại {rng.choice(BANKS)}"]
            if rng.random() < 0.1
            else [],
        }
        holders = tuple(o["SoGiayTo"] for o in owners)
        made.append(SeededParcel(key[0], key[1], key[2], record, holders))
    return Parcels(seed, tuple(made))
