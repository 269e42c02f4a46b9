"""Looking citizens up and verifying them: found only when ID, name and birth date agree."""

from __future__ import annotations

import pytest
from lxml import etree

from mocks.population import Person, Sex, population
from tests.mocks.population_registry.samples import NS, Registry, ask, envelope, fault_of

LOOKUP = "TraCuuThongTinCongDan"
VERIFY = "XacThucThongTinCongDan"


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


def citizens(reply: etree._Element) -> list[etree._Element]:
    collection = reply.find(q("CongdanCollection"))
    assert collection is not None
    return list(collection)


async def test_lookup_answers_the_citizen_with_diacritics_and_household(
    registry: Registry, adult: Person
) -> None:
    reply = await registry.call(LOOKUP, ask(adult))
    assert reply.tag == q(f"{LOOKUP}Response")
    (congdan,) = citizens(reply)
    assert congdan.findtext(q("SoDinhDanh")) == adult.personal_id
    assert congdan.findtext(f"{q('HoVaTen')}/{q('Ho')}") == adult.family_name
    assert congdan.findtext(f"{q('HoVaTen')}/{q('Ten')}") == adult.given_name
    assert congdan.findtext(q("GioiTinh")) == ("1" if adult.sex is Sex.MALE else "2")
    assert congdan.findtext(f"{q('NgayThangNamSinh')}/{q('NgayThangNam')}") == (
        adult.date_of_birth.strftime("%Y%m%d")
    )
    assert congdan.findtext(f"{q('ThuongTru')}/{q('TenTinhThanh')}") == (
        adult.permanent_address.province_name
    )
    head = congdan.find(q("ChuHo"))
    assert head is not None
    assert head.findtext(q("QuanHe")) == adult.relation_to_head.value


async def test_lookup_by_year_of_birth_and_mixed_case_name_matches(
    registry: Registry, adult: Person
) -> None:
    fields = ask(
        adult,
        HoVaTen=f"  {adult.full_name.lower()} ",
        NgayThangNamSinh={"Nam": str(adult.date_of_birth.year)},
    )
    reply = await registry.call(LOOKUP, fields)
    assert len(citizens(reply)) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"HoVaTen": "NGUYEN VAN KHONGCO"},
        {"NgayThangNamSinh": {"NgayThangNam": "19000101"}},
        {"NgayThangNamSinh": {"Nam": "1899"}},
        {"SoDinhDanh": "099999999999"},
    ],
    ids=["name", "date", "year", "unknown-id"],
)
async def test_lookup_with_a_mismatch_answers_an_empty_collection(
    registry: Registry, adult: Person, change: dict[str, object]
) -> None:
    reply = await registry.call(LOOKUP, ask(adult, **change))  # type: ignore[arg-type]
    assert citizens(reply) == []


async def test_lookup_by_old_id_finds_the_citizen(registry: Registry, with_old_id: Person) -> None:
    assert with_old_id.old_id is not None
    reply = await registry.call(
        LOOKUP, ask(with_old_id, SoDinhDanh=None, SoCMND=with_old_id.old_id)
    )
    (congdan,) = citizens(reply)
    assert congdan.findtext(q("SoDinhDanh")) == with_old_id.personal_id
    assert congdan.findtext(q("SoCMND")) == with_old_id.old_id


async def test_a_child_names_parents_and_representative(registry: Registry) -> None:
    people = population()
    child = next(p for p in people if not p.is_adult and p.father_id and p.mother_id)
    reply = await registry.call(LOOKUP, ask(child))
    (congdan,) = citizens(reply)
    assert congdan.findtext(f"{q('Cha')}/{q('SoDinhDanh')}") == child.father_id
    assert congdan.findtext(f"{q('Me')}/{q('SoDinhDanh')}") == child.mother_id
    assert congdan.findtext(f"{q('NguoiDaiDien')}/{q('SoDinhDanh')}") == child.father_id


async def test_verify_answers_true_for_a_match_and_false_otherwise(
    registry: Registry, adult: Person
) -> None:
    yes = await registry.call(VERIFY, ask(adult))
    no = await registry.call(VERIFY, ask(adult, HoVaTen="TRAN THI KHAC"))
    assert yes.findtext(q("TonTai")) == "true"
    assert no.findtext(q("TonTai")) == "false"


@pytest.mark.parametrize("element", ["MaYeuCau", "MaCanBo", "MaDonVi"])
async def test_a_request_without_a_required_element_is_a_fault_naming_it(
    registry: Registry, adult: Person, element: str
) -> None:
    response = await registry.post(envelope(LOOKUP, ask(adult, **{element: None})))  # type: ignore[arg-type]
    field_name, message = fault_of(response)
    assert field_name == element
    assert element in message


async def test_a_malformed_id_is_a_fault_naming_it(registry: Registry, adult: Person) -> None:
    response = await registry.post(envelope(VERIFY, ask(adult, SoDinhDanh="12345")))  # type: ignore[arg-type]
    assert fault_of(response)[0] == "SoDinhDanh"
