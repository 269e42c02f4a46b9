"""The portal's guard in the adapter: every service call goes through the portal's breaker."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
import respx

from adapters import HttpNationalPortal, TransientError
from adapters.breaker import CircuitBreaker, CircuitState
from adapters.guard import SystemGuard
from adapters.national_portal.port import SYSTEM
from adapters.rate_limit import RateLimit
from adapters.retry_budget import RetryBudget
from mappings.national_portal.wire import PortalProgress

PROCEDURES = {"error_code": 0, "message": "thành công", "result": [{"MaTTHC": "1.001193"}]}


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def logged_in(portal: respx.MockRouter) -> None:
    portal.post("/login").mock(
        return_value=httpx.Response(200, json={"session": "s", "error_code": 0})
    )


def step() -> PortalProgress:
    return PortalProgress(
        MaHoSo="000.00.01.H56-250301-00001",
        NguoiXuLy="Trần Thị Bình",
        ChucDanh="Chuyên viên",
        ThoiDiemXuLy="20250301090000",
        PhongBanXuLy="Bộ phận một cửa",
        NoiDungXuLy="Tiếp nhận hồ sơ",
        TrangThai="2",
    )


async def test_an_outage_opens_the_circuit_for_every_service_then_a_trial_closes_it(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(SYSTEM, failure_threshold=2, cool_down=60, clock=clock)
    adapter = make_adapter(
        retries=2, guard=SystemGuard(breaker, RateLimit(SYSTEM), RetryBudget(SYSTEM))
    )
    api = portal.post("/api").mock(return_value=httpx.Response(503))

    for _ in range(2):
        with pytest.raises(TransientError, match="HTTP 503"):
            await adapter.list_procedures()
    assert breaker.state == CircuitState.open
    assert api.call_count == 4

    clock.now = 15.0
    with pytest.raises(TransientError, match="circuit open") as raised:
        await adapter.push_progress([step()])
    assert raised.value.retry_after == pytest.approx(45.0)
    assert api.call_count == 4, "a push while the circuit is open never reaches the portal"

    api.mock(return_value=httpx.Response(200, json=PROCEDURES))
    clock.now = 60.0
    assert [p.MaTTHC for p in await adapter.list_procedures()] == ["1.001193"]
    assert breaker.state == CircuitState.closed


async def test_an_adapter_built_alone_has_a_guard_of_its_own(
    make_adapter: Callable[..., HttpNationalPortal],
) -> None:
    adapter = make_adapter()
    assert adapter.guard.system == SYSTEM
    assert not adapter.guard.rate_limit.limited
