"""The axis's guard in the adapter: polls and deliveries share one breaker, against the mock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from adapters import TransientError
from adapters.breaker import CircuitBreaker, CircuitState
from adapters.document_axis.port import SYSTEM
from adapters.guard import SystemGuard
from adapters.rate_limit import RateLimit
from adapters.retry_budget import RetryBudget
from mocks.document_axis import create_app
from tests.adapters.document_axis.samples import NGHE_AN, THANH_HOA, MakeAxis, document

MOCK_URL = "http://axis.test/"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def transport() -> httpx.ASGITransport:
    return httpx.ASGITransport(app=create_app())


@pytest.fixture
async def admin(transport: httpx.ASGITransport) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=transport, base_url=MOCK_URL) as client:
        yield client


async def sent_calls(admin: httpx.AsyncClient) -> int:
    response = await admin.get("/__admin/journal", params={"service": "SendDocument"})
    return len(response.json()["entries"])


async def test_failed_polls_open_the_circuit_that_deliveries_then_wait_for(
    make_axis: MakeAxis, transport: httpx.ASGITransport, admin: httpx.AsyncClient
) -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(SYSTEM, failure_threshold=2, cool_down=60, clock=clock)
    guard = SystemGuard(breaker, RateLimit(SYSTEM), RetryBudget(SYSTEM))
    axis = make_axis(url=MOCK_URL, username=THANH_HOA, transport=transport, guard=guard)
    outage = await admin.post("/__admin/faults", json={"status": 503})
    assert outage.status_code == 201

    for _ in range(2):
        with pytest.raises(TransientError, match="503"):
            await axis.pending_documents()
    assert breaker.state == CircuitState.open

    with pytest.raises(TransientError, match="circuit open") as raised:
        await axis.send_document(document(THANH_HOA, [NGHE_AN]))
    assert raised.value.retry_after == pytest.approx(60.0)
    assert await sent_calls(admin) == 0

    await admin.delete("/__admin/faults")
    clock.now = 60.0
    sent = await axis.send_document(document(THANH_HOA, [NGHE_AN]))
    assert sent.receivers == (NGHE_AN,)
    assert breaker.state == CircuitState.closed
