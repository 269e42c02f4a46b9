"""The insurance database mock over HTTP: signed lookups that fit the contract, refusals naming
the field or header, records consistent with the population mock's people, admin."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate
from starlette.types import ASGIApp

from mocks.population import population
from mocks.population_registry.signing import DEFAULT_ACCOUNT, authorization
from mocks.social_insurance import Insured, create_app
from tests.mocks.samples import client_of

CONTRACT = Path(__file__).resolve().parents[3] / "openapi" / "national" / "social_insurance"
DOCUMENT: dict[str, Any] = yaml.safe_load((CONTRACT / "openapi.yaml").read_text("utf-8"))
BASE = "http://bhxh.test"
URL = f"{BASE}/TraCuuThongTinBaoHiem"


def assert_fits(schema: str, instance: object) -> None:
    """``instance`` validates against ``components/schemas/<schema>`` of openapi.yaml."""
    root = {**DOCUMENT, "$ref": f"#/components/schemas/{schema}"}
    jsonschema.Draft202012Validator(root).validate(instance)


_TICKS = itertools.count()


def signed(*, secret: str = DEFAULT_ACCOUNT.secret, at: float | None = None) -> dict[str, str]:
    """The platform's headers for one request; each call a millisecond apart, as a signer does."""
    stamp = str(int((time.time() if at is None else at) * 1000) + next(_TICKS))
    return {
        "Timestamp": stamp,
        "Authorization": authorization(URL, DEFAULT_ACCOUNT.user, stamp, secret),
        "X-Road-Client": DEFAULT_ACCOUNT.xroad_client,
        "ApiKey": DEFAULT_ACCOUNT.api_key,
    }


def query(personal_id: str, **changes: object) -> dict[str, object]:
    return {
        "MaYeuCau": "yc-1",
        "MaDVC": "000.00.01.H56-261102-00001",
        "MaTichHop": "LIENTHONG",
        "MaCanBo": "canbo.01",
        "MaDonVi": "000.00.00.H56",
        "MucDich": "Xác minh khi tiếp nhận hồ sơ",
        "SoDinhDanh": personal_id,
        **changes,
    }


@pytest.fixture
def app() -> ASGIApp:
    return create_app(population_size=2000)


async def lookup(app: ASGIApp, body: object, **headers: Any) -> httpx.Response:
    async with client_of(app, BASE) as http:
        return await http.post(
            "/TraCuuThongTinBaoHiem", json=body, headers=headers.get("headers", signed())
        )


def test_the_contract_is_a_valid_openapi_document() -> None:
    validate(DOCUMENT)


async def test_an_insured_persons_record_fits_the_contract_and_matches_the_population(
    app: ASGIApp,
) -> None:
    people = population(0, 2000)
    person = Insured(people, 0).insured(1)[0]

    reply = await lookup(app, query(person.personal_id))

    assert reply.status_code == 200
    assert_fits("InsuranceReply", reply.json())
    record = reply.json()["ThongTinBaoHiem"]
    assert (record["HoVaTen"], record["NgaySinh"], record["GioiTinh"]) == (
        person.full_name,
        person.date_of_birth.isoformat(),
        person.sex.registry_code,
    )
    assert record["TheBHYT"]["NoiDKKCB"]["MaCoSo"][:2] == person.permanent_address.province_code


async def test_an_unknown_person_is_not_found_in_the_contracts_shape(app: ASGIApp) -> None:
    reply = await lookup(app, query("001099000000"))

    assert reply.json() == {"MaYeuCau": "yc-1", "TimThay": False, "ThongTinBaoHiem": None}


def test_records_follow_age_and_most_people_hold_one() -> None:
    people = population(0, 2000)
    insured = Insured(people, 0)
    records = {p.personal_id: insured.record(p.personal_id) for p in people}

    held = [r for r in records.values() if r is not None]
    assert 0.88 < len(held) / len(people) < 0.99
    groups = Counter(r["TheBHYT"]["MaThe"][:2] for r in held if r["TheBHYT"])
    assert {"TE", "HS", "DN", "GD", "HT"} <= groups.keys()
    for person in people:
        record = records[person.personal_id]
        if record and record["TheBHYT"] and person.age() < 6:
            assert record["TheBHYT"]["MaThe"].startswith("TE")
    codes = [r["MaSoBHXH"] for r in held]
    assert len(set(codes)) == len(codes)
    assert insured.record(people.people[0].personal_id) == records[people.people[0].personal_id]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (query("00109901234"), "SoDinhDanh"),
        (query("001099000000", MucDich=""), "MucDich"),
        ({k: v for k, v in query("001099000000").items() if k != "MaCanBo"}, "MaCanBo"),
        (query("001099000000", Extra="x"), "Extra"),
        ([], "body"),
    ],
)
async def test_a_query_that_breaks_a_rule_is_400_naming_the_field(
    app: ASGIApp, body: object, field: str
) -> None:
    reply = await lookup(app, body)

    assert reply.status_code == 400
    assert_fits("Refusal", reply.json())
    assert reply.json()["Truong"] == field


@pytest.mark.parametrize(
    ("headers", "header"),
    [
        (lambda: signed(secret="wrong"), "Authorization"),
        (lambda: signed(at=time.time() - 3600), "Timestamp"),
        (lambda: {**signed(), "ApiKey": "other"}, "ApiKey"),
        (lambda: {k: v for k, v in signed().items() if k != "X-Road-Client"}, "X-Road-Client"),
    ],
)
async def test_a_refused_signed_header_is_401_naming_it(
    app: ASGIApp, headers: Callable[[], dict[str, str]], header: str
) -> None:
    # Signed when the test runs, not when it is collected: a stamp made at collection is stale
    # by the time a long run reaches the test, and the mock names the Timestamp first.
    reply = await lookup(app, query("001099000000"), headers=headers())

    assert reply.status_code == 401
    assert_fits("Refusal", reply.json())
    assert (reply.json()["MaLoi"], reply.json()["Truong"]) == ("XAC_THUC", header)


async def test_a_replayed_signature_is_refused(app: ASGIApp) -> None:
    headers = signed()
    assert (await lookup(app, query("001099000000"), headers=headers)).status_code == 200

    again = await lookup(app, query("001099000000"), headers=headers)

    assert again.status_code == 401 and "replay" in again.json()["MoTa"]


async def test_a_test_can_change_and_remove_records_and_a_reset_forgets_them(
    app: ASGIApp,
) -> None:
    person = Insured(population(0, 2000), 0).insured(2)
    changed = {
        "SoDinhDanh": person[0].personal_id,
        "MaSoBHXH": "0100000001",
        "HoVaTen": person[0].full_name,
        "NgaySinh": person[0].date_of_birth.isoformat(),
        "GioiTinh": person[0].sex.registry_code,
        "TheBHYT": None,
        "QuaTrinhThamGia": None,
    }
    async with client_of(app, BASE) as http:
        scenario = {"records": [changed], "removed": [person[1].personal_id]}
        assert (await http.put("/__admin/scenario", json=scenario)).status_code == 200
        first = await http.post(
            "/TraCuuThongTinBaoHiem", json=query(person[0].personal_id), headers=signed()
        )
        second = await http.post(
            "/TraCuuThongTinBaoHiem", json=query(person[1].personal_id), headers=signed()
        )
        state = (await http.get("/__admin/state")).json()
        await http.post("/__admin/reset")
        after = await http.post(
            "/TraCuuThongTinBaoHiem", json=query(person[1].personal_id), headers=signed()
        )

    assert first.json()["ThongTinBaoHiem"]["MaSoBHXH"] == "0100000001"
    assert second.json()["TimThay"] is False
    assert state["lookups"] == 2
    assert after.json()["TimThay"] is True


async def test_a_story_can_make_a_person_unknown(app: ASGIApp) -> None:
    person = Insured(population(0, 2000), 0).insured(1)[0]
    story = {
        "name": "không tìm thấy",
        "entity": "citizen",
        "only": [person.personal_id],
        "steps": [{"on": "TraCuuThongTinBaoHiem", "answer": "not_found"}],
    }
    async with client_of(app, BASE) as http:
        added = await http.post("/__admin/stories", json=story)
        assert added.status_code == 201, added.text
        reply = await http.post(
            "/TraCuuThongTinBaoHiem", json=query(person.personal_id), headers=signed()
        )

    assert reply.json()["TimThay"] is False
