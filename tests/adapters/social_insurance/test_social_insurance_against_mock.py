"""The insurance database adapter against the mock in process (``httpx.ASGITransport``)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from adapters import AuthError, TransientError
from adapters.social_insurance import InsuranceQuery, probe
from tests.adapters.social_insurance.conftest import MakeDatabase


def query(personal_id: str) -> InsuranceQuery:
    return InsuranceQuery(
        personal_id=personal_id,
        purpose="Xác minh khi tiếp nhận hồ sơ",
        officer="canbo.hn.01",
        unit="000.00.00.H56",
        service_code="000.00.01.H56-261102-00001",
    )


async def insured(admin: httpx.AsyncClient) -> list[dict[str, Any]]:
    reply = await admin.get("/__admin/sample", params={"n": "3"})
    people: list[dict[str, Any]] = reply.json()["citizens"]
    assert people
    return people


async def test_finds_the_record_of_an_insured_person(
    make_database: MakeDatabase, admin: httpx.AsyncClient
) -> None:
    person = (await insured(admin))[0]

    record = await make_database().find_insurance(query(person["personal_id"]))

    assert record is not None
    assert record.personal_id == person["personal_id"]
    assert record.full_name == person["full_name"]
    assert record.date_of_birth.isoformat() == person["date_of_birth"]
    assert record.health_card is not None
    assert record.health_card.number.endswith(record.insurance_code)


async def test_a_person_without_a_record_is_none(make_database: MakeDatabase) -> None:
    assert await make_database().find_insurance(query("001099000000")) is None


async def test_the_query_carries_the_declaration_and_the_journal_masks_the_id(
    make_database: MakeDatabase, admin: httpx.AsyncClient
) -> None:
    person = (await insured(admin))[0]
    await make_database(integration_code="MC-THANHHOA").find_insurance(query(person["personal_id"]))

    (entry,) = (await admin.get("/__admin/journal")).json()["entries"]
    sent = entry["request"]
    assert sent["MucDich"] == "Xác minh khi tiếp nhận hồ sơ"
    assert (sent["MaCanBo"], sent["MaDonVi"], sent["MaTichHop"]) == (
        "canbo.hn.01",
        "000.00.00.H56",
        "MC-THANHHOA",
    )
    assert sent["SoDinhDanh"] == person["personal_id"][:3] + "******" + person["personal_id"][-3:]


async def test_a_wrong_secret_is_an_auth_error_naming_the_header_and_is_not_retried(
    make_database: MakeDatabase, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    with pytest.raises(AuthError) as raised:
        await make_database(secret="not-the-secret").find_insurance(query("001099000000"))

    assert "Authorization" in str(raised.value)
    assert sleeps == []


async def test_an_outage_is_retried_then_transient(
    make_database: MakeDatabase, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    fault = {"service": "TraCuuThongTinBaoHiem", "status": 503, "retry_after": 2}
    assert (await admin.post("/__admin/faults", json=fault)).status_code == 201

    with pytest.raises(TransientError):
        await make_database(retries=3).find_insurance(query("001099000000"))

    assert len(sleeps) == 2


async def test_the_probe_signs_in_and_finds_no_record_of_its_synthetic_person(
    make_database: MakeDatabase,
) -> None:
    database = make_database()

    said = await probe(database, database.config)

    assert said == "signed in as lienthong; a synthetic person: no record, as expected"
