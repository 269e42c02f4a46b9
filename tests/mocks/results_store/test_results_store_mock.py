"""The results store mock over HTTP: OAuth2, results and files that fit the contract, refusals
in the store's envelope naming the field, results consistent with the population's people."""

from __future__ import annotations

import base64
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate
from starlette.types import ASGIApp

from mocks.population import population
from mocks.results_store import KINDS, Results, create_app
from tests.mocks.samples import CLIENT, client_of

CONTRACT = Path(__file__).resolve().parents[3] / "openapi" / "national" / "results_store"
DOCUMENT: dict[str, Any] = yaml.safe_load((CONTRACT / "openapi.yaml").read_text("utf-8"))
SIZE = 2000
PROCEDURE = "1.001193"


def assert_fits(schema: str, instance: object) -> None:
    root = {**DOCUMENT, "$ref": f"#/components/schemas/{schema}"}
    jsonschema.Draft202012Validator(root).validate(instance)


def query(owner: str, *kinds: str, **changes: object) -> dict[str, object]:
    return {
        "SoDinhDanhChuSoHuu": owner,
        "KenhThucHien": "1",
        "MaThuTuc": PROCEDURE,
        "DanhSachDanhMucKetQua": [{"MaKetQua": k, "SoKyHieu": None} for k in kinds],
        **changes,
    }


@pytest.fixture
def app() -> ASGIApp:
    return create_app(population_size=SIZE)


@pytest.fixture
async def http(app: ASGIApp) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app, "http://kho.test") as client:
        token = await client.post("/token", data={"grant_type": "client_credentials"}, auth=CLIENT)
        client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        yield client


def married_holder() -> str:
    return Results(population(0, SIZE), 0).holders("KQ.KH", 1)[0].personal_id


def test_the_contract_is_a_valid_openapi_document() -> None:
    validate(DOCUMENT)


async def test_an_owners_results_fit_the_contract_newest_first(http: httpx.AsyncClient) -> None:
    owner = married_holder()

    reply = await http.post("/GetKetQuaGiayTo", json=query(owner))

    assert reply.status_code == 200
    assert_fits("ResultsReply", reply.json())
    results = reply.json()["result"]
    assert "KQ.KH" in {r["MaKetQua"] for r in results}
    days = [r["NgayCap"] for r in results]
    assert days == sorted(days, reverse=True)
    assert all(owner not in r["DuongDanTepTin"] for r in results), "paths do not name the owner"


async def test_kinds_and_numbers_narrow_the_results(http: httpx.AsyncClient) -> None:
    owner = married_holder()
    every = (await http.post("/GetKetQuaGiayTo", json=query(owner))).json()["result"]
    marriage = next(r for r in every if r["MaKetQua"] == "KQ.KH")

    by_kind = await http.post("/GetKetQuaGiayTo", json=query(owner, "KQ.KH"))
    exact = query(owner)
    exact["DanhSachDanhMucKetQua"] = [{"MaKetQua": "KQ.KH", "SoKyHieu": "0000/1900/KH"}]
    by_wrong_number = await http.post("/GetKetQuaGiayTo", json=exact)

    assert by_kind.json()["result"] == [marriage]
    assert by_wrong_number.json()["result"] == []


async def test_a_results_file_is_a_pdf_and_an_unknown_path_is_error_code_2(
    http: httpx.AsyncClient,
) -> None:
    owner = married_holder()
    (result, *_) = (await http.post("/GetKetQuaGiayTo", json=query(owner))).json()["result"]

    file = await http.post("/GetGiayToByUrl", json={"DuongDan": result["DuongDanTepTin"]})
    missing = await http.post("/GetGiayToByUrl", json={"DuongDan": "/kho/giayto/none.pdf"})

    assert_fits("FileReply", file.json())
    content = base64.b64decode(file.json()["result"]["NoiDung"])
    assert content.startswith(b"%PDF-1.4") and result["SoKyHieu"].encode() in content
    assert file.json()["result"]["TenTepTin"] == result["TenTepTin"]
    assert_fits("FileReply", missing.json())
    assert missing.json()["error_code"] == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (query("00109900000"), "SoDinhDanhChuSoHuu"),
        (query("001099000000", KenhThucHien="4"), "KenhThucHien"),
        (query("001099000000", MaThuTuc=""), "MaThuTuc"),
        (query("001099000000", DanhSachDanhMucKetQua=[{}]), "DanhSachDanhMucKetQua[0].MaKetQua"),
        (query("001099000000", Khac=1), "Khac"),
    ],
)
async def test_a_query_that_breaks_a_rule_is_error_code_1_naming_the_field(
    http: httpx.AsyncClient, body: dict[str, object], field: str
) -> None:
    reply = await http.post("/GetKetQuaGiayTo", json=body)

    assert reply.status_code == 200
    assert_fits("ResultsReply", reply.json())
    assert reply.json()["error_code"] == 1
    assert reply.json()["message"].startswith(f"{field}:")


async def test_without_a_token_every_call_is_401(app: ASGIApp) -> None:
    async with client_of(app, "http://kho.test") as http:
        reply = await http.post("/GetKetQuaGiayTo", json=query("001099000000"))

    assert reply.status_code == 401
    assert "Bearer" in reply.headers["www-authenticate"]


def test_results_follow_the_people_they_were_issued_to() -> None:
    people = population(0, SIZE)
    results = Results(people, 0)
    kinds: Counter[str] = Counter()
    for person in people:
        held = results.of(person.personal_id)
        kinds.update(r["MaKetQua"] for r in held)
        for result in held:
            if result["MaKetQua"] == "KQ.KH":
                assert person.marital_status == "Đã kết hôn"
            if result["MaKetQua"] in ("KQ.LLTP", "KQ.CT", "KQ.TTHN"):
                assert person.is_adult
            assert result["NgayCap"] >= person.date_of_birth.isoformat()
    assert set(kinds) == set(KINDS)
    assert 0.6 < kinds["KQ.KS"] / len(people) < 0.8
    assert results.of(people.people[5].personal_id) == results.of(people.people[5].personal_id)
