"""Personal IDs and old IDs: what the digits say, and every rule a bad number breaks."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mappings import PersonalId, Sex, check_old_id, check_personal_id
from mappings.registries import provinces

CENTURY_DIGITS = {(1900, Sex.male): "0", (1900, Sex.female): "1", (2000, Sex.male): "2"}
CENTURY_DIGITS |= {(2000, Sex.female): "3", (2100, Sex.male): "4", (2100, Sex.female): "5"}


@pytest.mark.parametrize(
    ("number", "province", "sex", "birth_year"),
    [
        ("001095012345", "Hà Nội", Sex.male, 1995),
        ("079203001122", "Hồ Chí Minh", Sex.male, 2003),
        ("038305004567", "Thanh Hóa", Sex.female, 2005),
        ("038190012345", "Thanh Hóa", Sex.female, 1990),
        ("096400000001", "Cà Mau", Sex.male, 2100),
        ("048599999999", "Đà Nẵng", Sex.female, 2199),
    ],
)
def test_valid_personal_id_reads_as_province_sex_and_birth_year(
    number: str, province: str, sex: Sex, birth_year: int
) -> None:
    parsed = check_personal_id(number)

    assert parsed.number == number
    assert parsed.province_code == number[:3]
    assert parsed.province_name == province
    assert parsed.sex is sex
    assert parsed.birth_year == birth_year
    assert parsed.century == birth_year // 100 * 100


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("099095012345", "'099' is not a province code"),
        ("000095012345", "'000' is not a province code"),
        ("001795012345", "fourth digit '7' is not a century and sex digit"),
        ("001695012345", "fourth digit '6' is not a century and sex digit"),
        ("00109501234", "a personal ID has 12 digits"),
        ("0010950123456", "a personal ID has 12 digits"),
        ("00109501234A", "a personal ID has 12 digits"),
        ("001 95012345", "a personal ID has 12 digits"),
        ("001095012345\n", "a personal ID has 12 digits"),
        ("๐๐๑๐๙๕๐๑๒๓๔๕", "a personal ID has 12 digits"),
        ("", "a personal ID has 12 digits"),
    ],
)
def test_malformed_personal_id_is_refused_naming_the_rule(number: str, says: str) -> None:
    with pytest.raises(ValueError, match="is not a personal ID") as caught:
        check_personal_id(number)

    assert says in str(caught.value)


def test_birth_year_must_match_the_date_of_birth_given() -> None:
    with pytest.raises(ValueError, match="born in 1995") as caught:
        check_personal_id("001095012345", date_of_birth=date(1996, 1, 2))

    assert "not 1996" in str(caught.value)


def test_century_must_match_the_date_of_birth_given() -> None:
    with pytest.raises(ValueError, match="born in 1995"):
        check_personal_id("001095012345", date_of_birth=2095)


def test_sex_must_match_the_sex_given() -> None:
    with pytest.raises(ValueError, match="the sex must match"):
        check_personal_id("001095012345", sex=Sex.female)


def test_consistent_date_of_birth_and_sex_pass() -> None:
    parsed = check_personal_id("038305004567", date_of_birth=date(2005, 7, 14), sex=Sex.female)

    assert parsed.birth_year == 2005


@pytest.mark.parametrize("number", ["173456789", "012345678", "000000000"])
def test_old_id_of_nine_digits_passes(number: str) -> None:
    assert check_old_id(number) == number


@pytest.mark.parametrize("number", ["17345678", "1734567890", "17345678A", "", "173456789 "])
def test_old_id_of_another_form_is_refused(number: str) -> None:
    with pytest.raises(ValueError, match="an old identity card number has 9 digits"):
        check_old_id(number)


def test_province_table_has_the_63_provinces_before_the_merger() -> None:
    table = provinces()

    assert len(table) == 63
    assert table["001"] == "Hà Nội"
    assert all(len(code) == 3 and code.isdigit() for code in table)


@st.composite
def personal_ids(draw: st.DrawFn) -> tuple[str, str, Sex, int]:
    province = draw(st.sampled_from(sorted(provinces())))
    century = draw(st.sampled_from([1900, 2000, 2100]))
    sex = draw(st.sampled_from(list(Sex)))
    year = century + draw(st.integers(0, 99))
    rest = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    number = f"{province}{CENTURY_DIGITS[century, sex]}{year % 100:02d}{rest}"
    return number, province, sex, year


@given(personal_ids())
def test_every_consistent_personal_id_passes_and_its_parts_round_trip(
    generated: tuple[str, str, Sex, int],
) -> None:
    number, province, sex, year = generated

    parsed = check_personal_id(number, date_of_birth=year, sex=sex)

    assert parsed == PersonalId(
        number=number,
        province_code=province,
        province_name=provinces()[province],
        century=year // 100 * 100,
        sex=sex,
        birth_year=year,
    )
