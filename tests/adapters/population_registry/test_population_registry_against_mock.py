"""The population registry adapter against the mock in process (``httpx.ASGITransport``).

The mock checks the platform's signed headers against the URL it receives, which with
``ASGITransport`` is the adapter's ``base_url``: these tests cover the signature, zeep's
envelopes and the error translation against an independent reading of the contract.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import date
from typing import Any

import httpx
import pytest

from adapters import AuthError, TransientError
from adapters.breaker import CircuitBreaker, CircuitState
from adapters.population_registry import CitizenQuery
from tests.adapters.population_registry.conftest import MakeRegistry

OPERATION = "TraCuuThongTinCongDan"


async def a_citizen(admin: httpx.AsyncClient) -> dict[str, Any]:
    response = await admin.get("/__admin/sample", params={"n": "1"})
    assert response.status_code == 200, response.text
    person: dict[str, Any] = response.json()["citizens"][0]
    return person


def query_for(person: dict[str, Any], **overrides: Any) -> CitizenQuery:
    fields: dict[str, Any] = {
        "personal_id": person["personal_id"],
        "full_name": person["full_name"],
        "date_of_birth": date.fromisoformat(person["date_of_birth"]),
        "purpose": "Kiểm tra thông tin người nộp hồ sơ",
        "officer": "canbo.mc01",
        "unit": "000.00.00.H56",
        "service_code": "1.000001",
    }
    fields.update(overrides)
    return CitizenQuery(**fields)


async def inject(admin: httpx.AsyncClient, **fault: Any) -> None:
    response = await admin.post("/__admin/faults", json=fault)
    assert response.status_code == 201, response.text


async def calls_of(admin: httpx.AsyncClient, operation: str) -> int:
    response = await admin.get("/__admin/journal", params={"service": operation})
    return len(response.json()["entries"])


async def test_finds_a_citizen_by_personal_id_name_and_date_of_birth(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    person = await a_citizen(admin)

    citizen = await make_registry().find_citizen(query_for(person))

    assert citizen is not None
    assert citizen.personal_id == person["personal_id"]
    assert citizen.full_name == person["full_name"]
    assert citizen.date_of_birth is not None
    assert citizen.date_of_birth.as_date() == date.fromisoformat(person["date_of_birth"])


async def test_the_name_matches_however_it_was_typed(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    person = await a_citizen(admin)
    typed = "  " + person["full_name"].lower().replace(" ", "   ") + " "

    assert await make_registry().find_citizen(query_for(person, full_name=typed)) is not None


async def test_finds_by_year_of_birth_and_by_old_id(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    person = await a_citizen(admin)
    registry = make_registry()
    year = date.fromisoformat(person["date_of_birth"]).year

    assert await registry.find_citizen(query_for(person, date_of_birth=year)) is not None
    if person["old_id"]:
        by_old = query_for(person, personal_id=None, old_id=person["old_id"])
        assert await registry.find_citizen(by_old) is not None


async def test_a_name_that_does_not_agree_finds_nobody(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    person = await a_citizen(admin)
    registry = make_registry()
    wrong = query_for(person, full_name="Người Khác Hẳn")

    assert await registry.find_citizen(wrong) is None
    assert await registry.verify_citizen(wrong) is False
    assert await registry.verify_citizen(query_for(person)) is True


async def test_a_wrong_secret_is_an_auth_error_and_not_retried(
    make_registry: MakeRegistry, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    person = await a_citizen(admin)
    with pytest.raises(AuthError, match="Authorization") as raised:
        await make_registry(secret="not-the-secret").find_citizen(query_for(person))
    assert raised.value.system == "population_registry"
    assert sleeps == []


async def test_a_stale_clock_is_an_auth_error(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    person = await a_citizen(admin)
    registry = make_registry(clock=lambda: time.time() - 600)
    with pytest.raises(AuthError, match="Timestamp"):
        await registry.verify_citizen(query_for(person))


async def test_an_unknown_api_key_is_an_auth_error(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    person = await a_citizen(admin)
    with pytest.raises(AuthError, match="ApiKey"):
        await make_registry(api_key="unknown").verify_citizen(query_for(person))


async def test_the_query_string_is_not_part_of_the_signature(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    person = await a_citizen(admin)
    registry = make_registry(url="http://mocks.test/population-registry/?x=1")
    assert await registry.verify_citizen(query_for(person)) is True


async def test_many_lookups_at_once_are_never_refused_as_replays(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    """Requests signed in the same millisecond would sign alike; the signer moves time on."""
    person = await a_citizen(admin)
    frozen = time.time()
    registry = make_registry(clock=lambda: frozen)
    answers = await asyncio.gather(*(registry.verify_citizen(query_for(person)) for _ in range(5)))
    assert answers == [True] * 5


async def test_retries_a_503_then_answers(
    make_registry: MakeRegistry, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    person = await a_citizen(admin)
    await inject(admin, service=OPERATION, status=503, times=2)

    assert await make_registry().find_citizen(query_for(person)) is not None
    assert len(sleeps) == 2
    assert await calls_of(admin, OPERATION) == 3


async def test_the_breaker_opens_on_an_outage_fails_fast_and_tries_again(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    person = await a_citizen(admin)
    now = [0.0]
    breaker = CircuitBreaker(
        "population_registry", failure_threshold=2, cool_down=60, clock=lambda: now[0]
    )
    registry = make_registry(breaker=breaker, retries=1)
    await inject(admin, service=OPERATION, status=503)

    for _ in range(2):
        with pytest.raises(TransientError, match="HTTP 503"):
            await registry.find_citizen(query_for(person))
    with pytest.raises(TransientError, match="circuit open") as raised:
        await registry.find_citizen(query_for(person))
    assert raised.value.retry_after == pytest.approx(60)
    assert await calls_of(admin, OPERATION) == 2

    now[0] = 60.0
    assert breaker.state == CircuitState.half_open
    with pytest.raises(TransientError, match="HTTP 503"):
        await registry.find_citizen(query_for(person))
    assert breaker.state == CircuitState.open

    await admin.delete("/__admin/faults")
    now[0] = 120.0
    assert await registry.find_citizen(query_for(person)) is not None
    assert breaker.state == CircuitState.closed


async def test_logs_never_carry_the_id_or_the_name(
    make_registry: MakeRegistry, admin: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    person = await a_citizen(admin)
    caplog.set_level(logging.DEBUG)
    await inject(admin, service=OPERATION, status=503, times=1)
    query = query_for(person)

    await make_registry().find_citizen(query)

    logged = caplog.text
    assert query.request_id in logged
    assert person["personal_id"] not in logged
    for word in person["full_name"].split():
        assert f" {word} " not in f" {logged} "
    assert person["personal_id"] not in repr(query)
    assert person["full_name"] not in repr(query)
