"""Citizen and business lookups at the gateway: scopes, audit, cache, prefill, bad input.

The registries are fakes of their Protocols here; ``tests/e2e/test_registry_lookups.py`` runs the
same endpoints against the registry mocks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from gateway.api.caller import Caller, get_caller
from gateway.api.registries import BusinessAnswer, business_answer_json
from gateway.app import create_app
from gateway.registries.cache import Answer
from gateway.settings import Settings
from tests.gateway.conftest import demo_token
from tests.gateway.fakes import (
    COMPANY,
    PERSON,
    REFUSED_BY_REGISTRY,
    UNREADABLE,
    FakeAxis,
    FakeBusinesses,
    FakePopulation,
    FakePortal,
)
from tests.gateway.registry_fakes import FakeInsurance, FakeResults


@pytest.fixture
def population() -> FakePopulation:
    return FakePopulation()


@pytest.fixture
def businesses() -> FakeBusinesses:
    return FakeBusinesses()


@pytest.fixture
async def app(
    tmp_path: Path, population: FakePopulation, businesses: FakeBusinesses
) -> AsyncIterator[FastAPI]:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/gateway.db",
        worker_enabled=False,
        document_poller_enabled=False,
        keys_dir=tmp_path / "keys",
        sqlite_synchronous="NORMAL",
        business_cache_seconds=60,
    )
    application = create_app(
        settings,
        systems={"land_registry": {"enabled": False}},
        adapters={
            "national_portal": FakePortal(),
            "document_axis": FakeAxis(),
            "population_registry": population,
            "business_registry": businesses,
            "social_insurance": FakeInsurance(),
            "results_store": FakeResults(),
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


DECLARED = {
    "purpose": "Xác minh nhân thân khi tiếp nhận hồ sơ",
    "officer": "canbo.thanhhoa.01",
    "dossier_code": "000.00.01.H56-261102-00001",
}
LOOKUP = {"full_name": "Nguyễn Văn An", "date_of_birth": "1995-03-14", **DECLARED}


async def test_a_citizen_lookup_answers_the_record_and_is_audited(
    client: httpx.AsyncClient, population: FakePopulation
) -> None:
    reply = await client.get(f"/v1/citizens/{PERSON}", params=LOOKUP)
    assert reply.status_code == 200, reply.text
    assert reply.json()["citizen"]["full_name"] == "Nguyễn Văn An"
    assert population.queries[0].officer == "canbo.thanhhoa.01"
    (record,) = (await client.get("/v1/audit")).json()["records"]
    assert (record["action"], record["outcome"], record["subject"]) == (
        "lookup",
        "found",
        "001******345",
    )
    assert (record["officer"], record["dossier_code"]) == (
        "canbo.thanhhoa.01",
        "000.00.01.H56-261102-00001",
    )


async def test_a_narrow_scope_sees_a_trimmed_citizen(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    async def narrow() -> Caller:
        return Caller("front-desk", frozenset({"citizens:lookup"}))

    app.dependency_overrides[get_caller] = narrow
    body = (await client.get(f"/v1/citizens/{PERSON}", params=LOOKUP)).json()
    assert "father" not in body["citizen"] and "religion" not in body["citizen"]
    assert body["withheld"] == ["blood_group", "father", "religion"]
    assert body["citizen"]["permanent_address"]["province_name"] == "Hà Nội"


async def test_without_the_scope_a_lookup_is_forbidden_naming_it(
    client: httpx.AsyncClient,
) -> None:
    token = await demo_token(client, "businesses:lookup")
    reply = await client.get(
        f"/v1/citizens/{PERSON}", params=LOOKUP, headers={"Authorization": f"Bearer {token}"}
    )
    assert reply.status_code == 403
    assert "citizens:lookup" in reply.json()["detail"]


@pytest.mark.parametrize(
    ("id_number", "rule"),
    [
        ("099095012345", "province"),
        ("001895012345", "century"),
        ("001096012345", "1996"),
        ("00109501234", "12 digits"),
    ],
)
async def test_a_bad_id_answers_422_naming_the_rule(
    client: httpx.AsyncClient, id_number: str, rule: str
) -> None:
    reply = await client.get(f"/v1/citizens/{id_number}", params=LOOKUP)
    assert reply.status_code == 422
    error = reply.json()["errors"][0]
    assert error["loc"] == ["path", "id_number"]
    assert rule in error["msg"]


@pytest.mark.parametrize("missing", ["purpose", "officer", "dossier_code"])
async def test_a_lookup_must_say_why_who_and_for_which_dossier(
    client: httpx.AsyncClient, missing: str
) -> None:
    params = {k: v for k, v in LOOKUP.items() if k != missing}
    reply = await client.get(f"/v1/citizens/{PERSON}", params=params)
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["loc"] == ["query", missing]


async def test_verification_discloses_only_match_or_not(client: httpx.AsyncClient) -> None:
    body = {
        "id_number": PERSON,
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "1995-03-14",
        **DECLARED,
    }
    assert (await client.post("/v1/citizens/verify", json=body)).json() == {"match": True}
    body["full_name"] = "Nguyễn Văn Ân"
    assert (await client.post("/v1/citizens/verify", json=body)).json() == {"match": False}
    outcomes = [r["outcome"] for r in (await client.get("/v1/audit")).json()["records"]]
    assert outcomes == ["match", "no_match"]


async def test_a_thousand_lookups_leave_exactly_a_thousand_audit_records(
    client: httpx.AsyncClient, population: FakePopulation
) -> None:
    async def one(n: int) -> int:
        if n % 100 == 99:
            population.down = n % 200 == 199
        reply = await client.get(f"/v1/citizens/{PERSON}", params=LOOKUP)
        population.down = False
        return reply.status_code

    statuses = await asyncio.gather(*(one(n) for n in range(1000)))
    assert set(statuses) <= {200, 503}
    records: list[dict[str, Any]] = []
    after = None
    while True:
        params: dict[str, Any] = {"limit": 1000, **({"after": after} if after else {})}
        page = (await client.get("/v1/audit", params=params)).json()
        records += page["records"]
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert len(records) == 1000
    by_subject = (await client.get("/v1/audit", params={"subject": PERSON, "limit": 1000})).json()
    assert len(by_subject["records"]) == 1000


async def test_a_failing_registry_answers_503_with_retry_after_and_is_audited(
    client: httpx.AsyncClient, population: FakePopulation
) -> None:
    population.down = True
    reply = await client.get(f"/v1/citizens/{PERSON}", params=LOOKUP)
    assert reply.status_code == 503
    assert reply.headers["Retry-After"] == "7"
    (record,) = (await client.get("/v1/audit", params={"outcome": "error"})).json()["records"]
    assert "503" in record["detail"]


async def test_business_lookups_are_cached_and_served_stale_while_the_registry_is_down(
    client: httpx.AsyncClient, businesses: FakeBusinesses, app: FastAPI
) -> None:
    first = await client.get(f"/v1/businesses/{COMPANY}")
    assert first.status_code == 200 and first.json()["stale"] is False
    await client.get(f"/v1/businesses/{COMPANY}")
    assert businesses.calls == 1
    cache = app.state.gateway.lookups._cache
    cache._ttl = 0.0
    businesses.down = True
    stale = await client.get(f"/v1/businesses/{COMPANY}")
    assert stale.status_code == 200
    assert stale.json()["stale"] is True
    assert stale.headers["Warning"] == '110 - "Response is Stale"'
    missing = await client.get("/v1/businesses/0100109113")
    assert missing.status_code == 503


async def test_a_cached_business_answer_is_the_json_of_its_model(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    await client.get(f"/v1/businesses/{COMPANY}")
    reply = await client.get(f"/v1/businesses/{COMPANY}")
    answer = await app.state.gateway.lookups.find_business(
        COMPANY, allow_check_digit_mismatch=False
    )
    assert reply.status_code == 200
    age = reply.json()["fetched_seconds_ago"]
    model = BusinessAnswer(business=answer.value.record, stale=False, fetched_seconds_ago=age)
    assert reply.headers["content-type"] == "application/json"
    assert reply.json() == model.model_dump(mode="json", by_alias=True)
    for stale, age in ((False, 0.0), (True, 12.34), (False, 86400.0)):
        served = Answer(answer.value, stale=stale, age=age)
        expected = BusinessAnswer(
            business=answer.value.record, stale=stale, fetched_seconds_ago=round(age, 1)
        )
        assert business_answer_json(served) == expected.model_dump_json(by_alias=True).encode()


async def test_a_check_digit_mismatch_is_refused_unless_overridden(
    client: httpx.AsyncClient,
) -> None:
    wrong = "0100109107"
    refused = await client.get(f"/v1/businesses/{wrong}")
    assert refused.status_code == 422
    assert "check digit" in refused.json()["errors"][0]["msg"]
    assert "allow_check_digit_mismatch" in refused.json()["errors"][0]["msg"]
    overridden = await client.get(
        f"/v1/businesses/{wrong}", params={"allow_check_digit_mismatch": "true"}
    )
    assert overridden.status_code == 404


async def test_prefill_fills_fields_with_their_source(client: httpx.AsyncClient) -> None:
    citizen = await client.post(
        "/v1/prefill",
        json={
            "procedure": "1.001193",
            "applicant": {
                "id_number": PERSON,
                "full_name": "Nguyễn Văn An",
                "date_of_birth": "1995-03-14",
            },
            **DECLARED,
        },
    )
    assert citizen.status_code == 200, citizen.text
    fields = {f["field"]: f for f in citizen.json()["fields"]}
    assert fields["applicant.name"]["value"] == "Nguyễn Văn An"
    assert fields["applicant.date_of_birth"]["value"] == {"year": 1995, "month": 3, "day": 14}
    assert fields["applicant.permanent_address"]["source"] == "population_registry"
    business = await client.post(
        "/v1/prefill",
        json={"procedure": "2.001610", "applicant": {"enterprise_code": COMPANY}, **DECLARED},
    )
    fields = {f["field"]: f for f in business.json()["fields"]}
    assert fields["applicant.representative"]["value"] == {
        "name": "Trần Thị Hoa",
        "position": "Giám đốc",
    }
    assert fields["applicant.legal_status"]["source"] == "business_registry"
    audit = (await client.get("/v1/audit", params={"action": "prefill"})).json()["records"]
    assert sorted(r["system"] for r in audit) == [
        "population_registry",
        "results_store",
        "social_insurance",
    ], "one record per registry asked for the citizen, none for the public business record"


@pytest.mark.parametrize(
    ("scope", "applicant", "named"),
    [
        (
            "businesses:lookup",
            {"id_number": PERSON, "full_name": "Nguyễn Văn An", "date_of_birth": "1995-03-14"},
            "'citizens:lookup'",
        ),
        ("citizens:lookup", {"enterprise_code": COMPANY}, "'businesses:lookup'"),
        ("ops:read", {"enterprise_code": COMPANY}, "one of the scopes"),
    ],
)
async def test_prefill_needs_the_scope_of_its_applicant(
    client: httpx.AsyncClient, scope: str, applicant: dict[str, str], named: str
) -> None:
    token = await demo_token(client, scope)
    reply = await client.post(
        "/v1/prefill",
        json={"procedure": "1.001193", "applicant": applicant, **DECLARED},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert reply.status_code == 403, reply.text
    assert named in reply.json()["detail"]
    assert (await client.get("/v1/audit")).json()["records"] == []


async def test_an_unknown_citizen_answers_404_and_is_audited(client: httpx.AsyncClient) -> None:
    reply = await client.get(
        "/v1/citizens/079203001122",
        params={**LOOKUP, "date_of_birth": "2003-01-01", "full_name": "Lê Thị Mai"},
    )
    assert reply.status_code == 404
    (record,) = (await client.get("/v1/audit")).json()["records"]
    assert record["outcome"] == "not_found"


# Bad input of every shape is a 4xx naming the field and the rule, never a 500.


async def test_a_date_of_birth_off_the_calendar_answers_422(client: httpx.AsyncClient) -> None:
    reply = await client.get(
        f"/v1/citizens/{PERSON}", params={**LOOKUP, "date_of_birth": "1995-13-01"}
    )
    assert reply.status_code == 422
    (error,) = reply.json()["errors"]
    assert error["loc"] == ["query", "date_of_birth"]
    assert "not on the calendar" in error["msg"]


@pytest.mark.parametrize("date_of_birth", ["0.5", "19950314", "95", "1995-3-14"])
async def test_a_date_of_birth_of_another_form_answers_422(
    client: httpx.AsyncClient, date_of_birth: str
) -> None:
    reply = await client.get(
        f"/v1/citizens/{PERSON}", params={**LOOKUP, "date_of_birth": date_of_birth}
    )
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["loc"] == ["query", "date_of_birth"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"after": str(2**63)}, "after"),
        ({"after": "-1"}, "after"),
        ({"until": "0.5"}, "until"),
        ({"since": "1700000000"}, "since"),
        ({"since": "2026-02-30T00:00:00"}, "since"),
    ],
)
async def test_an_audit_query_out_of_range_or_not_a_time_answers_422(
    client: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    reply = await client.get("/v1/audit", params=params)
    assert reply.status_code == 422, reply.text
    assert reply.json()["errors"][0]["loc"] == ["query", field]


async def test_an_audit_query_with_iso_times_answers(client: httpx.AsyncClient) -> None:
    reply = await client.get(
        "/v1/audit", params={"since": "2026-01-01T00:00:00+07:00", "until": "2026-12-31T00:00"}
    )
    assert reply.status_code == 200, reply.text


async def test_the_registry_refusing_the_callers_own_code_answers_422_with_its_reason(
    client: httpx.AsyncClient,
) -> None:
    reply = await client.get(
        f"/v1/businesses/{REFUSED_BY_REGISTRY}", params={"allow_check_digit_mismatch": "true"}
    )
    assert reply.status_code == 422
    assert reply.headers["content-type"] == "application/problem+json"
    (error,) = reply.json()["errors"]
    assert (error["loc"], error["type"]) == (["path", "code"], "national_refusal")
    assert "not an issued code" in error["msg"]
    assert "business registry refused it" in error["msg"]


async def test_a_registry_answer_the_gateway_cannot_use_answers_502(
    client: httpx.AsyncClient,
) -> None:
    reply = await client.get(f"/v1/businesses/{UNREADABLE}")
    assert reply.status_code == 502
    assert "cannot read" in reply.json()["detail"]


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('"full_name": "\\ud800", "date_of_birth": "1995-03-14"', "full_name"),
        ('"full_name": "An", "date_of_birth": Infinity', "date_of_birth"),
        ('"full_name": "An", "date_of_birth": NaN', "date_of_birth"),
        ('"full_name": "An", "date_of_birth": 1e400', "date_of_birth"),
        ('"full_name": "An", "date_of_birth": 1995, "extra": 1', "extra"),
    ],
)
async def test_verification_with_unreadable_values_answers_422_naming_the_field(
    client: httpx.AsyncClient, raw: str, field: str
) -> None:
    body = (
        f'{{"id_number": "{PERSON}", "purpose": "Xác minh", "officer": "cb", '
        f'"dossier_code": "000.00.01.H56-261102-00001", {raw}}}'
    )
    reply = await client.post(
        "/v1/citizens/verify", content=body, headers={"Content-Type": "application/json"}
    )
    assert reply.status_code == 422, reply.text
    assert reply.json()["errors"][0]["loc"] == ["body", field]


async def test_verification_names_the_id_number_whose_birth_year_disagrees(
    client: httpx.AsyncClient,
) -> None:
    body = {"id_number": PERSON, "full_name": "An", "date_of_birth": "1996-03-14", **DECLARED}
    reply = await client.post("/v1/citizens/verify", json=body)
    assert reply.status_code == 422
    (error,) = reply.json()["errors"]
    assert error["loc"] == ["body", "id_number"]
    assert "born in 1995" in error["msg"]
