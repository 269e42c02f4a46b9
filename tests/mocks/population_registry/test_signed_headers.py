"""The platform's signed headers: each broken rule is a Fault naming the header."""

from __future__ import annotations

import pytest

from mocks.population import Person
from tests.mocks.population_registry.samples import (
    Clock,
    Registry,
    ask,
    envelope,
    fault_of,
    signed_headers,
)

VERIFY = "XacThucThongTinCongDan"


@pytest.mark.parametrize("header", ["Timestamp", "Authorization", "X-Road-Client", "ApiKey"])
async def test_a_missing_header_is_a_fault_naming_it(
    registry: Registry, clock: Clock, adult: Person, header: str
) -> None:
    headers = signed_headers(clock)
    del headers[header]
    field_name, message = fault_of(await registry.post(envelope(VERIFY, ask(adult)), headers))  # type: ignore[arg-type]
    assert field_name == header
    assert "missing" in message


@pytest.mark.parametrize(
    ("change", "header", "rule"),
    [
        ({"secret": "not-the-secret"}, "Authorization", "signature does not match"),
        ({"url": "http://elsewhere.test/"}, "Authorization", "signature does not match"),
        ({"user": "stranger"}, "Authorization", "unknown user"),
        ({"api_key": "stolen-key"}, "ApiKey", "not an API key"),
        ({"client": "VN/GOV/000.00.00.H99/OTHER"}, "X-Road-Client", "is not the client"),
        ({"offset_ms": -301_000}, "Timestamp", "more than the 300 s allowed"),
        ({"offset_ms": 301_000}, "Timestamp", "more than the 300 s allowed"),
    ],
    ids=[
        "wrong-secret",
        "other-url",
        "unknown-user",
        "unknown-api-key",
        "other-client",
        "stale",
        "future",
    ],
)
async def test_a_broken_rule_is_a_fault_naming_the_header_and_rule(
    registry: Registry,
    clock: Clock,
    adult: Person,
    change: dict[str, object],
    header: str,
    rule: str,
) -> None:
    headers = signed_headers(clock, **change)  # type: ignore[arg-type]
    field_name, message = fault_of(await registry.post(envelope(VERIFY, ask(adult)), headers))  # type: ignore[arg-type]
    assert field_name == header
    assert rule in message


async def test_a_garbled_signature_is_refused(
    registry: Registry, clock: Clock, adult: Person
) -> None:
    headers = {**signed_headers(clock), "Authorization": "Basic bGllbnRob25nOmFiYw=="}
    field_name, message = fault_of(await registry.post(envelope(VERIFY, ask(adult)), headers))  # type: ignore[arg-type]
    assert (field_name, "signature does not match" in message) == ("Authorization", True)


async def test_a_timestamp_within_the_window_is_accepted(
    registry: Registry, clock: Clock, adult: Person
) -> None:
    headers = signed_headers(clock, offset_ms=-299_000)
    response = await registry.post(envelope(VERIFY, ask(adult)), headers)  # type: ignore[arg-type]
    assert response.status_code == 200


async def test_a_replayed_authorization_is_refused_within_the_window(
    registry: Registry, clock: Clock, adult: Person
) -> None:
    headers = signed_headers(clock)
    body = envelope(VERIFY, ask(adult))  # type: ignore[arg-type]
    assert (await registry.post(body, headers)).status_code == 200
    field_name, message = fault_of(await registry.post(body, headers))
    assert field_name == "Authorization"
    assert "replay" in message
