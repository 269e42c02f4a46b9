"""The business registry adapter against the mock in process (``httpx.ASGITransport``)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from adapters import AuthError, PermanentError, RefusedError, TransientError
from adapters.breaker import CircuitBreaker, CircuitState
from mappings.registries import Business, LegalStatusKind
from tests.adapters.business_registry.conftest import MakeRegistry


async def sample(admin: httpx.AsyncClient, **params: str) -> list[dict[str, Any]]:
    response = await admin.get("/__admin/sample", params={"n": "3", **params})
    assert response.status_code == 200, response.text
    records: list[dict[str, Any]] = response.json()["enterprises"]
    assert records
    return records


async def inject(admin: httpx.AsyncClient, **fault: Any) -> None:
    response = await admin.post("/__admin/faults", json=fault)
    assert response.status_code == 201, response.text


async def calls_of(admin: httpx.AsyncClient, service: str) -> int:
    response = await admin.get("/__admin/journal", params={"service": service})
    return len(response.json()["entries"])


async def test_finds_a_business_by_its_code(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    record = (await sample(admin, status="active"))[0]

    business = await make_registry().find_business(record["MaSoDoanhNghiep"])

    assert isinstance(business, Business)
    assert business.enterprise_code == record["MaSoDoanhNghiep"]
    assert business.name == record["TenTiengViet"]
    assert business.status == LegalStatusKind.active


async def test_lists_the_branches_of_a_head_office(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    record = (await sample(admin, branch="true"))[0]

    branches = await make_registry().branches(record["MaSoDoanhNghiep"])

    assert branches
    assert {branch.enterprise_code for branch in branches} == {
        branch["MaSoDoanhNghiep"] for branch in record["ChiNhanh"]
    }
    assert all(b.enterprise_code.startswith(record["MaSoDoanhNghiep"] + "-") for b in branches)


async def test_an_unknown_code_is_none_and_has_no_branches(make_registry: MakeRegistry) -> None:
    registry = make_registry()
    unknown = "0100000003"  # well formed, check digit right, not seeded
    assert await registry.find_business(unknown) is None
    assert await registry.branches(unknown) == []


async def test_a_malformed_code_is_refused_naming_the_rule(
    make_registry: MakeRegistry, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    with pytest.raises(RefusedError, match=r"HTTP 400.*rule") as raised:
        await make_registry().find_business("12345")
    assert raised.value.system == "business_registry"
    assert sleeps == []
    assert await calls_of(admin, "TraCuuThongTinDoanhNghiep") == 1


async def test_branches_of_a_branch_code_are_refused(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    record = (await sample(admin, branch="true"))[0]
    with pytest.raises(PermanentError, match="branch"):
        await make_registry().branches(record["ChiNhanh"][0]["MaSoDoanhNghiep"])


async def test_retries_a_503_then_answers(
    make_registry: MakeRegistry, admin: httpx.AsyncClient, sleeps: list[float]
) -> None:
    record = (await sample(admin))[0]
    await inject(admin, service="TraCuuThongTinDoanhNghiep", status=503, times=2)

    business = await make_registry().find_business(record["MaSoDoanhNghiep"])

    assert business is not None
    assert len(sleeps) == 2
    assert await calls_of(admin, "TraCuuThongTinDoanhNghiep") == 3


async def test_a_429_carries_retry_after_to_the_caller(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    await inject(admin, service="TraCuuThongTinDoanhNghiep", status=429, retry_after=120)
    with pytest.raises(TransientError) as raised:
        await make_registry().find_business("0100000003")
    assert raised.value.retry_after == pytest.approx(120, abs=1)


async def test_fetches_a_new_token_when_the_registry_forgets_it(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    record = (await sample(admin))[0]
    registry = make_registry()
    assert await registry.find_business(record["MaSoDoanhNghiep"]) is not None

    revoked = await admin.post("/__admin/revoke-tokens")
    assert revoked.json()["revoked"] == 1

    assert await registry.find_business(record["MaSoDoanhNghiep"]) is not None
    assert await calls_of(admin, "token") == 2


async def test_a_wrong_client_secret_is_an_auth_error(make_registry: MakeRegistry) -> None:
    with pytest.raises(AuthError, match="invalid_client"):
        await make_registry(client_secret="wrong").find_business("0100000003")


async def test_the_breaker_opens_on_an_outage_and_stops_calling(
    make_registry: MakeRegistry, admin: httpx.AsyncClient
) -> None:
    now = [0.0]
    breaker = CircuitBreaker(
        "business_registry", failure_threshold=2, cool_down=60, clock=lambda: now[0]
    )
    registry = make_registry(breaker=breaker, retries=2)
    await inject(admin, service="TraCuuThongTinDoanhNghiep", status=503)

    for _ in range(2):
        with pytest.raises(TransientError, match="HTTP 503"):
            await registry.find_business("0100000003")
    assert breaker.state == CircuitState.open
    with pytest.raises(TransientError, match="circuit open"):
        await registry.find_business("0100000003")
    assert await calls_of(admin, "TraCuuThongTinDoanhNghiep") == 4

    await admin.delete("/__admin/faults")
    now[0] = 60.0
    assert await registry.find_business("0100000003") is None
    assert breaker.state == CircuitState.closed
