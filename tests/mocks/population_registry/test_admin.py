"""The admin side: masked journal, seeded records, samples, faults and reset."""

from __future__ import annotations

import json

import httpx

import mocks
from mocks.population import Person
from tests.mocks.population_registry.samples import Registry, ask, envelope, upper_ascii
from tests.mocks.samples import client_of

VERIFY = "XacThucThongTinCongDan"


async def test_the_journal_masks_ids_and_names(
    registry: Registry, http: httpx.AsyncClient, adult: Person
) -> None:
    await registry.call(VERIFY, ask(adult))
    (entry,) = (await http.get("/__admin/journal")).json()["entries"]
    request = entry["request"]
    pid = adult.personal_id
    assert entry["service"] == VERIFY
    assert request["SoDinhDanh"] == f"{pid[:3]}******{pid[-3:]}"
    assert request["HoVaTen"].split()[0][0] == upper_ascii(adult.full_name)[0]
    assert request["MaCanBo"] == "canbo01"
    text = json.dumps(entry, ensure_ascii=False)
    assert pid not in text
    assert upper_ascii(adult.full_name) not in text


async def test_the_journal_masks_old_ids(
    registry: Registry, http: httpx.AsyncClient, with_old_id: Person
) -> None:
    assert with_old_id.old_id is not None
    await registry.call(VERIFY, ask(with_old_id, SoDinhDanh=None, SoCMND=with_old_id.old_id))
    (entry,) = (await http.get("/__admin/journal")).json()["entries"]
    assert entry["request"]["SoCMND"] == f"{with_old_id.old_id[:3]}***{with_old_id.old_id[-3:]}"


async def test_citizens_and_samples_come_from_the_seeded_population(
    http: httpx.AsyncClient, adult: Person
) -> None:
    record = (await http.get(f"/__admin/citizens/{adult.personal_id}")).json()
    sample = (await http.get("/__admin/sample?n=3")).json()["citizens"]
    missing = await http.get("/__admin/citizens/099999999999")
    assert record["full_name"] == adult.full_name
    assert record["date_of_birth"] == adult.date_of_birth.isoformat()
    assert record["permanent_address"]["province_name"] == adult.permanent_address.province_name
    assert len(sample) == 3
    assert {"personal_id", "full_name", "date_of_birth", "sex"} <= sample[0].keys()
    assert missing.status_code == 404
    assert (await http.get("/__admin/sample?n=0")).status_code == 400


async def test_an_injected_fault_answers_its_status_and_reset_clears_it(
    registry: Registry, http: httpx.AsyncClient, adult: Person
) -> None:
    added = await http.post("/__admin/faults", json={"service": VERIFY, "status": 503})
    failed = await registry.post(envelope(VERIFY, ask(adult)))  # type: ignore[arg-type]
    await http.post("/__admin/reset")
    state = (await http.get("/__admin/state")).json()
    answered = await registry.post(envelope(VERIFY, ask(adult)))  # type: ignore[arg-type]
    assert added.status_code == 201
    assert failed.status_code == 503
    assert state["faults"] == 0
    assert state["citizens"] == 10_000
    assert answered.status_code == 200


async def test_the_registry_answers_under_its_path_in_the_mocks_app() -> None:
    async with client_of(mocks.create_mocks_app(), "http://mocks.test") as http:
        index = (await http.get("/")).json()
        wsdl = await http.get("/population-registry/?wsdl")
    paths = [m["path"] for m in index["mocks"]]
    assert "/population-registry" in paths
    assert b'location="http://mocks.test/population-registry/"' in wsdl.content
