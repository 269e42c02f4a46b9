"""The seeded population: size, determinism, valid IDs, coherent households, real names."""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict

import pytest

from mocks.population import REFERENCE_DATE, Person, Relation, Sex, population, provinces


@pytest.fixture(scope="module")
def people() -> list[Person]:
    return list(population())


def test_the_default_population_has_ten_thousand_citizens(people: list[Person]) -> None:
    assert len(people) == 10_000
    assert len({p.personal_id for p in people}) == 10_000


def test_the_same_seed_gives_the_same_people_and_another_seed_others() -> None:
    first = population(seed=7, size=500)
    again = population(seed=7, size=500)
    other = population(seed=8, size=500)
    assert [p.personal_id for p in first] == [p.personal_id for p in again]
    assert first.people[0] == again.people[0]
    assert [p.personal_id for p in first] != [p.personal_id for p in other]
    assert len(first) == 500


def test_every_id_is_valid_and_agrees_with_the_person(people: list[Person]) -> None:
    codes = {p.id_code: p for p in provinces()}
    suffixes = Counter(p.personal_id[6:] for p in people)
    for person in people:
        pid, born = person.personal_id, person.date_of_birth
        assert len(pid) == 12 and pid.isdigit(), pid
        assert pid[:3] in codes, pid
        assert codes[pid[:3]].gso_code == person.hometown.province_code
        century = (born.year // 100 - 19) * 2 + (person.sex is Sex.FEMALE)
        assert int(pid[3]) == century, (pid, born, person.sex)
        assert pid[4:6] == f"{born.year % 100:02d}"
        assert 0 <= person.age() <= 90
        assert born <= REFERENCE_DATE
    assert max(suffixes.values()) == 1


def test_the_provinces_are_the_sixty_three_of_the_id_table() -> None:
    table = {p.id_code: p for p in provinces()}
    assert len(table) == 63
    assert (table["001"].name, table["079"].name, table["096"].name) == (
        "Hà Nội",
        "Hồ Chí Minh",
        "Cà Mau",
    )
    assert all(p.gso_code == p.id_code[1:] for p in provinces())


def test_about_fifteen_percent_have_a_unique_nine_digit_old_id(people: list[Person]) -> None:
    old = [p.old_id for p in people if p.old_id is not None]
    assert 0.10 < len(old) / len(people) < 0.20
    assert all(len(o) == 9 and o.isdigit() for o in old)
    assert len(set(old)) == len(old)
    assert population().by_old_id(old[0]) is not None


def test_names_are_nfc_vietnamese_with_realistic_family_names(people: list[Person]) -> None:
    family = Counter(p.family_name for p in people)
    assert 0.33 < family["Nguyễn"] / len(people) < 0.43
    assert family.most_common(1)[0][0] == "Nguyễn"
    for person in people:
        assert person.full_name == unicodedata.normalize("NFC", person.full_name)
        assert person.full_name == (
            f"{person.family_name} {person.middle_name} {person.given_name}"
        )
    women_thi = [p for p in people if p.sex is Sex.FEMALE and p.middle_name == "Thị"]
    men_thi = [p for p in people if p.sex is Sex.MALE and p.middle_name == "Thị"]
    assert women_thi and not men_thi


def test_households_are_coherent(people: list[Person]) -> None:
    pop = population()
    households: dict[str, list[Person]] = defaultdict(list)
    for person in people:
        households[person.household_id].append(person)
    for members in households.values():
        assert 1 <= len(members) <= 6
        heads = [m for m in members if m.relation_to_head is Relation.HEAD]
        assert len(heads) == 1
        head = heads[0]
        assert {m.permanent_address for m in members} == {head.permanent_address}
        for member in members:
            if member.spouse_id is not None:
                spouse = pop.by_id(member.spouse_id)
                assert spouse is not None and spouse.spouse_id == member.personal_id
                assert spouse.sex is not member.sex
            for parent_id in (member.father_id, member.mother_id):
                if parent_id is not None:
                    parent = pop.by_id(parent_id)
                    assert parent is not None and parent.household_id == member.household_id
                    assert parent.age() - member.age() >= 12
            if member.relation_to_head is Relation.CHILD:
                father = pop.by_id(member.father_id) if member.father_id else None
                expected = father.family_name if father else head.family_name
                assert member.family_name == expected
                assert head.personal_id in (member.father_id, member.mother_id)


def test_adults_are_those_eighteen_or_older(people: list[Person]) -> None:
    adults = population().adults()
    assert adults and all(p.age() >= 18 for p in adults)
    assert len(adults) == sum(1 for p in people if p.age() >= 18)
    assert any(p.age() < 18 for p in people)
    assert population().by_id(adults[0].personal_id) is adults[0]
    assert population().by_id("000000000000") is None


def test_addresses_span_many_provinces(people: list[Person]) -> None:
    assert len({p.permanent_address.province_code for p in people}) >= 60
    moved = [p for p in people if p.current_address != p.permanent_address]
    assert 0.05 < len(moved) / len(people) < 0.30
