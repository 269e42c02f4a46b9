"""The registry's enterprises, generated from a seed: head offices, their branches, their people.

``registry(seed)`` builds (once per seed and size, then cached) at least ``size`` head offices
with valid enterprise codes, realistic names, types, dates, business lines and head offices
across the provinces. Their legal representatives are adults of ``mocks.population`` with the
same seed, so a representative's ``SoGiayChungThuc`` finds the same person, name and date of
birth in the population registry. Everything is seen as of the population's ``REFERENCE_DATE``.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from functools import lru_cache
from typing import Any

from mocks.business_registry.codes import EnterpriseCode, complete
from mocks.business_registry.industries import LINES, Line
from mocks.business_registry.naming import TYPES, CompanyName, CompanyType, company_name, plain
from mocks.population import REFERENCE_DATE, Address, Person, Sex, population

DEFAULT_SIZE = 2400
FIRST_REGISTRATION = date(1995, 1, 1)
UNIFIED_CERTIFICATES = date(2010, 6, 1)
"""From this day the certificate number is the enterprise code; before, it had its own number."""

_TAX_PREFIXES = {"01": "01", "31": "02", "79": "03", "48": "04", "92": "18"}
_SUSPENSION_REASONS = (
    "Khó khăn về tài chính",
    "Tạm ngừng để tái cơ cấu hoạt động kinh doanh",
    "Không có nhu cầu kinh doanh trong thời gian tới",
    "Thị trường tiêu thụ gặp khó khăn",
    "Chủ doanh nghiệp đi công tác nước ngoài dài ngày",
)


class Status(Enum):
    """A legal status (tình trạng pháp lý): ``MaTinhTrangPhapLy`` and its name."""

    active = ("1", "Đang hoạt động")
    suspended = ("2", "Tạm ngừng kinh doanh")
    dissolved = ("3", "Đã giải thể")
    bankrupt = ("4", "Phá sản")
    revoked = ("5", "Bị thu hồi Giấy chứng nhận đăng ký doanh nghiệp")

    @property
    def code(self) -> str:
        return self.value[0]

    @property
    def label(self) -> str:
        return self.value[1]


_STATUS_WEIGHTS = {
    Status.active: 80.0,
    Status.suspended: 9.0,
    Status.dissolved: 8.0,
    Status.bankrupt: 1.5,
    Status.revoked: 1.5,
}


@dataclass(frozen=True, slots=True)
class StatusEntry:
    status: Status
    suspended_from: date | None = None
    suspended_until: date | None = None
    reason: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "TinhTrangPhapLy": self.status.label,
            "MaTinhTrangPhapLy": self.status.code,
            "NgayBatDauTamNgung": _day(self.suspended_from),
            "NgayKetThucTamNgung": _day(self.suspended_until),
            "LyDoTamNgung": self.reason,
        }


@dataclass(frozen=True, slots=True)
class Representative:
    person: Person
    title: str

    def as_json(self) -> dict[str, Any]:
        person = self.person
        return {
            "HoVaTen": person.full_name,
            "SoGiayChungThuc": person.personal_id,
            "ChucDanh": self.title,
            "NgaySinh": person.date_of_birth.isoformat(),
            "GioiTinh": "Nam" if person.sex is Sex.MALE else "Nữ",
        }


@dataclass(frozen=True, slots=True)
class Enterprise:
    """One record of the registry: a head office (``branch`` None) or one of its branches."""

    code: EnterpriseCode
    certificate: str
    kind: CompanyType
    name: CompanyName
    registered: date
    changes: int
    last_change: date | None
    statuses: tuple[StatusEntry, ...]
    """The current status first, then earlier ones, newest first."""
    representatives: tuple[Representative, ...]
    address: Address
    lines: tuple[Line, ...]
    """The main line first."""
    branches: tuple[Enterprise, ...] = ()

    @property
    def status(self) -> Status:
        return self.statuses[0].status

    def as_json(self) -> dict[str, Any]:
        """The full record (``GetEntCert``), as ``GET /TraCuuThongTinDoanhNghiep`` answers it."""
        address = self.address
        return {
            "MaSoDoanhNghiep": str(self.code),
            "SoGCNDKKD": self.certificate,
            "MaLoaiHinhDN": self.kind.code,
            "LoaiHinhDN": self.kind.name,
            "TenTiengViet": self.name.vietnamese,
            "TenNuocNgoai": self.name.foreign,
            "TenVietTat": self.name.short,
            "NgayDangKyLanDau": self.registered.isoformat(),
            "NgayDangKyThayDoi": _day(self.last_change),
            "SoLanDangKyThayDoi": self.changes,
            "TinhTrangPhapLy": [s.as_json() for s in self.statuses],
            "DaiDienPhapLuat": [r.as_json() for r in self.representatives],
            "DiaChiTruSo": {
                "MaTinhThanh": address.province_code,
                "TenTinhThanh": address.province_name,
                "MaQuanHuyen": address.district_code,
                "TenQuanHuyen": address.district_name,
                "MaPhuongXa": address.ward_code,
                "TenPhuongXa": address.ward_name,
                "ChiTiet": address.detail,
            },
            "NganhNgheKinhDoanh": [
                {"MaNganh": line.code, "TenNganh": line.name, "LaNganhChinh": i == 0}
                for i, line in enumerate(self.lines)
            ],
            "ChiNhanh": [
                {"MaSoDoanhNghiep": str(b.code), "TenTiengViet": b.name.vietnamese}
                for b in self.branches
            ],
        }


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


class Registry:
    """Every enterprise of one seed, with their records rendered once; immutable and shared."""

    def __init__(self, seed: int, enterprises: Iterable[Enterprise]) -> None:
        self.seed = seed
        self.enterprises = tuple(enterprises)
        self._records: dict[str, dict[str, Any]] = {}
        for enterprise in self.enterprises:
            self._records[str(enterprise.code)] = enterprise.as_json()
            for branch in enterprise.branches:
                self._records[str(branch.code)] = branch.as_json()
        self._by_code = {str(e.code): e for e in self.enterprises}

    def __len__(self) -> int:
        return len(self.enterprises)

    def record(self, code: EnterpriseCode) -> dict[str, Any] | None:
        """The full record of a head office or branch; shared, so callers must not change it."""
        return self._records.get(str(code))

    def enterprise(self, head: str) -> Enterprise | None:
        return self._by_code.get(head)

    def branch_records(self, head: str) -> list[dict[str, Any]] | None:
        """The full records of a head office's branches, or None if there is no such office."""
        enterprise = self._by_code.get(head)
        if enterprise is None:
            return None
        return [self._records[str(b.code)] for b in enterprise.branches]

    def counts(self) -> dict[str, int]:
        counts = {"enterprises": len(self.enterprises)}
        counts["branches"] = sum(len(e.branches) for e in self.enterprises)
        for status in Status:
            counts[status.name] = sum(1 for e in self.enterprises if e.status is status)
        return counts


def registry(seed: int = 0, size: int = DEFAULT_SIZE) -> Registry:
    """At least ``size`` head offices for ``seed``; the same arguments always give the same.

    Built once per ``(seed, size)`` and cached, so repeated calls are free.
    """
    if not 1 <= size <= 50_000:
        raise ValueError(f"registry size must be between 1 and 50000, not {size}")
    return _build(seed, size)


@lru_cache(maxsize=8)
def _build(seed: int, size: int) -> Registry:
    return Registry(seed, _Generator(random.Random(f"business-registry/{seed}"), seed, size).run())


class _Generator:
    def __init__(self, rng: random.Random, seed: int, size: int) -> None:
        self.rng = rng
        self.size = size
        people = population(seed)
        self.people = people.people
        # a representative must be 18 on the day of registration: keep those 20 or over today
        self.adults = [p for p in people.adults() if p.age() >= 20]
        self.codes: set[str] = set()
        self.names: set[str] = set()

    def run(self) -> list[Enterprise]:
        return [self._enterprise() for _ in range(self.size)]

    def _code(self, address: Address) -> str:
        prefix = _TAX_PREFIXES.get(address.province_code) or f"{self.rng.randint(5, 99):02d}"
        while True:
            code = complete(f"{prefix}{self.rng.randrange(10**7):07d}")
            if code is not None and code not in self.codes:
                self.codes.add(code)
                return code

    def _name(self, kind: CompanyType) -> CompanyName:
        while True:
            name = company_name(self.rng, kind)
            if name.vietnamese not in self.names:
                self.names.add(name.vietnamese)
                return name

    def _date(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def _representatives(self, kind: CompanyType) -> tuple[Representative, ...]:
        rng = self.rng
        first, second = rng.sample(self.adults, 2)
        if kind.code == "04":
            return (Representative(first, "Chủ doanh nghiệp"),)
        title = "Tổng giám đốc" if rng.random() < 0.25 else "Giám đốc"
        if kind.code in ("02", "03") and rng.random() < 0.3:
            chair = (
                "Chủ tịch Hội đồng quản trị"
                if kind.code == "03"
                else "Chủ tịch Hội đồng thành viên"
            )
            return (Representative(first, title), Representative(second, chair))
        return (Representative(first, title),)

    def _lines(self, name: CompanyName) -> tuple[Line, ...]:
        rng = self.rng
        own = [code for trade in name.trades for code in trade.lines]
        chosen = [rng.choice(name.trades[0].lines)]
        pool = list(dict.fromkeys(own + rng.sample(sorted(LINES), 6)))
        for code in rng.sample(pool, min(len(pool), rng.randint(1, 8))):
            if code not in chosen:
                chosen.append(code)
        return tuple(LINES[code] for code in chosen)

    def _statuses(self, registered: date) -> tuple[StatusEntry, ...]:
        rng = self.rng
        status = rng.choices(list(_STATUS_WEIGHTS), weights=list(_STATUS_WEIGHTS.values()))[0]
        history: list[StatusEntry] = []
        if status is not Status.suspended and rng.random() < 0.15:
            start = self._date(registered, REFERENCE_DATE - timedelta(days=400))
            if start > registered:
                until = start + timedelta(days=rng.randint(90, 365))
                history.append(StatusEntry(Status.suspended, start, until, self._reason()))
        if status is Status.suspended:
            start = self._date(
                max(registered, REFERENCE_DATE - timedelta(days=300)), REFERENCE_DATE
            )
            until = start + timedelta(days=rng.randint(30, 365))
            until = max(until, REFERENCE_DATE + timedelta(days=1))
            return (StatusEntry(status, start, until, self._reason()),)
        return (StatusEntry(status), *history)

    def _reason(self) -> str:
        return self.rng.choice(_SUSPENSION_REASONS)

    def _enterprise(self) -> Enterprise:
        rng = self.rng
        kind = rng.choices(TYPES, weights=[t.weight for t in TYPES])[0]
        name = self._name(kind)
        representatives = self._representatives(kind)
        youngest = max(r.person.date_of_birth for r in representatives)
        of_age = youngest.replace(year=youngest.year + 18, day=min(youngest.day, 28))
        registered = self._date(
            max(FIRST_REGISTRATION, of_age), REFERENCE_DATE - timedelta(days=30)
        )
        owner = representatives[0].person
        address = (
            owner.current_address
            if kind.code == "04"
            else rng.choice(self.people).permanent_address
        )
        code = self._code(address)
        certificate = code
        if registered < UNIFIED_CERTIFICATES:
            certificate = f"{code[:2]}{rng.randint(0, 4)}{rng.randrange(10**7):07d}"
        statuses = self._statuses(registered)
        changes = min(15, int(rng.expovariate(0.4) * (REFERENCE_DATE - registered).days / 3000))
        last_change = (
            self._date(registered + timedelta(days=30), REFERENCE_DATE) if changes else None
        )
        lines = self._lines(name)
        head = Enterprise(
            code=EnterpriseCode(code),
            certificate=certificate,
            kind=kind,
            name=name,
            registered=registered,
            changes=changes,
            last_change=last_change,
            statuses=statuses,
            representatives=representatives,
            address=address,
            lines=lines,
        )
        if rng.random() >= 0.12:
            return head
        branches = tuple(self._branch(head, n) for n in range(1, rng.randint(1, 4) + 1))
        return Enterprise(**{**_fields(head), "branches": branches})

    def _branch(self, head: Enterprise, number: int) -> Enterprise:
        rng = self.rng
        address = rng.choice(self.people).permanent_address
        place = address.province_name
        if address.province_code == head.address.province_code:
            place = address.district_name
        vietnamese = f"Chi nhánh {head.name.vietnamese} tại {place}"
        foreign = None
        if head.name.foreign is not None:
            foreign = f"{head.name.foreign} - {plain(place).upper()} BRANCH"
        code = EnterpriseCode(head.code.head, f"{number:03d}")
        registered = self._date(head.registered, REFERENCE_DATE - timedelta(days=10))
        status = (
            head.statuses[0] if head.status is not Status.active else StatusEntry(Status.active)
        )
        return Enterprise(
            code=code,
            certificate=str(code),
            kind=head.kind,
            name=CompanyName(vietnamese, foreign, None, head.name.trades),
            registered=registered,
            changes=0,
            last_change=None,
            statuses=(status,),
            representatives=head.representatives,
            address=address,
            lines=head.lines[: rng.randint(1, len(head.lines))],
        )


def _fields(enterprise: Enterprise) -> dict[str, Any]:
    return {name: getattr(enterprise, name) for name in Enterprise.__slots__}
