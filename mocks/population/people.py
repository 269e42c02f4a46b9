"""Citizens and households, generated from a seed.

Every person is born on or before ``REFERENCE_DATE`` and is 0 to 90 years old on it. A household
has one to six members: a head, perhaps a spouse, children (with their father's family name, or
the head's when no father lives there) and perhaps the head's parents. Parents and spouses are
linked by personal ID when they live in the same household, which is the only place the
generator knows them; otherwise the link is ``None``.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from itertools import accumulate

from mocks.population import names
from mocks.population.geography import Address, Province, provinces, random_address

REFERENCE_DATE = date(2025, 7, 1)
"""The day the population is seen on: ages, adulthood and "alive" are as of this date."""

MAX_AGE = 90
ADULT_AGE = 18


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"

    @property
    def registry_code(self) -> str:
        """``GioiTinh`` as the population registry writes it: 1 male, 2 female."""
        return "1" if self is Sex.MALE else "2"


class Relation(StrEnum):
    """Relation to the head of the household, in the registry's words."""

    HEAD = "Chủ hộ"
    WIFE = "Vợ"
    HUSBAND = "Chồng"
    CHILD = "Con"
    FATHER = "Cha"
    MOTHER = "Mẹ"


@dataclass(frozen=True, slots=True)
class Person:
    personal_id: str
    """12 digits: province of birth registration, century and sex, birth year, six more."""
    old_id: str | None
    """The 9-digit identity card number, for about 15 % of people."""
    family_name: str
    middle_name: str
    given_name: str
    full_name: str
    """``family middle given``, NFC."""
    sex: Sex
    date_of_birth: date
    ethnicity: str
    religion: str
    marital_status: str
    blood_group: str
    nationality: str
    hometown: Address
    """Also the place of birth registration; its province is the ID's first three digits."""
    permanent_address: Address
    current_address: Address
    household_id: str
    relation_to_head: Relation
    father_id: str | None = None
    mother_id: str | None = None
    spouse_id: str | None = None

    def age(self, on: date = REFERENCE_DATE) -> int:
        """Completed years on ``on``."""
        dob = self.date_of_birth
        return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))

    @property
    def is_adult(self) -> bool:
        return self.age() >= ADULT_AGE


@dataclass(frozen=True, slots=True)
class Population:
    """The people of one seed; immutable and shared, so callers must not expect a copy."""

    seed: int
    people: tuple[Person, ...]
    _by_id: dict[str, Person] = field(repr=False, compare=False)
    _by_old_id: dict[str, Person] = field(repr=False, compare=False)

    def __len__(self) -> int:
        return len(self.people)

    def __iter__(self) -> Iterator[Person]:
        return iter(self.people)

    def by_id(self, personal_id: str) -> Person | None:
        """The person with this 12-digit ID, or ``None``."""
        return self._by_id.get(personal_id)

    def by_old_id(self, old_id: str) -> Person | None:
        """The person with this 9-digit old ID, or ``None``."""
        return self._by_old_id.get(old_id)

    def adults(self, on: date = REFERENCE_DATE) -> list[Person]:
        """Everyone at least 18 on ``on``, in population order."""
        return [p for p in self.people if p.age(on) >= ADULT_AGE]

    def household(self, household_id: str) -> list[Person]:
        """The members of a household, head first."""
        return [p for p in self.people if p.household_id == household_id]


def population(seed: int = 0, size: int = 10_000) -> Population:
    """Exactly ``size`` citizens for ``seed``; the same arguments always give the same people.

    Built once per ``(seed, size)`` and cached, so repeated calls are free.
    """
    if not 1 <= size <= 500_000:
        raise ValueError(f"population size must be between 1 and 500000, not {size}")
    return _build(seed, size)


@lru_cache(maxsize=8)
def _build(seed: int, size: int) -> Population:
    people = _Generator(random.Random(seed), size).run()
    return Population(
        seed=seed,
        people=tuple(people),
        _by_id={p.personal_id: p for p in people},
        _by_old_id={p.old_id: p for p in people if p.old_id},
    )


_HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6)
_HOUSEHOLD_WEIGHTS = tuple(accumulate((10.0, 18.0, 22.0, 27.0, 14.0, 9.0)))
_BIG_PROVINCES = {"79": 9.0, "01": 8.0, "38": 3.5, "40": 3.3, "75": 3.1, "74": 2.6, "31": 2.0}
_MOUNTAIN_PROVINCES = frozenset(
    {"02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "20", "62", "64", "66", "67"}
)
_MEKONG_PROVINCES = frozenset({"84", "89", "91", "94", "95"})
_ETHNIC_MINORITIES = ("Tày", "Thái", "Mường", "Nùng", "H'Mông", "Dao", "Ê Đê", "Gia Rai")
_RELIGIONS = ("Không", "Phật giáo", "Công giáo", "Cao Đài", "Phật giáo Hòa Hảo", "Tin Lành")
_RELIGION_WEIGHTS = tuple(accumulate((80.0, 9.0, 7.0, 1.5, 1.5, 1.0)))
_BLOOD_GROUPS = ("O", "A", "B", "AB")
_BLOOD_WEIGHTS = tuple(accumulate((42.0, 21.0, 30.0, 7.0)))
_MARRIED = "Đã kết hôn"
_SINGLE = "Chưa kết hôn"
_DIVORCED = "Ly hôn"
_WIDOWED = "Góa"


@dataclass(slots=True)
class _Draft:
    """A person being built; becomes a ``Person`` once IDs are known."""

    sex: Sex
    age: int
    relation: Relation
    family_name: str
    marital_status: str = _SINGLE
    father: _Draft | None = None
    mother: _Draft | None = None
    spouse: _Draft | None = None
    personal_id: str = ""


class _Generator:
    def __init__(self, rng: random.Random, size: int) -> None:
        self.rng = rng
        self.size = size
        self.provinces = provinces()
        self.province_cum_weights = list(
            accumulate(_BIG_PROVINCES.get(p.gso_code, 1.2) for p in self.provinces)
        )
        self.id_codes = {p.gso_code: p.id_code for p in self.provinces}
        self.suffixes = iter(rng.sample(range(1_000_000), size))
        self.old_ids: set[str] = set()
        self.people: list[Person] = []

    def run(self) -> list[Person]:
        household_number = 0
        while len(self.people) < self.size:
            household_number += 1
            wanted = self.rng.choices(_HOUSEHOLD_SIZES, cum_weights=_HOUSEHOLD_WEIGHTS)[0]
            self._household(household_number, min(wanted, self.size - len(self.people)))
        return self.people

    def _province(self) -> Province:
        return self.rng.choices(self.provinces, cum_weights=self.province_cum_weights)[0]

    def _members(self, size: int, southern: bool) -> list[_Draft]:
        rng = self.rng
        if size == 1:
            sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
            age = rng.randint(ADULT_AGE, MAX_AGE)
            status = (
                _WIDOWED
                if age >= 60 and rng.random() < 0.6
                else (_DIVORCED if rng.random() < 0.15 else _SINGLE)
            )
            return [
                _Draft(sex, age, Relation.HEAD, names.family_name(rng, southern=southern), status)
            ]

        single_parent = rng.random() < 0.12
        rest = size - (1 if single_parent else 2)
        grandparents = rng.choice(range(min(2, max(0, rest - 1)) + 1)) if rest >= 2 else 0
        children = rest - grandparents
        head_age = (
            rng.randint(25, 58) if grandparents else rng.randint(22, 85 if not children else 70)
        )
        if children:
            head_age = max(head_age, 20 + rng.randint(0, 10))
        head_sex = (
            (Sex.FEMALE if rng.random() < 0.8 else Sex.MALE)
            if single_parent
            else (Sex.MALE if rng.random() < 0.85 else Sex.FEMALE)
        )
        head = _Draft(
            head_sex,
            head_age,
            Relation.HEAD,
            names.family_name(rng, southern=southern),
            (_WIDOWED if rng.random() < 0.4 else _DIVORCED) if single_parent else _MARRIED,
        )
        members = [head]
        father: _Draft | None = head if head_sex is Sex.MALE else None
        mother: _Draft | None = head if head_sex is Sex.FEMALE else None
        if not single_parent:
            spouse_sex = Sex.FEMALE if head_sex is Sex.MALE else Sex.MALE
            spouse_age = min(
                MAX_AGE,
                max(
                    ADULT_AGE,
                    head_age + rng.randint(-6, 3) * (1 if spouse_sex is Sex.FEMALE else -1),
                ),
            )
            spouse = _Draft(
                spouse_sex,
                spouse_age,
                Relation.WIFE if spouse_sex is Sex.FEMALE else Relation.HUSBAND,
                names.family_name(rng, southern=southern),
                _MARRIED,
                spouse=head,
            )
            head.spouse = spouse
            members.append(spouse)
            father = head if head_sex is Sex.MALE else spouse
            mother = spouse if head_sex is Sex.MALE else head

        mother_age = mother.age if mother is not None else head_age
        child_family = father.family_name if father is not None else head.family_name
        parent_ages = [p.age for p in (father, mother) if p is not None]
        youngest, oldest = max(0, mother_age - 45), max(0, min(parent_ages) - 18)
        for _ in range(children):
            members.append(
                _Draft(
                    Sex.MALE if rng.random() < 0.51 else Sex.FEMALE,
                    rng.randint(youngest, oldest),
                    Relation.CHILD,
                    child_family,
                    _SINGLE,
                    father=father,
                    mother=mother,
                )
            )

        if grandparents:
            parents_age = min(MAX_AGE, head_age + rng.randint(20, 35))
            grandfather = _Draft(Sex.MALE, parents_age, Relation.FATHER, head.family_name, _WIDOWED)
            grandmother = _Draft(
                Sex.FEMALE,
                min(MAX_AGE, max(head_age + 18, parents_age - rng.randint(0, 5))),
                Relation.MOTHER,
                names.family_name(rng, southern=southern),
                _WIDOWED,
            )
            elders = (
                [grandfather, grandmother]
                if grandparents == 2
                else [rng.choice([grandfather, grandmother])]
            )
            if grandparents == 2:
                grandfather.spouse, grandmother.spouse = grandmother, grandfather
                grandfather.marital_status = grandmother.marital_status = _MARRIED
            for elder in elders:
                if elder.sex is Sex.MALE:
                    head.father = elder
                else:
                    head.mother = elder
            members.extend(elders)
        return members

    def _household(self, number: int, size: int) -> None:
        rng = self.rng
        province = self._province()
        southern = int(province.gso_code) >= 48
        permanent = random_address(rng, province)
        household_id = f"{province.gso_code}{number:08d}"
        if province.gso_code in _MOUNTAIN_PROVINCES:
            ethnicity = "Kinh" if rng.random() < 0.45 else rng.choice(_ETHNIC_MINORITIES)
        elif province.gso_code in _MEKONG_PROVINCES and rng.random() < 0.1:
            ethnicity = "Khmer"
        else:
            ethnicity = "Kinh" if rng.random() < 0.97 else rng.choice(("Hoa", "Mường", "Tày"))
        religion = rng.choices(_RELIGIONS, cum_weights=_RELIGION_WEIGHTS)[0]
        current_elsewhere = rng.random() < 0.1
        household_current = (
            random_address(rng, self._province()) if current_elsewhere else permanent
        )

        drafts = self._members(size, southern)
        dobs = [self._date_of_birth(d.age) for d in drafts]
        hometowns = [
            permanent if rng.random() < 0.8 else random_address(rng, self._province())
            for _ in drafts
        ]
        for draft, dob, hometown in zip(drafts, dobs, hometowns, strict=True):
            draft.personal_id = self._personal_id(hometown, draft.sex, dob)
        for draft, dob, hometown in zip(drafts, dobs, hometowns, strict=True):
            current = household_current
            if draft.relation is Relation.CHILD and 18 <= draft.age <= 35 and rng.random() < 0.15:
                current = random_address(rng, self._province())
            middle = names.middle_name(rng, male=draft.sex is Sex.MALE, birth_year=dob.year)
            given = names.given_name(rng, male=draft.sex is Sex.MALE, avoid=(middle,))
            full = unicodedata.normalize("NFC", f"{draft.family_name} {middle} {given}")
            self.people.append(
                Person(
                    personal_id=draft.personal_id,
                    old_id=self._old_id(dob),
                    family_name=draft.family_name,
                    middle_name=middle,
                    given_name=given,
                    full_name=full,
                    sex=draft.sex,
                    date_of_birth=dob,
                    ethnicity=ethnicity if rng.random() < 0.95 else "Kinh",
                    religion=religion,
                    marital_status=draft.marital_status,
                    blood_group=rng.choices(_BLOOD_GROUPS, cum_weights=_BLOOD_WEIGHTS)[0],
                    nationality="Việt Nam",
                    hometown=hometown,
                    permanent_address=permanent,
                    current_address=current,
                    household_id=household_id,
                    relation_to_head=draft.relation,
                    father_id=draft.father.personal_id if draft.father else None,
                    mother_id=draft.mother.personal_id if draft.mother else None,
                    spouse_id=draft.spouse.personal_id if draft.spouse else None,
                )
            )

    def _date_of_birth(self, age: int) -> date:
        days = int((age + self.rng.random()) * 365.2425)
        return date.fromordinal(REFERENCE_DATE.toordinal() - days)

    def _personal_id(self, hometown: Address, sex: Sex, dob: date) -> str:
        century = (dob.year // 100 - 19) * 2 + (0 if sex is Sex.MALE else 1)
        province = self.id_codes[hometown.province_code]
        return f"{province}{century}{dob.year % 100:02d}{next(self.suffixes):06d}"

    def _old_id(self, dob: date) -> str | None:
        if dob.year > 2007 or self.rng.random() >= 0.2:
            return None
        while True:
            candidate = f"{self.rng.randrange(10**7, 4 * 10**8):09d}"
            if candidate not in self.old_ids:
                self.old_ids.add(candidate)
                return candidate
