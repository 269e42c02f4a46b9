"""Insurance records, earlier results and prefill from every registry at the gateway: scopes,
audit (one record per access), trimming, partial failures, reuse, bad input.

The registries are fakes of their Protocols here; ``tests/e2e/test_insurance_and_results.py``
runs the same routes against the mocks over real HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.app import create_app
from gateway.settings import Settings
from tests.gateway.conftest import demo_token
from tests.gateway.fakes import PERSON, FakeAxis, FakeBusinesses, FakePopulation, FakePortal
from tests.gateway.registry_fakes import (
    BIRTH_EXTRACT,
    INSURANCE,
    OLD_JUDICIAL_RECORD,
    PDF,
    FakeInsurance,
    FakeResults,
)

DECLARED = {
    "purpose": "Xác minh khi tiếp nhận hồ sơ đăng ký thường trú",
    "officer": "canbo.hanoi.07",
    "dossier_code": "000.00.01.H56-261102-00007",
}
PROCEDURE = "1.004194"
APPLICANT = {"id_number": PERSON, "full_name": "Nguyễn Văn An", "date_of_birth": "1995-03-14"}
NOBODY = "001095099999"


@pytest.fixture
def insurance() -> FakeInsurance:
    return FakeInsurance()


@pytest.fixture
def results() -> FakeResults:
    return FakeResults()


@pytest.fixture
def population() -> FakePopulation:
    return FakePopulation()


@pytest.fixture
async def app(
    tmp_path: Path, insurance: FakeInsurance, results: FakeResults, population: FakePopulation
) -> AsyncIterator[FastAPI]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/gateway.db",
        worker_enabled=False,
        document_poller_enabled=False,
        keys_dir=tmp_path / "keys",
        sqlite_synchronous="NORMAL",
    )
    application = create_app(
        settings,
        systems={"land_registry": {"enabled": False}},
        adapters={
            "national_portal": FakePortal(),
            "document_axis": FakeAxis(),
            "population_registry": population,
            "business_registry": FakeBusinesses(),
            "social_insurance": insurance,
            "results_store": results,
        },
    )
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as c:
        c.headers["Authorization"] = f"Bearer {await demo_token(c)}"
        yield c


async def as_scopes(client: httpx.AsyncClient, *scopes: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {await demo_token(client, ' '.join(scopes))}"}


async def audit(client: httpx.AsyncClient, **filters: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = (await client.get("/v1/audit", params=filters)).json()[
        "records"
    ]
    return records


async def test_an_insurance_lookup_answers_the_record_asks_with_the_declaration_and_is_audited(
    client: httpx.AsyncClient, insurance: FakeInsurance
) -> None:
    reply = await client.get(f"/v1/insurance/{PERSON}", params=DECLARED)

    assert reply.status_code == 200, reply.text
    record = reply.json()["record"]
    assert record["insurance_code"] == INSURANCE.insurance_code
    assert record["health_card"]["hospital_name"] == "Bệnh viện Đa khoa Hà Nội"
    assert record["contribution"]["months_paid"] == 84
    (query,) = insurance.queries
    assert (query.purpose, query.officer, query.service_code) == (
        DECLARED["purpose"],
        DECLARED["officer"],
        DECLARED["dossier_code"],
    )
    (entry,) = await audit(client)
    assert (entry["system"], entry["action"], entry["outcome"], entry["subject"]) == (
        "social_insurance",
        "lookup",
        "found",
        "001******345",
    )


async def test_without_the_contributions_scope_the_contribution_is_withheld(
    client: httpx.AsyncClient,
) -> None:
    headers = await as_scopes(client, "insurance:lookup")
    body = (await client.get(f"/v1/insurance/{PERSON}", params=DECLARED, headers=headers)).json()

    assert "contribution" not in body["record"]
    assert body["withheld"] == ["contribution"]
    assert body["record"]["health_card"]["number"] == "DN4010195012345"


async def test_an_insurance_lookup_needs_its_scope_and_nothing_is_asked_without_it(
    client: httpx.AsyncClient, insurance: FakeInsurance
) -> None:
    headers = await as_scopes(client, "citizens:lookup")
    reply = await client.get(f"/v1/insurance/{PERSON}", params=DECLARED, headers=headers)

    assert reply.status_code == 403
    assert "insurance:lookup" in reply.json()["detail"]
    assert insurance.queries == []
    assert await audit(client) == []


async def test_a_person_without_a_record_is_404_and_audited_as_not_found(
    client: httpx.AsyncClient,
) -> None:
    reply = await client.get(f"/v1/insurance/{NOBODY}", params=DECLARED)

    assert reply.status_code == 404
    assert [r["outcome"] for r in await audit(client)] == ["not_found"]


@pytest.mark.parametrize(
    ("personal_id", "params", "where"),
    [
        ("00109501234", DECLARED, ["path", "personal_id"]),
        ("001995012345", DECLARED, ["path", "personal_id"]),
        (PERSON, {**DECLARED, "purpose": "x"}, ["query", "purpose"]),
        (PERSON, {k: v for k, v in DECLARED.items() if k != "officer"}, ["query", "officer"]),
        (PERSON, {**DECLARED, "dossier_code": "not-a-code"}, ["query", "dossier_code"]),
    ],
)
async def test_bad_input_is_a_422_naming_the_field_and_asks_nobody(
    client: httpx.AsyncClient,
    insurance: FakeInsurance,
    personal_id: str,
    params: dict[str, str],
    where: list[str],
) -> None:
    reply = await client.get(f"/v1/insurance/{personal_id}", params=params)

    assert reply.status_code == 422, reply.text
    assert reply.headers["content-type"].startswith("application/problem+json")
    assert [e["loc"] for e in reply.json()["errors"]] == [where]
    assert insurance.queries == []
    assert await audit(client) == []


async def test_a_database_down_is_503_with_retry_after_and_the_failure_is_audited(
    client: httpx.AsyncClient, insurance: FakeInsurance
) -> None:
    insurance.down = True
    reply = await client.get(f"/v1/insurance/{PERSON}", params=DECLARED)

    assert reply.status_code == 503
    assert "social insurance database" in reply.json()["detail"]
    assert "Retry-After" in reply.headers
    (entry,) = await audit(client)
    assert entry["outcome"] == "error" and "HTTP 503" in entry["detail"]


async def test_results_are_looked_up_by_kind_and_a_file_fetched_each_audited(
    client: httpx.AsyncClient, results: FakeResults
) -> None:
    every = await client.get(f"/v1/results/{PERSON}", params={**DECLARED, "procedure": PROCEDURE})
    births = await client.get(
        f"/v1/results/{PERSON}", params={**DECLARED, "procedure": PROCEDURE, "kind": "KQ.KS"}
    )
    file = await client.get(
        f"/v1/results/{PERSON}/{BIRTH_EXTRACT.id}/file",
        params={**DECLARED, "procedure": PROCEDURE},
    )

    assert [r["id"] for r in every.json()["results"]] == [BIRTH_EXTRACT.id, OLD_JUDICIAL_RECORD.id]
    assert [r["kind"] for r in births.json()["results"]] == ["KQ.KS"]
    assert results.asked[1] == (PERSON, PROCEDURE, ("KQ.KS",))
    assert file.status_code == 200
    assert file.content == PDF
    assert file.headers["content-type"] == "application/pdf"
    assert 'filename="GT.00000000A1.pdf"' in file.headers["content-disposition"]
    assert [(r["system"], r["action"]) for r in await audit(client)] == [
        ("results_store", "lookup"),
        ("results_store", "lookup"),
        ("results_store", "fetch"),
    ]


async def test_a_file_is_given_only_to_whoever_names_its_owner(
    client: httpx.AsyncClient, results: FakeResults
) -> None:
    reply = await client.get(
        f"/v1/results/{NOBODY}/{BIRTH_EXTRACT.id}/file",
        params={**DECLARED, "procedure": PROCEDURE},
    )

    assert reply.status_code == 404
    assert results.files == [], "the store was never asked for the file"
    (entry,) = await audit(client)
    assert (entry["action"], entry["outcome"], entry["subject"]) == (
        "fetch",
        "not_found",
        "001******999",
    )


async def test_every_personal_data_access_leaves_exactly_one_audit_record(
    client: httpx.AsyncClient,
    insurance: FakeInsurance,
    results: FakeResults,
    population: FakePopulation,
) -> None:
    for person in (PERSON, NOBODY):
        await client.get(f"/v1/insurance/{person}", params=DECLARED)
        await client.get(f"/v1/results/{person}", params={**DECLARED, "procedure": PROCEDURE})
        await client.get(
            f"/v1/results/{person}/{BIRTH_EXTRACT.id}/file",
            params={**DECLARED, "procedure": PROCEDURE},
        )
        await client.post(
            "/v1/prefill",
            json={
                "procedure": PROCEDURE,
                "applicant": {**APPLICANT, "id_number": person},
                **DECLARED,
            },
        )
    insurance.down = True
    await client.get(f"/v1/insurance/{PERSON}", params=DECLARED)

    records = await audit(client, limit="1000")
    by_system = {
        system: sum(1 for r in records if r["system"] == system)
        for system in ("social_insurance", "results_store", "population_registry")
    }
    assert by_system == {
        "social_insurance": len(insurance.queries),
        "results_store": len(results.asked),
        "population_registry": len(population.queries),
    }, "a file fetch is one access: it asks for the owner's results, then the file"
    assert (len(insurance.queries), len(results.asked), len(population.queries)) == (5, 6, 2)
    assert len(records) == 13


async def test_prefill_fills_fields_from_three_named_sources_with_the_time_each_was_read(
    client: httpx.AsyncClient,
) -> None:
    reply = await client.post(
        "/v1/prefill",
        json={
            "procedure": PROCEDURE,
            "applicant": APPLICANT,
            "components": [
                {"code": "TP.GKS", "result_kinds": ["KQ.KS"]},
                {"code": "TP.LLTP", "result_kinds": ["KQ.LLTP"]},
            ],
            **DECLARED,
        },
    )

    assert reply.status_code == 200, reply.text
    body = reply.json()
    fields = {f["field"]: f for f in body["fields"]}
    assert fields["applicant.name"]["source"] == "population_registry"
    assert fields["applicant.social_insurance_code"]["source"] == "social_insurance"
    assert fields["applicant.health_insurance_card"]["value"]["valid_to"] == "2099-12-31"
    assert fields["applicant.results"]["source"] == "results_store"
    assert {f["source"] for f in body["fields"]} == {
        "population_registry",
        "social_insurance",
        "results_store",
    }
    assert all(f["read_at"] for f in body["fields"])
    assert {s["system"]: s["outcome"] for s in body["sources"]} == {
        "population_registry": "found",
        "social_insurance": "found",
        "results_store": "found",
        "land_registry": "not_in_use",
    }
    assert body["reusable"] == [
        {
            "component": "TP.GKS",
            "result": fields["applicant.results"]["value"][0]
            | {
                "file_url": BIRTH_EXTRACT.file_url,
                "file_name": BIRTH_EXTRACT.file_name,
            },
        }
    ], "the expired judicial record stands for nothing"


async def test_a_failing_registry_is_reported_while_the_others_fill_their_fields(
    client: httpx.AsyncClient, insurance: FakeInsurance
) -> None:
    insurance.down = True
    reply = await client.post(
        "/v1/prefill", json={"procedure": PROCEDURE, "applicant": APPLICANT, **DECLARED}
    )

    assert reply.status_code == 200, reply.text
    sources = {s["system"]: s for s in reply.json()["sources"]}
    assert sources["social_insurance"]["outcome"] == "failed"
    assert "social_insurance" in sources["social_insurance"]["detail"]
    assert "HTTP 503" in sources["social_insurance"]["detail"]
    assert sources["population_registry"]["outcome"] == "found"
    assert "applicant.social_insurance_code" not in {f["field"] for f in reply.json()["fields"]}
    outcomes = {r["system"]: r["outcome"] for r in await audit(client, action="prefill")}
    assert outcomes["social_insurance"] == "error"


async def test_when_every_registry_asked_fails_prefill_is_503_naming_each(
    client: httpx.AsyncClient,
    insurance: FakeInsurance,
    results: FakeResults,
    population: FakePopulation,
) -> None:
    insurance.down = results.down = population.down = True
    reply = await client.post(
        "/v1/prefill", json={"procedure": PROCEDURE, "applicant": APPLICANT, **DECLARED}
    )

    assert reply.status_code == 503
    detail = reply.json()["detail"]
    assert all(name in detail for name in ("population", "social_insurance", "results_store"))


async def test_a_source_the_caller_may_not_see_is_not_asked_and_says_which_scope(
    client: httpx.AsyncClient, insurance: FakeInsurance
) -> None:
    headers = await as_scopes(client, "citizens:lookup", "results:lookup")
    reply = await client.post(
        "/v1/prefill",
        json={"procedure": PROCEDURE, "applicant": APPLICANT, **DECLARED},
        headers=headers,
    )

    sources = {s["system"]: s for s in reply.json()["sources"]}
    assert sources["social_insurance"]["outcome"] == "not_permitted"
    assert "insurance:lookup" in sources["social_insurance"]["detail"]
    assert insurance.queries == []
    assert {r["system"] for r in await audit(client)} == {"population_registry", "results_store"}


async def test_an_applicant_with_an_old_id_is_prefilled_by_the_registries_that_know_it(
    client: httpx.AsyncClient, insurance: FakeInsurance, results: FakeResults
) -> None:
    applicant = {**APPLICANT, "id_number": "012345678"}
    reply = await client.post(
        "/v1/prefill", json={"procedure": PROCEDURE, "applicant": applicant, **DECLARED}
    )

    assert reply.status_code == 200, reply.text
    sources = {s["system"]: s for s in reply.json()["sources"]}
    assert sources["population_registry"]["outcome"] == "not_found"
    for system in ("social_insurance", "results_store"):
        assert sources[system]["outcome"] == "not_applicable"
        assert "12-digit personal ID" in sources[system]["detail"]
    assert insurance.queries == [] and results.asked == []
    assert [r["system"] for r in await audit(client)] == ["population_registry"]
