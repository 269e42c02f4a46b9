"""The seeded registry: enough enterprises, valid codes, the same on every run, people who exist."""

from __future__ import annotations

import pytest

from mocks.business_registry import Status, check_digit, registry
from mocks.business_registry.codes import CodeError, Rule, parse
from mocks.population import Sex, population


def test_there_are_at_least_two_thousand_head_offices() -> None:
    assert len(registry()) >= 2000


def test_every_code_is_unique_and_checks_its_tenth_digit() -> None:
    codes = [e.code.head for e in registry().enterprises]

    assert len(set(codes)) == len(codes)
    for code in codes:
        assert len(code) == 10 and code.isdigit()
        assert check_digit(code[:9]) == int(code[9])


def test_branch_codes_extend_their_head_office_code() -> None:
    for enterprise in registry().enterprises:
        for number, branch in enumerate(enterprise.branches, start=1):
            assert str(branch.code) == f"{enterprise.code.head}-{number:03d}"


def test_the_same_seed_gives_the_same_records_and_another_seed_others() -> None:
    first = [e.as_json() for e in registry(0).enterprises[:50]]

    assert first == [e.as_json() for e in registry(0).enterprises[:50]]
    assert first != [e.as_json() for e in registry(1, 100).enterprises[:50]]


def test_branches_suspensions_and_dissolutions_all_occur() -> None:
    counts = registry().counts()

    assert counts["branches"] > 100
    assert counts["suspended"] > 50
    assert counts["dissolved"] > 50
    assert counts["active"] > counts["enterprises"] // 2


def test_a_suspension_has_its_dates_and_reason_and_runs_past_today() -> None:
    suspended = [e for e in registry().enterprises if e.status is Status.suspended]

    for enterprise in suspended:
        entry = enterprise.statuses[0]
        assert entry.suspended_from is not None and entry.suspended_until is not None
        assert enterprise.registered <= entry.suspended_from < entry.suspended_until
        assert entry.reason


def test_every_representative_is_an_adult_of_the_population_with_the_same_seed() -> None:
    people = population(0)

    for enterprise in registry(0).enterprises:
        for representative in enterprise.as_json()["DaiDienPhapLuat"]:
            person = people.by_id(representative["SoGiayChungThuc"])
            assert person is not None
            assert representative["HoVaTen"] == person.full_name
            assert representative["NgaySinh"] == person.date_of_birth.isoformat()
            assert representative["GioiTinh"] == ("Nam" if person.sex is Sex.MALE else "Nữ")
            assert person.is_adult


def test_exactly_one_main_business_line_and_it_comes_first() -> None:
    for enterprise in registry().enterprises:
        lines = enterprise.as_json()["NganhNgheKinhDoanh"]
        assert [line["LaNganhChinh"] for line in lines] == [True] + [False] * (len(lines) - 1)


def test_names_are_unique_and_read_like_vietnamese_companies() -> None:
    names = [e.name.vietnamese for e in registry().enterprises]

    assert len(set(names)) == len(names)
    assert all(
        n.startswith(
            ("Công ty TNHH ", "Công ty Cổ phần ", "Doanh nghiệp tư nhân ", "Công ty Hợp danh ")
        )
        for n in names
    )
    assert any(e.name.foreign and e.name.short for e in registry().enterprises)


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("", Rule.required),
        ("010123456", Rule.length),
        ("0101234567-01", Rule.length),
        ("01012345x7", Rule.digits),
        ("0100000050", Rule.not_issued),
    ],
)
def test_malformed_codes_name_the_rule_they_break(code: str, rule: Rule) -> None:
    with pytest.raises(CodeError) as caught:
        parse(code)

    assert caught.value.rule is rule
    assert str(caught.value).startswith("MaSoDoanhNghiep: ")


def test_a_wrong_tenth_digit_is_refused_for_its_check_digit() -> None:
    code = registry().enterprises[0].code.head
    wrong = f"{code[:9]}{(int(code[9]) + 1) % 10}"

    with pytest.raises(CodeError, match="check digit") as caught:
        parse(wrong)

    assert caught.value.rule is Rule.check_digit


def test_the_check_digit_follows_the_published_weights() -> None:
    # 0100109106 is a widely published enterprise code
    assert check_digit("010010910") == 6
