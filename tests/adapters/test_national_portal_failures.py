"""How failures reach the caller: which are retried, how long we wait, what the error says."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
import respx

from adapters import AuthError, HttpNationalPortal, PermanentError, TransientError

PROCEDURES = {"error_code": 0, "message": "thành công", "result": [{"MaTTHC": "1.001193"}]}


@pytest.fixture(autouse=True)
def logged_in(portal: respx.MockRouter) -> None:
    portal.post("/login").mock(
        return_value=httpx.Response(200, json={"session": "s", "error_code": 0})
    )


async def test_retries_after_429_waiting_what_retry_after_asked(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal], sleeps: list[float]
) -> None:
    api = portal.post("/api").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(200, json=PROCEDURES),
        ]
    )

    procedures = await make_adapter().list_procedures()

    assert [p.MaTTHC for p in procedures] == ["1.001193"]
    assert api.call_count == 2
    assert sleeps == [7.0]


async def test_honours_retry_after_given_as_an_http_date(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal], sleeps: list[float]
) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=9), usegmt=True)
    portal.post("/api").mock(
        side_effect=[
            httpx.Response(503, headers={"Retry-After": later}),
            httpx.Response(200, json=PROCEDURES),
        ]
    )

    await make_adapter().list_procedures()

    assert len(sleeps) == 1
    assert 5.0 < sleeps[0] <= 9.0


async def test_a_retry_after_longer_than_the_longest_wait_is_left_to_the_caller(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal], sleeps: list[float]
) -> None:
    api = portal.post("/api").mock(return_value=httpx.Response(429, headers={"Retry-After": "120"}))

    with pytest.raises(TransientError) as raised:
        await make_adapter(retry_max_wait=10.0).list_procedures()

    assert raised.value.retry_after == 120.0
    assert api.call_count == 1
    assert sleeps == []


async def test_gives_up_after_503_on_every_configured_attempt(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal], sleeps: list[float]
) -> None:
    api = portal.post("/api").mock(return_value=httpx.Response(503))

    with pytest.raises(TransientError, match="LayDanhSachTTHC: HTTP 503") as raised:
        await make_adapter(retries=3, retry_initial_wait=0.5).list_procedures()

    assert not isinstance(raised.value, AuthError)
    assert raised.value.retry_after is None
    assert api.call_count == 3
    assert len(sleeps) == 2
    assert 0.5 <= sleeps[0] <= 1.0
    assert 1.0 <= sleeps[1] <= 1.5


@pytest.mark.parametrize(
    "failure",
    [httpx.ReadTimeout("slow"), httpx.ConnectError("refused")],
    ids=["timeout", "connection refused"],
)
async def test_no_answer_is_transient_after_the_configured_attempts(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal], failure: Exception
) -> None:
    api = portal.post("/api").mock(side_effect=failure)

    with pytest.raises(TransientError):
        await make_adapter(retries=2).list_procedures()
    assert api.call_count == 2


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(200, text="<html>Bad gateway</html>"),
        httpx.Response(200, json=["not", "an", "envelope"]),
        httpx.Response(200, json={"message": "no code"}),
        httpx.Response(200, json={"error_code": "99", "message": "Lỗi hệ thống"}),
        httpx.Response(200, json={"error_code": 0, "result": [{"TenTTHC": "no code"}]}),
    ],
    ids=["html", "array", "no error_code", "unknown error_code", "object without MaTTHC"],
)
async def test_a_reply_that_breaks_the_contract_is_transient(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal], reply: httpx.Response
) -> None:
    portal.post("/api").mock(return_value=reply)

    with pytest.raises(TransientError, match="whether it was applied is unknown") as raised:
        await make_adapter(retries=1).list_procedures()
    assert not isinstance(raised.value, AuthError)


async def test_a_request_refused_as_a_whole_is_permanent_with_the_portals_message(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    message = "MaLinhVuc: không đúng định dạng"
    api = portal.post("/api").mock(
        return_value=httpx.Response(
            200, json={"error_code": "01", "message": message, "result": []}
        )
    )

    with pytest.raises(PermanentError) as raised:
        await make_adapter().list_procedures()

    assert message in raised.value.reason
    assert raised.value.system == "national_portal"
    assert api.call_count == 1


async def test_an_http_client_error_is_permanent(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal]
) -> None:
    api = portal.post("/api").mock(
        return_value=httpx.Response(404, json={"message": "Không có dịch vụ này"})
    )

    with pytest.raises(PermanentError, match="HTTP 404 Not Found: Không có dịch vụ này"):
        await make_adapter().list_procedures()
    assert api.call_count == 1


@pytest.mark.parametrize("success", [0, "0", "00"])
async def test_accepts_every_spelling_of_success(
    portal: respx.MockRouter, make_adapter: Callable[..., HttpNationalPortal], success: object
) -> None:
    portal.post("/api").mock(
        return_value=httpx.Response(200, json={**PROCEDURES, "error_code": success})
    )

    assert [p.MaTTHC for p in await make_adapter().list_procedures()] == ["1.001193"]
