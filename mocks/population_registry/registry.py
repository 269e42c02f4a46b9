"""The registry's answers: find a citizen by ID, check the name and date of birth given.

A citizen is found when the ID (``SoDinhDanh``, 12 digits, or ``SoCMND``, 9 digits) is known
and the name (compared upper case without diacritics, spaces collapsed) and the date of birth
(``NgayThangNam`` yyyyMMdd, or ``Nam`` yyyy against the year) agree with the record; otherwise
nobody is. Missing or malformed request elements are refusals naming the element.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mocks.population import Address, Person, Population, Relation, Sex
from mocks.population_registry.soap import Node, Param, RegistryFault

REQUIRED = ("MaYeuCau", "MaCanBo", "MaDonVi")
_TWELVE = re.compile(r"\d{12}")
_NINE = re.compile(r"\d{9}")
_DATE = re.compile(r"\d{8}")
_YEAR = re.compile(r"\d{4}")


def fold(name: str) -> str:
    """``name`` upper case without diacritics, single-spaced: how the registry compares names."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.upper().split())


def mask_id(value: str) -> str:
    """An ID with all but its first and last three characters hidden: ``001******345``."""
    if len(value) <= 6:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 6)}{value[-3:]}"


def mask_name(value: str) -> str:
    """A name with only each word's first letter kept: ``N***** V** A*``."""
    return " ".join(word[:1] + "*" * (len(word) - 1) for word in value.split())


@dataclass(frozen=True, slots=True)
class Question:
    """What a request asks, checked: who, identified how, with which name and birth date."""

    personal_id: str | None
    old_id: str | None
    name: str
    birth_date: str | None
    birth_year: str | None


def _text(params: Mapping[str, Param], name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, Mapping):
        raise RegistryFault(name, f"{name}: must be text, not elements")
    return value or None


def question(params: Mapping[str, Param]) -> Question:
    """The checked request, or ``RegistryFault`` naming the first missing or malformed element."""
    for name in REQUIRED:
        if _text(params, name) is None:
            raise RegistryFault(name, f"{name}: required and missing or empty")
    personal_id, old_id = _text(params, "SoDinhDanh"), _text(params, "SoCMND")
    if personal_id is None and old_id is None:
        raise RegistryFault("SoDinhDanh", "SoDinhDanh or SoCMND: one of them is required")
    if personal_id is not None and not _TWELVE.fullmatch(personal_id):
        raise RegistryFault("SoDinhDanh", "SoDinhDanh: must be 12 digits")
    if old_id is not None and not _NINE.fullmatch(old_id):
        raise RegistryFault("SoCMND", "SoCMND: must be 9 digits")
    full_name = _text(params, "HoVaTen")
    if full_name is None:
        raise RegistryFault("HoVaTen", "HoVaTen: required and missing or empty")
    born = params.get("NgayThangNamSinh")
    if not isinstance(born, Mapping) or not (born.get("NgayThangNam") or born.get("Nam")):
        raise RegistryFault(
            "NgayThangNamSinh", "NgayThangNamSinh: required, with NgayThangNam or Nam"
        )
    birth_date, birth_year = born.get("NgayThangNam") or None, born.get("Nam") or None
    if birth_date is not None and not _DATE.fullmatch(birth_date):
        raise RegistryFault("NgayThangNam", "NgayThangNam: must be yyyyMMdd")
    if birth_year is not None and not _YEAR.fullmatch(birth_year):
        raise RegistryFault("Nam", "Nam: must be yyyy")
    return Question(personal_id, old_id, full_name, birth_date, birth_year)


class Registry:
    """The population as the registry holds it, with a household index for ``ChuHo``.

    A test may change citizens (``changed``, by personal ID: a replaced or an added record) and
    remove seeded ones (``removed``); the seeded population itself is shared and never changes.
    """

    def __init__(self, people: Population) -> None:
        self.people = people
        self.heads = {p.household_id: p for p in people if p.relation_to_head is Relation.HEAD}
        self.changed: dict[str, Person] = {}
        self.removed: frozenset[str] = frozenset()
        self._changed_old_ids: dict[str, Person] = {}

    def change(self, changed: Sequence[Person], removed: frozenset[str]) -> None:
        """Answer ``changed`` citizens over the seeded ones, and nobody for ``removed`` IDs."""
        self.changed = {p.personal_id: p for p in changed}
        self.removed = removed
        self._changed_old_ids = {p.old_id: p for p in changed if p.old_id is not None}

    def person(self, personal_id: str) -> Person | None:
        """The citizen with this 12-digit ID, changed or seeded, unless removed."""
        if personal_id in self.removed:
            return None
        return self.changed.get(personal_id) or self.people.by_id(personal_id)

    def person_by_old_id(self, old_id: str) -> Person | None:
        changed = self._changed_old_ids.get(old_id)
        if changed is not None:
            return changed
        seeded = self.people.by_old_id(old_id)
        if seeded is None or seeded.personal_id in self.removed:
            return None
        return seeded if seeded.personal_id not in self.changed else None

    def _head(self, household_id: str) -> Person | None:
        for person in self.changed.values():
            if person.household_id == household_id and person.relation_to_head is Relation.HEAD:
                return person
        seeded = self.heads.get(household_id)
        return None if seeded is None else self.person(seeded.personal_id)

    def find(self, asked: Question) -> Person | None:
        """The citizen the question names, if the name and birth date agree; else ``None``."""
        if asked.personal_id is not None:
            person = self.person(asked.personal_id)
        else:
            assert asked.old_id is not None
            person = self.person_by_old_id(asked.old_id)
        if person is None or fold(asked.name) != fold(person.full_name):
            return None
        born = person.date_of_birth
        if asked.birth_date is not None and asked.birth_date != born.strftime("%Y%m%d"):
            return None
        if asked.birth_year is not None and asked.birth_year != f"{born.year:04d}":
            return None
        return person

    def _related(self, personal_id: str | None) -> Sequence[Node] | None:
        if personal_id is None:
            return None
        other = self.person(personal_id)
        if other is None:
            return None
        return [("SoDinhDanh", other.personal_id), ("HoVaTen", other.full_name)]

    def congdan(self, person: Person) -> Node:
        """The ``CongDan`` element of ``person``, children in the WSDL's order."""
        children: list[Node] = [("SoDinhDanh", person.personal_id)]
        if person.old_id is not None:
            children.append(("SoCMND", person.old_id))
        children += [
            (
                "HoVaTen",
                [
                    ("Ho", person.family_name),
                    ("ChuDem", person.middle_name),
                    ("Ten", person.given_name),
                ],
            ),
            ("GioiTinh", "1" if person.sex is Sex.MALE else "2"),
            ("DanToc", person.ethnicity),
            ("TonGiao", person.religion),
            ("TinhTrangHonNhan", person.marital_status),
            ("NhomMau", person.blood_group),
            ("NgayThangNamSinh", [("NgayThangNam", person.date_of_birth.strftime("%Y%m%d"))]),
            ("NoiDangKyKhaiSinh", _address(person.hometown)),
            ("QueQuan", _address(person.hometown)),
            ("ThuongTru", _address(person.permanent_address)),
            ("NoiOHienTai", _address(person.current_address)),
            ("QuocTich", person.nationality),
        ]
        representative = None if person.is_adult else (person.father_id or person.mother_id)
        for name, related in (
            ("Cha", person.father_id),
            ("Me", person.mother_id),
            ("VoChong", person.spouse_id),
            ("NguoiDaiDien", representative),
        ):
            found = self._related(related)
            if found is not None:
                children.append((name, found))
        head = self._head(person.household_id)
        if head is not None:
            children.append(
                (
                    "ChuHo",
                    [
                        ("QuanHe", person.relation_to_head.value),
                        ("SoDinhDanh", head.personal_id),
                        ("HoVaTen", head.full_name),
                    ],
                )
            )
        return ("CongDan", children)


def _address(address: Address) -> Sequence[Node]:
    return [
        ("MaTinhThanh", address.province_code),
        ("MaQuanHuyen", address.district_code),
        ("MaPhuongXa", address.ward_code),
        ("TenTinhThanh", address.province_name),
        ("TenQuanHuyen", address.district_name),
        ("TenPhuongXa", address.ward_name),
        ("ChiTiet", address.detail),
        ("QuocGia", address.country),
    ]
